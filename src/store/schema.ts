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
  webhook_snapshots: WebhookSnapshotsTable;
}
