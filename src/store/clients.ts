/** The `clients` table: registered OAuth clients (their secrets are in client-secrets.ts). */
import type { Kysely, Selectable } from 'kysely';
import type { ClientsTable, Database } from './schema.js';

export interface ClientRecord {
  id: string;
  name: string;
  redirectUris: string[];
  webhookUri: string | null;
  logoUrl: string | null;
  accentColor: string | null;
  isPublic: boolean;
  createdAt: number;
}

function toRecord(row: Selectable<ClientsTable>): ClientRecord {
  return {
    id: row.id,
    name: row.name,
    redirectUris: JSON.parse(row.redirect_uris) as string[],
    webhookUri: row.webhook_uri,
    logoUrl: row.logo_url,
    accentColor: row.accent_color,
    isPublic: row.is_public === 1,
    createdAt: Number(row.created_at),
  };
}

export class ClientsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(c: ClientRecord): Promise<void> {
    await this.db
      .insertInto('clients')
      .values({
        id: c.id,
        name: c.name,
        redirect_uris: JSON.stringify(c.redirectUris),
        webhook_uri: c.webhookUri,
        logo_url: c.logoUrl,
        accent_color: c.accentColor,
        is_public: c.isPublic ? 1 : 0,
        created_at: c.createdAt,
      })
      .execute();
  }

  async find(id: string): Promise<ClientRecord | undefined> {
    const row = await this.db.selectFrom('clients').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  /** The oldest client (the dev client `affix sandbox-token` uses when none is named). */
  async first(): Promise<ClientRecord | undefined> {
    const row = await this.db
      .selectFrom('clients')
      .selectAll()
      .orderBy('created_at')
      .limit(1)
      .executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  /** Every client, oldest first. */
  async list(): Promise<ClientRecord[]> {
    const rows = await this.db
      .selectFrom('clients')
      .selectAll()
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toRecord);
  }

  /** What the management API may change; secrets go through client-secrets.ts. */
  async update(id: string, patch: Pick<ClientRecord, 'name' | 'redirectUris' | 'webhookUri'>): Promise<void> {
    await this.db
      .updateTable('clients')
      .set({
        name: patch.name,
        redirect_uris: JSON.stringify(patch.redirectUris),
        webhook_uri: patch.webhookUri,
      })
      .where('id', '=', id)
      .execute();
  }
}
