/**
 * Table types for Kysely. Timestamps are epoch milliseconds (BIGINT on PostgreSQL, INTEGER on SQLite); JSON is
 * stored as text; booleans as 0/1 so both dialects read the same values.
 */
import type { Generated } from 'kysely';

export interface ClientsTable {
  id: string;
  name: string;
  redirect_uris: string;
  webhook_uri: string | null;
  logo_url: string | null;
  accent_color: string | null;
  is_public: number;
  created_at: number;
}

export interface ClientSecretsTable {
  id: string;
  client_id: string;
  /** Sealed by the vault (owner = client id, purpose = client_secret). */
  sealed: Uint8Array;
  created_at: number;
  revoked_at: number | null;
}

export interface ConnectionsTable {
  id: string;
  client_id: string;
  provider: string;
  mode: string;
  /** Non-secret settings as JSON (sandbox size and seed, company domain …). */
  settings: string;
  status: string;
  tags: string | null;
  created_at: number;
  disconnected_at: number | null;
}

export interface ConnectionSecretsTable {
  connection_id: string;
  purpose: string;
  /** Sealed by the vault (owner = connection id). */
  sealed: Uint8Array;
  updated_at: number;
}

export interface ConnectionStateTable {
  connection_id: string;
  key: string;
  /** Vault-sealed JSON `{key, value}` (purpose `state`): adapters keep refreshed tokens and sessions here. */
  sealed: Uint8Array;
  updated_at: number;
  /** Bumped by every write, so a read-modify-write commits only over the row it read. */
  version: number;
}

export interface TokensTable {
  jti: string;
  connection_id: string;
  client_id: string;
  scopes: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
  /** The authorization code it was issued from, so a replayed code revokes it. */
  code_id: string | null;
}

export interface SigningKeysTable {
  kid: string;
  alg: string;
  public_jwk: string;
  private_jwk: string;
  created_at: number;
  /** Tokens are signed with this key only from this time on (publish first, sign later). */
  active_from: number;
  retired_at: number | null;
}

export interface CacheEntriesTable {
  key: string;
  connection_id: string;
  resource: string;
  body: Uint8Array;
  created_at: number;
  expires_at: number;
}

/** Vault data keys, wrapped by a keyring KEK (see src/vault/README.md). */
export interface VaultDataKeysTable {
  owner_id: string;
  data_key_id: string;
  kek_id: string;
  wrapped: Uint8Array;
  created_at: number;
  rotated_at: number | null;
}

/**
 * One row per API request that acted for a client: no bodies, no headers (they may carry secrets), secret query
 * values redacted. Kept compact (bench/request-log-size.ts): names are integers into `request_log_names`.
 */
export interface RequestLogTable {
  /** Insertion order: ties within a millisecond, retention ranges, the size cap. */
  id: Generated<number>;
  created_at: number;
  /** `req_` ids as their 16 random bytes; any other id as its UTF-8 (never 16 bytes long). */
  request_id: Uint8Array;
  client: number;
  connection: number | null;
  provider: number | null;
  method: number;
  status: number;
  /** Hundredths of a millisecond. */
  latency: number;
  path: string;
}

/** Client and connection ids, provider ids and HTTP methods, each stored once for the request log. */
export interface RequestLogNamesTable {
  id: Generated<number>;
  name: string;
}

/** Authorization codes. Only the SHA-256 of the code is stored, so a database read cannot redeem one. */
export interface AuthorizationCodesTable {
  id: string;
  code_hash: string;
  client_id: string;
  connection_id: string;
  /** The redirect URI the code was issued for (the registered one when the request omitted it). */
  redirect_uri: string;
  /** 1 when the authorization request named the redirect URI, so the token request must repeat it. */
  redirect_uri_sent: number;
  /** PKCE S256 challenge, or null when the request had none. */
  code_challenge: string | null;
  scopes: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

/**
 * A connect page flow in progress, keyed by the hash of its session id (sent as a form field, not a cookie,
 * so the iframe mode works where third-party cookies are blocked).
 */
export interface ConnectSessionsTable {
  id_hash: string;
  client_id: string;
  /** The validated authorization request as JSON (no secrets). */
  request: string;
  step: string;
  provider: string | null;
  /** The pending connection holding the sealed credentials once they were submitted. */
  connection_id: string | null;
  csrf_hash: string;
  created_at: number;
  expires_at: number;
}

/**
 * The webhook outbox: one row per event for a client's endpoint, written in the transaction of the change it
 * reports. `id` is the Standard Webhooks `webhook-id` (stable across retries); the body is the exact bytes sent,
 * vault-sealed (owner = client id, purpose `webhook`). A worker holds a row while it sends (`lease_*`), so two
 * workers never send one event at once and a killed worker's row is picked up again when its lease ends.
 */
export interface WebhookEventsTable {
  id: string;
  client_id: string;
  connection_id: string | null;
  type: string;
  body: Uint8Array;
  /** pending | succeeded | failed | disabled (the endpoint was disabled before it could be sent) */
  status: string;
  attempts: number;
  /** HTTP status of the last attempt (null: no answer). */
  last_status: number | null;
  /** Short reason of the last failed attempt (never the receiver's body). */
  last_error: string | null;
  next_attempt_at: number;
  lease_until: number | null;
  lease_token: string | null;
  created_at: number;
  updated_at: number;
  delivered_at: number | null;
}

/** A client's webhook endpoint state: disabled after a 410 or after its retries ran out. */
export interface WebhookEndpointsTable {
  client_id: string;
  disabled_at: number | null;
  disabled_reason: string | null;
}

/** Standard Webhooks secrets (`whsec_…`), vault-sealed; one current, older ones until `expires_at`. */
export interface WebhookSecretsTable {
  id: string;
  client_id: string;
  sealed: Uint8Array;
  created_at: number;
  /** null: current; else the end of its rotation window (it still signs until then). */
  expires_at: number | null;
}

/** The embedded (SQLite) job runner's durable queue; PostgreSQL uses graphile-worker's own tables. */
export interface JobsTable {
  id: Generated<number>;
  kind: string;
  /** JSON. */
  payload: string;
  run_at: number;
  attempts: number;
  locked_until: number | null;
  locked_by: string | null;
  last_error: string | null;
  created_at: number;
}

/** The last good fetch of a polled resource (change webhooks); see src/store/webhook-snapshots.ts. */
export interface WebhookSnapshotsTable {
  connection_id: string;
  /** `employees`. */
  resource: string;
  /** Vault-sealed (owner = connection id, purpose `snapshot`, labelled with the resource). */
  sealed: Uint8Array;
  records: number;
  /** 1 for the first snapshot, bumped by every replacement. */
  version: number;
  taken_at: number;
}

/** Per polled connection, the last poll slot a job was enqueued for; see src/store/webhook-poll-slots.ts. */
export interface WebhookPollSlotsTable {
  connection_id: string;
  /** Start of the slot, epoch ms. */
  slot_at: number;
}

export interface MigrationsMeta {
  id: Generated<number>;
}

export interface Database {
  clients: ClientsTable;
  client_secrets: ClientSecretsTable;
  connections: ConnectionsTable;
  connection_secrets: ConnectionSecretsTable;
  connection_state: ConnectionStateTable;
  tokens: TokensTable;
  signing_keys: SigningKeysTable;
  cache_entries: CacheEntriesTable;
  vault_data_keys: VaultDataKeysTable;
  request_log: RequestLogTable;
  request_log_names: RequestLogNamesTable;
  authorization_codes: AuthorizationCodesTable;
  connect_sessions: ConnectSessionsTable;
  webhook_events: WebhookEventsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_secrets: WebhookSecretsTable;
  embedded_jobs: JobsTable;
  webhook_snapshots: WebhookSnapshotsTable;
  webhook_poll_slots: WebhookPollSlotsTable;
}
