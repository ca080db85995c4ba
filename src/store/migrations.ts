/**
 * One migration set for both dialects. Differences (bytes, 64-bit integers) are decided by `types(dialect)`.
 */
import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import type { Dialect } from './db.js';

// Kysely's migrations run against an untyped database on purpose: the schema they build is what types describe.
// biome-ignore lint/suspicious/noExplicitAny: migrations operate before the typed schema exists
type AnyDb = Kysely<any>;

function types(dialect: Dialect) {
  return {
    bytes: dialect === 'postgres' ? ('bytea' as const) : ('blob' as const),
    ms: dialect === 'postgres' ? ('bigint' as const) : ('integer' as const),
  };
}

function migrations(dialect: Dialect): Record<string, Migration> {
  const t = types(dialect);
  return {
    '0001_initial': {
      async up(db: AnyDb) {
        await db.schema
          .createTable('clients')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('redirect_uris', 'text', (c) => c.notNull())
          .addColumn('webhook_uri', 'text')
          .addColumn('logo_url', 'text')
          .addColumn('accent_color', 'text')
          .addColumn('is_public', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('created_at', t.ms, (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('client_secrets')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id').onDelete('cascade'))
          .addColumn('sealed', t.bytes, (c) => c.notNull())
          .addColumn('created_at', t.ms, (c) => c.notNull())
          .addColumn('revoked_at', t.ms)
          .execute();
        await db.schema
          .createTable('connections')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id').onDelete('cascade'))
          .addColumn('provider', 'text', (c) => c.notNull())
          .addColumn('mode', 'text', (c) => c.notNull())
          .addColumn('settings', 'text', (c) => c.notNull().defaultTo('{}'))
          .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
          .addColumn('tags', 'text')
          .addColumn('created_at', t.ms, (c) => c.notNull())
          .addColumn('disconnected_at', t.ms)
          .execute();
        await db.schema.createIndex('connections_client_idx').on('connections').column('client_id').execute();
        await db.schema
          .createTable('connection_secrets')
          .addColumn('connection_id', 'text', (c) =>
            c.notNull().references('connections.id').onDelete('cascade'),
          )
          .addColumn('purpose', 'text', (c) => c.notNull())
          .addColumn('sealed', t.bytes, (c) => c.notNull())
          .addColumn('updated_at', t.ms, (c) => c.notNull())
          .addPrimaryKeyConstraint('connection_secrets_pk', ['connection_id', 'purpose'])
          .execute();
        await createConnectionState(db, dialect, { name: 'value', type: 'text' });
        await db.schema
          .createTable('tokens')
          .addColumn('jti', 'text', (c) => c.primaryKey())
          .addColumn('connection_id', 'text', (c) =>
            c.notNull().references('connections.id').onDelete('cascade'),
          )
          .addColumn('client_id', 'text', (c) => c.notNull())
          .addColumn('scopes', 'text', (c) => c.notNull())
          .addColumn('created_at', t.ms, (c) => c.notNull())
          .addColumn('expires_at', t.ms, (c) => c.notNull())
          .addColumn('revoked_at', t.ms)
          .addColumn('code_id', 'text')
          .execute();
        await db.schema.createIndex('tokens_connection_idx').on('tokens').column('connection_id').execute();
        await db.schema.createIndex('tokens_client_idx').on('tokens').column('client_id').execute();
        await db.schema.createIndex('tokens_code_idx').on('tokens').column('code_id').execute();
        await db.schema
          .createTable('signing_keys')
          .addColumn('kid', 'text', (c) => c.primaryKey())
          .addColumn('alg', 'text', (c) => c.notNull())
          .addColumn('public_jwk', 'text', (c) => c.notNull())
          .addColumn('private_jwk', 'text', (c) => c.notNull())
          .addColumn('created_at', t.ms, (c) => c.notNull())
          .addColumn('active_from', t.ms, (c) => c.notNull())
          .addColumn('retired_at', t.ms)
          .execute();
        await db.schema
          .createTable('cache_entries')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('connection_id', 'text', (c) =>
            c.notNull().references('connections.id').onDelete('cascade'),
          )
          .addColumn('resource', 'text', (c) => c.notNull())
          .addColumn('body', t.bytes, (c) => c.notNull())
          .addColumn('created_at', t.ms, (c) => c.notNull())
          .addColumn('expires_at', t.ms, (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('cache_connection_idx')
          .on('cache_entries')
          .column('connection_id')
          .execute();
        await db.schema.createIndex('cache_expires_idx').on('cache_entries').column('expires_at').execute();
        await db.schema
          .createTable('vault_data_keys')
          .addColumn('owner_id', 'text', (c) => c.primaryKey())
          .addColumn('data_key_id', 'text', (c) => c.notNull())
          .addColumn('kek_id', 'text', (c) => c.notNull())
          .addColumn('wrapped', t.bytes, (c) => c.notNull())
          .addColumn('created_at', t.ms, (c) => c.notNull())
          .addColumn('rotated_at', t.ms)
          .execute();
        await db.schema
          .createIndex('vault_data_keys_kek_idx')
          .on('vault_data_keys')
          .column('kek_id')
          .execute();
      },
      async down(db: AnyDb) {
        for (const table of [
          'vault_data_keys',
          'cache_entries',
          'signing_keys',
          'tokens',
          'connection_state',
          'connection_secrets',
          'connections',
          'client_secrets',
          'clients',
        ]) {
          await db.schema.dropTable(table).ifExists().execute();
        }
      },
    },
    // The OAuth server: authorization codes (only a hash of each code is kept, so a database read cannot
    // redeem one) and the connect page's server-side sessions.
    '0002_oauth': {
      async up(db: AnyDb) {
        await db.schema
          .createTable('authorization_codes')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('code_hash', 'text', (c) => c.notNull().unique())
          .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id').onDelete('cascade'))
          .addColumn('connection_id', 'text', (c) =>
            c.notNull().references('connections.id').onDelete('cascade'),
          )
          .addColumn('redirect_uri', 'text', (c) => c.notNull())
          .addColumn('redirect_uri_sent', 'integer', (c) => c.notNull())
          .addColumn('code_challenge', 'text')
          .addColumn('scopes', 'text', (c) => c.notNull())
          .addColumn('created_at', t.ms, (c) => c.notNull())
          .addColumn('expires_at', t.ms, (c) => c.notNull())
          .addColumn('used_at', t.ms)
          .execute();
        await db.schema
          .createIndex('authorization_codes_expires_idx')
          .on('authorization_codes')
          .column('expires_at')
          .execute();
        await db.schema
          .createTable('connect_sessions')
          .addColumn('id_hash', 'text', (c) => c.primaryKey())
          .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id').onDelete('cascade'))
          .addColumn('request', 'text', (c) => c.notNull())
          .addColumn('step', 'text', (c) => c.notNull())
          .addColumn('provider', 'text')
          .addColumn('connection_id', 'text')
          .addColumn('csrf_hash', 'text', (c) => c.notNull())
          .addColumn('created_at', t.ms, (c) => c.notNull())
          .addColumn('expires_at', t.ms, (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('connect_sessions_expires_idx')
          .on('connect_sessions')
          .column('expires_at')
          .execute();
      },
      async down(db: AnyDb) {
        await db.schema.dropTable('connect_sessions').ifExists().execute();
        await db.schema.dropTable('authorization_codes').ifExists().execute();
      },
    },
    // The per-request log developers read at /management/logs. No bodies, no headers: they may carry secrets.
    '0003_logs': {
      async up(db: AnyDb) {
        await db.schema
          .createTable('request_logs')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('created_at', t.ms, (c) => c.notNull())
          // Orders rows of the same millisecond (per writing process) so "newest first" is exact.
          .addColumn('seq', t.ms, (c) => c.notNull().defaultTo(0))
          .addColumn('method', 'text', (c) => c.notNull())
          .addColumn('path', 'text', (c) => c.notNull())
          .addColumn('status', 'integer', (c) => c.notNull())
          .addColumn('latency_ms', 'real', (c) => c.notNull())
          .addColumn('client_id', 'text')
          .addColumn('connection_id', 'text')
          .addColumn('provider', 'text')
          .execute();
        await db.schema
          .createIndex('request_logs_created_idx')
          .on('request_logs')
          .column('created_at')
          .execute();
        await db.schema
          .createIndex('request_logs_client_idx')
          .on('request_logs')
          .columns(['client_id', 'created_at'])
          .execute();
      },
      async down(db: AnyDb) {
        await db.schema.dropTable('request_logs').ifExists().execute();
      },
    },
    // Adapter state (refreshed provider tokens, web sessions), as sensitive as credentials, held plaintext
    // JSON; it becomes vault ciphertext. Old rows cannot be sealed here (no vault in migrations) and must not
    // stay readable, so they go: adapters re-authenticate once, and the sandbox forgets employees created
    // through the API.
    '0004_sealed_state': {
      async up(db: AnyDb) {
        await db.schema.dropTable('connection_state').ifExists().execute();
        await createConnectionState(db, dialect, { name: 'sealed', type: t.bytes });
      },
      async down(db: AnyDb) {
        await db.schema.dropTable('connection_state').ifExists().execute();
        await createConnectionState(db, dialect, { name: 'value', type: 'text' });
      },
    },
    // Concurrent read-modify-writes of one state row (the sandbox's created employees) each keep their write:
    // a write commits only over the version it read.
    '0011_state_version': {
      async up(db: AnyDb) {
        await db.schema
          .alterTable('connection_state')
          .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
          .execute();
      },
      async down(db: AnyDb) {
        await db.schema.alterTable('connection_state').dropColumn('version').execute();
      },
    },
    // Request logs that fit the disk (about 267 bytes a row on SQLite and 341 on PostgreSQL before): an integer
    // key that also gives insertion order and lets retention delete by range; the client, connection, provider and
    // method as integers into one table of names; the public request id as 16 bytes; latency in hundredths of a
    // millisecond; no `seq` (the key orders rows of one millisecond) and no index on time. Rows without a client
    // are not kept: no one can read them at /management/logs (the stdout line still has them).
    '0012_compact_request_log': {
      async up(db: AnyDb) {
        await db.schema
          .createTable('request_log_names')
          .addColumn('id', 'integer', (c) =>
            dialect === 'postgres' ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey(),
          )
          .addColumn('name', 'text', (c) => c.notNull().unique())
          .execute();
        await db.schema
          .createTable('request_log')
          .addColumn('id', dialect === 'postgres' ? 'bigint' : 'integer', (c) =>
            dialect === 'postgres' ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey(),
          )
          .addColumn('created_at', t.ms, (c) => c.notNull())
          // Fixed-width columns before the variable ones: PostgreSQL pads each to its alignment.
          .addColumn('client', 'integer', (c) => c.notNull())
          .addColumn('connection', 'integer')
          .addColumn('provider', 'integer')
          .addColumn('latency', 'integer', (c) => c.notNull())
          .addColumn('method', 'smallint', (c) => c.notNull())
          .addColumn('status', 'smallint', (c) => c.notNull())
          .addColumn('request_id', t.bytes, (c) => c.notNull())
          .addColumn('path', 'text', (c) => c.notNull())
          .execute();
        // Rows of one millisecond are ordered by id: SQLite appends the rowid (our id) to every index entry, and
        // PostgreSQL sorts such ties in memory, cheaper than 8 more bytes in every entry.
        await db.schema
          .createIndex('request_log_client_idx')
          .on('request_log')
          .columns(['client', 'created_at'])
          .execute();
        // Rows already written keep their text request id (as bytes); readers tell the two forms by length.
        await sql`insert into request_log_names (name)
          select v from (
            select client_id as v from request_logs union select connection_id from request_logs
            union select provider from request_logs union select method from request_logs
          ) u where v is not null`.execute(db);
        const ref = (column: string) =>
          sql`(select n.id from request_log_names n where n.name = ${sql.ref(`r.${column}`)})`;
        const idBytes = dialect === 'postgres' ? sql`convert_to(r.id, 'UTF8')` : sql`cast(r.id as blob)`;
        await sql`insert into request_log
            (created_at, request_id, client, connection, provider, method, status, latency, path)
          select r.created_at, ${idBytes}, ${ref('client_id')}, ${ref('connection_id')}, ${ref('provider')},
            ${ref('method')}, r.status, cast(round(r.latency_ms * 100) as integer), r.path
          from request_logs r where r.client_id is not null order by r.created_at, r.seq`.execute(db);
        await db.schema.dropTable('request_logs').execute();
      },
      async down(db: AnyDb) {
        await db.schema.dropTable('request_log').ifExists().execute();
        await db.schema.dropTable('request_log_names').ifExists().execute();
        // Back to the table as 0003 made it (empty: the compact rows do not fit it without their names).
        await migrations(dialect)['0003_logs']?.up(db);
      },
    },
    // Webhooks (issue 13): the outbox, endpoint state, Standard Webhooks secrets, and the embedded job runner's
    // queue (on PostgreSQL graphile-worker installs its own tables, see src/store/jobs.ts).
    '0013_webhooks': {
      async up(db: AnyDb) {
        await db.schema
          .createTable('webhook_events')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id').onDelete('cascade'))
          .addColumn('connection_id', 'text')
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('body', t.bytes, (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('last_status', 'integer')
          .addColumn('last_error', 'text')
          .addColumn('next_attempt_at', t.ms, (c) => c.notNull())
          .addColumn('lease_until', t.ms)
          .addColumn('lease_token', 'text')
          .addColumn('created_at', t.ms, (c) => c.notNull())
          .addColumn('updated_at', t.ms, (c) => c.notNull())
          .addColumn('delivered_at', t.ms)
          .execute();
        await db.schema
          .createIndex('webhook_events_client_idx')
          .on('webhook_events')
          .columns(['client_id', 'created_at'])
          .execute();
        await db.schema
          .createIndex('webhook_events_due_idx')
          .on('webhook_events')
          .columns(['status', 'next_attempt_at'])
          .execute();
        await db.schema
          .createIndex('webhook_events_connection_idx')
          .on('webhook_events')
          .column('connection_id')
          .execute();
        await db.schema
          .createTable('webhook_endpoints')
          .addColumn('client_id', 'text', (c) => c.primaryKey().references('clients.id').onDelete('cascade'))
          .addColumn('disabled_at', t.ms)
          .addColumn('disabled_reason', 'text')
          .execute();
        await db.schema
          .createTable('webhook_secrets')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id').onDelete('cascade'))
          .addColumn('sealed', t.bytes, (c) => c.notNull())
          .addColumn('created_at', t.ms, (c) => c.notNull())
          .addColumn('expires_at', t.ms)
          .execute();
        await db.schema
          .createIndex('webhook_secrets_client_idx')
          .on('webhook_secrets')
          .column('client_id')
          .execute();
        await db.schema
          .createTable('embedded_jobs')
          .addColumn('id', 'integer', (c) =>
            dialect === 'postgres' ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey(),
          )
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('payload', 'text', (c) => c.notNull())
          .addColumn('run_at', t.ms, (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('locked_until', t.ms)
          .addColumn('locked_by', 'text')
          .addColumn('last_error', 'text')
          .addColumn('created_at', t.ms, (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('embedded_jobs_due_idx')
          .on('embedded_jobs')
          .columns(['run_at'])
          .execute();
      },
      async down(db: AnyDb) {
        for (const table of ['embedded_jobs', 'webhook_secrets', 'webhook_endpoints', 'webhook_events']) {
          await db.schema.dropTable(table).ifExists().execute();
        }
      },
    },
    // The last good fetch of each polled resource for change webhooks: vault ciphertext (purpose `snapshot`), the
    // record count in clear for operators, and a version so two polls of one connection cannot both commit.
    '0014_webhook_snapshots': {
      async up(db: AnyDb) {
        await db.schema
          .createTable('webhook_snapshots')
          .addColumn('connection_id', 'text', (c) =>
            c.notNull().references('connections.id').onDelete('cascade'),
          )
          .addColumn('resource', 'text', (c) => c.notNull())
          .addColumn('sealed', t.bytes, (c) => c.notNull())
          .addColumn('records', 'integer', (c) => c.notNull())
          .addColumn('version', 'integer', (c) => c.notNull())
          .addColumn('taken_at', t.ms, (c) => c.notNull())
          .addPrimaryKeyConstraint('webhook_snapshots_pk', ['connection_id', 'resource'])
          .execute();
      },
      async down(db: AnyDb) {
        await db.schema.dropTable('webhook_snapshots').ifExists().execute();
      },
    },
    // The poll schedule of change webhooks: per connection, the last interval slot a poll job was enqueued for.
    '0015_webhook_poll_slots': {
      async up(db: AnyDb) {
        await db.schema
          .createTable('webhook_poll_slots')
          .addColumn('connection_id', 'text', (c) =>
            c.primaryKey().references('connections.id').onDelete('cascade'),
          )
          .addColumn('slot_at', t.ms, (c) => c.notNull())
          .execute();
      },
      async down(db: AnyDb) {
        await db.schema.dropTable('webhook_poll_slots').ifExists().execute();
      },
    },
    // A client's events of one status, newest first (`webhookEvents.list(clientId, {status})`: the management API's
    // filter, a waiter for pending events): without it the (client_id, created_at) index walks all of the client's
    // events and filters on status, every one of them once none matches.
    '0016_webhook_events_client_status_idx': {
      async up(db: AnyDb) {
        await db.schema
          .createIndex('webhook_events_client_status_idx')
          .on('webhook_events')
          .columns(['client_id', 'status', 'created_at', 'id'])
          .execute();
      },
      async down(db: AnyDb) {
        await db.schema.dropIndex('webhook_events_client_status_idx').ifExists().execute();
      },
    },
    // What each node's change feed (src/cluster/change-feed.ts) asks twice a second: tokens revoked and connections
    // disconnected in the last 30 s. Without these it would scan both tables on every poll.
    '0017_change_feed_idx': {
      async up(db: AnyDb) {
        await db.schema.createIndex('tokens_revoked_idx').on('tokens').column('revoked_at').execute();
        await db.schema
          .createIndex('connections_disconnected_idx')
          .on('connections')
          .column('disconnected_at')
          .execute();
      },
      async down(db: AnyDb) {
        await db.schema.dropIndex('tokens_revoked_idx').ifExists().execute();
        await db.schema.dropIndex('connections_disconnected_idx').ifExists().execute();
      },
    },
  };
}

/** `connection_state` with its payload column (`value` text before 0004, `sealed` bytes since). */
async function createConnectionState(
  db: AnyDb,
  dialect: Dialect,
  payload: { name: 'sealed' | 'value'; type: 'text' | 'blob' | 'bytea' },
): Promise<void> {
  await db.schema
    .createTable('connection_state')
    .addColumn('connection_id', 'text', (c) => c.notNull().references('connections.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn(payload.name, payload.type, (c) => c.notNull())
    .addColumn('updated_at', types(dialect).ms, (c) => c.notNull())
    .addPrimaryKeyConstraint('connection_state_pk', ['connection_id', 'key'])
    .execute();
}

class InlineProvider implements MigrationProvider {
  constructor(private readonly dialect: Dialect) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations(this.dialect);
  }
}

/** Brings the schema to the newest version; throws with the failing migration's name. */
export async function migrateToLatest(db: AnyDb, dialect: Dialect): Promise<string[]> {
  return migrate(db, dialect);
}

/** Brings the schema up to and including `target` (tests of a migration over rows written before it). */
export async function migrateTo(db: AnyDb, dialect: Dialect, target: string): Promise<string[]> {
  return migrate(db, dialect, target);
}

async function migrate(db: AnyDb, dialect: Dialect, target?: string): Promise<string[]> {
  // Migrations are named by issue number and land in any order (0003 may reach a database before 0002); each
  // one is independent of the others' tables, so unordered application is safe.
  // Kysely looks for its bookkeeping tables in *any* schema unless told which: with several schemas in one
  // database (parallel test stores), another schema's kysely_migration_lock would be taken for ours.
  const schema =
    dialect === 'postgres'
      ? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]?.s
      : undefined;
  const migrator = new Migrator({
    db,
    provider: new InlineProvider(dialect),
    allowUnorderedMigrations: true,
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const run = () => (target ? migrator.migrateTo(target) : migrator.migrateToLatest());
  let { error, results } = await run();
  // The migrator looks for its own tables with an introspection query over every schema of the database, which
  // fails with invalid_schema_name (3F000) when some other schema is dropped while it runs (parallel test stores,
  // another application): nothing of ours went wrong, so look again.
  for (let retry = 0; retry < 3 && (error as { code?: string } | undefined)?.code === '3F000'; retry++) {
    ({ error, results } = await run());
  }
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
