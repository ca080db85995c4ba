import type { Store } from './db.js';

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

export async function insertClient(store: Store, c: ClientRecord): Promise<void> {
  await store.db
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

export async function findClient(store: Store, id: string): Promise<ClientRecord | undefined> {
  const row = await store.db.selectFrom('clients').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
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

export async function firstClient(store: Store): Promise<ClientRecord | undefined> {
  const row = await store.db
    .selectFrom('clients')
    .select('id')
    .orderBy('created_at')
    .limit(1)
    .executeTakeFirst();
  return row ? findClient(store, row.id) : undefined;
}
