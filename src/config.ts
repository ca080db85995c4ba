/**
 * One schema for every environment variable. Parsed once at start; a bad value stops start-up with the full list
 * of problems. Defaults describe the embedded single node: SQLite under ./data, no Redis, seed rate limits.
 */
import { isIP } from 'node:net';
import path from 'node:path';
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

const DURATION_PATTERN = '^\\d+(ms|s|m|h|d|y)$';
const Duration = (def: string, description: string) =>
  Type.String({ default: def, pattern: DURATION_PATTERN, description });

/**
 * The default of `REFRESH_BROTLI_QUALITY`: the most a refreshed entry (a webhook poll's live fetch,
 * `FetchJobs.resolve` with `refresh`) is compressed with. Nobody waits for it, but it is made on every poll of every
 * connection, so its CPU is one of the poll's largest parts. On 1,000 sandbox employees (2.97 MB) brotli q5 takes
 * 35 ms and gives 230 KB, q4 22 ms and 269 KB, q3 14 ms and 310 KB, q1 7 ms and 369 KB (one quiet core; q2 costs as
 * much as q3 here); whole P3 polls at q1 took about 4 ms less CPU than at q3 (noisy: docs/benchmarks.md).
 */
export const DEFAULT_REFRESH_BROTLI_QUALITY = 1;

/**
 * The default of `HEAP_GROWING_PERCENT` (V8's `--heap-growing-percent`, src/cli/heap.ts). V8 lets the old generation
 * grow to up to 4× what the last full collection kept before it collects again, so a process that walks a large
 * provider list (pages parsed, mapped and encoded, most of it promoted out of the young generation) peaks far above
 * what it holds: Personio's cold 10,000-employee walk (P2) peaked at 281–290 MB with V8's factor and at 232 MB at
 * 100 % (2×), for 4 % more CPU; 25 % gave 192–241 MB but doubled or tripled the CPU of long walks (Deel 1,730 →
 * 3,340–4,960 ms), 50 % cost more CPU than 100 % for no less memory (docs/benchmarks.md, "Heap growth").
 */
export const DEFAULT_HEAP_GROWING_PERCENT = 100;

export const ConfigSchema = Type.Object({
  PORT: Type.Integer({ default: 8080, minimum: 0, maximum: 65535, description: 'HTTP port to listen on' }),
  HOST: Type.String({
    default: '127.0.0.1',
    minLength: 1,
    description: 'interface to bind (0.0.0.0 in containers)',
  }),
  PUBLIC_URL: Type.Optional(
    Type.String({
      pattern: '^https?://[^\\s/]+(/[^\\s]*)?$',
      description: 'external base URL; the token issuer and audience (default http://localhost:PORT)',
    }),
  ),
  DATA_DIR: Type.String({
    default: './data',
    minLength: 1,
    description: 'SQLite file, keyring and other local state',
  }),
  DATABASE_URL: Type.Optional(
    Type.String({
      pattern: '^(postgres(ql)?://|sqlite:|file:|:memory:$)',
      description:
        'postgres://… for PostgreSQL; sqlite:<path> or :memory:; default sqlite:$DATA_DIR/affix.db',
    }),
  ),
  DATABASE_CONNECT_TIMEOUT: Duration(
    '5s',
    'PostgreSQL: longest wait for a database connection (new, or free in the pool) before the request gets 503',
  ),
  DATABASE_STATEMENT_TIMEOUT: Duration(
    '10s',
    'PostgreSQL: longest a statement may run (statement_timeout); 1 s later the client gives up on an unanswering server',
  ),
  REDIS_URL: Type.Optional(
    Type.String({
      pattern: '^rediss?://',
      description: 'optional; shared rate limits and revocation fan-out',
    }),
  ),
  REDIS_KEY_PREFIX: Type.String({
    default: 'affix:',
    pattern: '^[A-Za-z0-9:_.-]*$',
    description: 'prefix of every Redis key this deployment writes (two deployments may share one Redis)',
  }),
  AFFIX_ENV: Type.Union([Type.Literal('dev'), Type.Literal('prod')], {
    default: 'dev',
    description: 'one deployment = one environment',
  }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info', description: 'pino log level' },
  ),
  CACHE_TTL: Duration('1h', 'how long a fetched result is served from cache (at most 14d)'),
  CACHE_MEMORY: Type.Integer({
    default: 67_108_864,
    minimum: 0,
    description:
      "bytes of cached responses each node keeps in memory (compressed, least recently used evicted first; 0 = read every answer from the database); the process's RSS stays within this plus a constant (docs/operations.md)",
  }),
  CACHE_WAIT: Duration('10s', 'how long a data request waits for a fetch before answering 202'),
  PROVIDER_READ_TIMEOUT: Duration(
    '30s',
    'how long a provider may take to start or continue an answer before the fetch fails with 503',
  ),
  TOKEN_TTL: Duration('10y', 'access token lifetime'),
  KEY_ROTATION_DELAY: Duration(
    '1h',
    '`affix keys rotate`: how long a new signing key is published (JWKS) before tokens are signed with it',
  ),
  RATE_LIMITS: Type.Union([Type.Literal('seed'), Type.Literal('off')], {
    default: 'seed',
    description:
      'seed = the limits of the Affix docs, per endpoint (docs/operations.md); off for benchmarks, announced at start',
  }),
  FAST_PATH: Type.Union([Type.Literal('on'), Type.Literal('off')], {
    default: 'on',
    description:
      'on = warm cached GETs of the data routes are answered before Fastify with the same behaviour (src/http/fast-path.ts); off = every request goes through Fastify',
  }),
  RATE_LIMIT_SCALE: Type.Integer({
    default: 1,
    minimum: 1,
    maximum: 1_000_000,
    description:
      'RATE_LIMITS=seed: every quota multiplied by this (windows unchanged); 1 = the documented limits',
  }),
  REQUEST_TIMEOUT: Duration(
    '30s',
    'longest time a client may take to send a whole request (headers and body); then 408 and the connection closes',
  ),
  HEADERS_TIMEOUT: Duration(
    '10s',
    'longest time a client may take to send the request headers (at most REQUEST_TIMEOUT)',
  ),
  KEEP_ALIVE_TIMEOUT: Duration(
    '72s',
    'how long an idle keep-alive connection stays open (above the 60 s idle timeout of common load balancers)',
  ),
  TRUST_PROXY: Type.String({
    default: 'off',
    pattern: '^(off|\\d{1,2}|[0-9a-fA-F.:/]+(\\s*,\\s*[0-9a-fA-F.:/]+)*)$',
    description:
      'which proxies may set X-Forwarded-For: off, a hop count (1 = the one proxy in front), or a comma list of IPs/CIDRs; the client IP of rate limits, lockouts and logs',
  }),
  METRICS_TOKEN: Type.Optional(
    Type.String({
      minLength: 16,
      description:
        'bearer token that GET /metrics (Prometheus text) requires; unset = no /metrics (404). At least 16 characters',
    }),
  ),
  BODY_LIMIT: Type.Integer({
    default: 1_048_576,
    minimum: 1024,
    description: 'largest accepted request body in bytes',
  }),
  SANDBOX: Type.Optional(
    Type.Union([Type.Literal('on'), Type.Literal('off')], {
      description: 'the sandbox provider (fake data): on by default with AFFIX_ENV=dev, off with prod',
    }),
  ),
  SANDBOX_EMPLOYEES: Type.Integer({
    default: 50,
    minimum: 1,
    maximum: 10_000,
    description: 'employees in a new sandbox connection',
  }),
  SANDBOX_CHURN: Type.Number({
    default: 0,
    minimum: 0,
    maximum: 1,
    description:
      "fraction of a sandbox company's employees hired, let go, edited or deleted at each fetch of its employees (each webhook poll); 0 = stable",
  }),
  VAULT_KEYRING: Type.Union([Type.Literal('local'), Type.Literal('aws-kms')], {
    default: 'local',
    description: 'key-encryption keys: local = $DATA_DIR/keyring.json (0600); aws-kms = AWS KMS (KMS_KEY_ID)',
  }),
  KMS_KEY_ID: Type.Optional(
    Type.String({ minLength: 1, description: 'AWS KMS key ARN or id (VAULT_KEYRING=aws-kms)' }),
  ),
  KMS_ENDPOINT: Type.Optional(
    Type.String({
      pattern: '^https?://',
      description: 'optional KMS endpoint (VPC endpoint, or a loopback emulator)',
    }),
  ),
  AWS_REGION: Type.String({ default: 'eu-west-1', minLength: 1, description: 'AWS region for KMS' }),
  REQUEST_LOG: Type.Union([Type.Literal('db'), Type.Literal('stdout'), Type.Literal('off')], {
    default: 'db',
    description:
      'where request logs go: db = the database (read at /management/logs) and the log line; stdout = only the log line (/management/logs answers []); off = neither',
  }),
  REQUEST_LOG_MAX_ROWS: Type.Integer({
    default: 10_000_000,
    minimum: 1000,
    description:
      'most request-log rows kept (oldest deleted first by the retention job), besides LOG_RETENTION; about 1 GB on SQLite at the default (docs/operations.md)',
  }),
  LOG_RETENTION: Duration('14d', 'how long request logs are kept (at most 14d, the retention promise)'),
  BROWSER_EXECUTABLE: Type.String({
    default: '/usr/bin/chromium',
    minLength: 1,
    description:
      'xhr mode: the Chromium that web logins needing JavaScript drive (Debian package `chromium`)',
  }),
  BROWSER_MAX_PAGES: Type.Integer({
    default: 4,
    minimum: 1,
    maximum: 64,
    description: 'xhr mode: most browser pages open at once on this node; further logins wait for a free one',
  }),
  BROWSER_MAX_MEMORY_MB: Type.Integer({
    default: 512,
    minimum: 64,
    maximum: 16_384,
    description:
      'xhr mode: V8 heap limit of each browser page (MiB); a page above it crashes and its login fails',
  }),
  SCREENSHOT_RETENTION: Duration(
    '5d',
    'how long error screenshots are kept (at most 5d, the retention promise)',
  ),
  RETENTION_INTERVAL: Duration(
    '10m',
    'how often the retention job deletes expired logs, caches, screenshots and connect flows',
  ),
  VAULT_REWRAP_INTERVAL: Duration(
    '1h',
    'how often a serving node moves data keys onto the primary KEK after a rotation (0s = never)',
  ),
  SENTRY_DSN: Type.Optional(
    Type.String({
      pattern: '^https?://',
      description: 'optional Sentry DSN; error reports are scrubbed (no PII)',
    }),
  ),
  SECURITY_CONTACT: Type.Optional(
    Type.String({
      pattern: '^(mailto:|https://|tel:)',
      description: 'Contact of /.well-known/security.txt (default mailto:security@<PUBLIC_URL host>)',
    }),
  ),
  WEBHOOK_POLL_INTERVAL: Duration(
    '1h',
    'how often each active connection of a client with a webhook_uri is polled for employee changes (1s to 7d; spread with jitter, one poll per connection per interval across all workers)',
  ),
  WEBHOOKS_ALLOW_PRIVATE_URLS: Type.Boolean({
    default: false,
    description:
      'let webhooks reach loopback and private (RFC 1918, fc00::/7) addresses, for local work; link-local and cloud metadata stay refused; refused with AFFIX_ENV=prod',
  }),
  WEBHOOK_TIMEOUT: Duration(
    '15s',
    'longest a webhook receiver may take to answer one delivery attempt (at most 30s); then the attempt counts as failed and is retried',
  ),
  WEBHOOK_RETRY_WINDOW: Duration(
    '3d',
    'how long a webhook is retried (429, 5xx, timeouts, unreachable) before it fails and the endpoint is disabled (at most 3d)',
  ),
  WEBHOOK_RETRY_BASE: Duration(
    '10s',
    'first retry delay of a webhook; each later one doubles (with jitter, at most 6h), or waits Retry-After when longer',
  ),
  WEBHOOK_SECRET_ROTATION_WINDOW: Duration(
    '24h',
    'after a webhook secret rotation, how long the previous whsec_ secret keeps signing beside the new one',
  ),
  WEBHOOK_CONCURRENCY: Type.Integer({
    default: 10,
    minimum: 1,
    maximum: 1000,
    description: 'webhook jobs (polls and delivery attempts) one process runs at once',
  }),
  REFRESH_BROTLI_QUALITY: Type.Integer({
    default: DEFAULT_REFRESH_BROTLI_QUALITY,
    minimum: 0,
    maximum: 11,
    description:
      "brotli quality (at most) of the cached answer a webhook poll refreshes, whose bytes its snapshot keeps; higher: smaller cached answers and snapshots, more CPU per poll (an API read's own fetch picks its quality by size)",
  }),
  HEAP_GROWING_PERCENT: Type.Integer({
    default: DEFAULT_HEAP_GROWING_PERCENT,
    minimum: 0,
    maximum: 300,
    description:
      "how far V8 lets the JavaScript heap grow past what the last full collection kept, in percent, in `affix serve` and `affix worker`; lower: a smaller peak RSS for more garbage-collection CPU; 0: V8's own factor (up to 300 %)",
  }),
});

export type RawConfig = Static<typeof ConfigSchema>;

export interface Config extends RawConfig {
  PUBLIC_URL: string;
  DATABASE_URL: string;
  databaseConnectTimeoutMs: number;
  databaseStatementTimeoutMs: number;
  cacheTtlMs: number;
  cacheWaitMs: number;
  providerReadTimeoutMs: number;
  /** TRUST_PROXY as Fastify's `trustProxy` takes it. */
  trustProxy: false | number | string[];
  /** SANDBOX, or its default for AFFIX_ENV: production offers no fake provider unless asked to. */
  sandboxEnabled: boolean;
  requestTimeoutMs: number;
  headersTimeoutMs: number;
  keepAliveTimeoutMs: number;
  tokenTtlSeconds: number;
  keyRotationDelayMs: number;
  webhookPollIntervalMs: number;
  webhookTimeoutMs: number;
  webhookRetryWindowMs: number;
  webhookRetryBaseMs: number;
  webhookSecretRotationWindowMs: number;
  logRetentionMs: number;
  screenshotRetentionMs: number;
  retentionIntervalMs: number;
  vaultRewrapIntervalMs: number;
  /** `PROVIDER_<ID>_BASE_URL` overrides, keyed by the upper-cased provider id. */
  providerBaseUrls: Record<string, string>;
  /** `PROVIDER_<ID>_PROXY`: the HTTP(S) proxy of a provider's traffic, keyed like `providerBaseUrls`. */
  providerProxies: Record<string, string>;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  y: 365 * 86_400_000,
};

/** Parses `10s`, `5m`, `1h`, `14d`, `10y` into milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+)(ms|s|m|h|d|y)$/.exec(text);
  if (!m) throw new Error(`not a duration: ${text}`);
  return Number(m[1]) * (UNIT_MS[m[2] as string] ?? Number.NaN);
}

const MAX_CACHE_TTL_MS = 14 * 86_400_000;
/** The published retention promises: settings may shorten them, never lengthen them. */
export const MAX_LOG_RETENTION_MS = 14 * 86_400_000;
export const MAX_SCREENSHOT_RETENTION_MS = 5 * 86_400_000;

function trustProxySetting(value: string): false | number | string[] {
  if (value === 'off') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value.split(',').map((p) => p.trim());
}

/** The env var that points provider `id` at another base URL (emulators, tests). */
export function providerBaseUrlVar(id: string): string {
  return `PROVIDER_${id.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_BASE_URL`;
}

/**
 * One line per bad setting, naming what is allowed: TypeBox reports a union of literals once per member, and a
 * pattern as a regex, neither of which tells an operator what to write.
 */
function schemaProblems(value: Record<string, unknown>): string[] {
  const byName = new Map<string, string>();
  for (const e of Value.Errors(ConfigSchema, value)) {
    const name = e.path.slice(1) || '(root)';
    if (byName.has(name)) continue;
    const schema = (ConfigSchema.properties as Record<string, TSchema>)[name];
    byName.set(
      name,
      `${name}: expected ${schema ? expected(schema) : 'a valid value'}, got ${JSON.stringify(e.value)}`,
    );
  }
  return [...byName.values()];
}

function expected(schema: TSchema): string {
  const s = schema as TSchema & {
    anyOf?: Array<{ const?: unknown }>;
    pattern?: string;
    minimum?: number;
    maximum?: number;
    description?: string;
  };
  if (s.anyOf) {
    const names = s.anyOf.map((m) => String(m.const));
    return names.length === 2 ? `${names[0]} or ${names[1]}` : `one of ${names.join(', ')}`;
  }
  if (s.pattern === DURATION_PATTERN) return 'a duration such as 500ms, 10s, 5m, 1h, 14d or 1y';
  if (s.type === 'integer' || s.type === 'number') {
    const kind = s.type === 'integer' ? 'an integer' : 'a number';
    if (s.minimum !== undefined && s.maximum !== undefined)
      return `${kind} from ${s.minimum} to ${s.maximum}`;
    if (s.minimum !== undefined) return `${kind} of at least ${s.minimum}`;
    return kind;
  }
  if (s.type === 'boolean') return 'true or false';
  if (s.pattern) return `a value matching ${s.pattern}`;
  return 'a non-empty value';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const known = Object.keys(ConfigSchema.properties);
  const input: Record<string, unknown> = {};
  for (const key of known) {
    const v = env[key];
    if (v !== undefined && v !== '') input[key] = v;
  }
  const converted = Value.Convert(ConfigSchema, Value.Default(ConfigSchema, input)) as Record<
    string,
    unknown
  >;
  const problems = schemaProblems(converted);
  // Checks of one setting's meaning run for every setting whose form is right, so one bad value never hides another.
  const valid = (name: keyof RawConfig) => !problems.some((p) => p.startsWith(`${name}:`));
  const raw = converted as RawConfig;
  const ms = (name: keyof RawConfig) => (valid(name) ? parseDuration(raw[name] as string) : Number.NaN);

  const cacheTtlMs = ms('CACHE_TTL');
  if (cacheTtlMs > MAX_CACHE_TTL_MS) problems.push('CACHE_TTL: at most 14d (the retention promise)');
  if (cacheTtlMs < 1000) problems.push('CACHE_TTL: at least 1s');
  const logRetentionMs = ms('LOG_RETENTION');
  if (logRetentionMs > MAX_LOG_RETENTION_MS)
    problems.push('LOG_RETENTION: at most 14d (the retention promise)');
  const screenshotRetentionMs = ms('SCREENSHOT_RETENTION');
  if (screenshotRetentionMs > MAX_SCREENSHOT_RETENTION_MS) {
    problems.push('SCREENSHOT_RETENTION: at most 5d (the retention promise)');
  }
  if (raw.WEBHOOKS_ALLOW_PRIVATE_URLS === true && raw.AFFIX_ENV === 'prod') {
    problems.push('WEBHOOKS_ALLOW_PRIVATE_URLS: refused when AFFIX_ENV=prod');
  }
  const publicUrl = (raw.PUBLIC_URL ?? `http://localhost:${raw.PORT}`).replace(/\/+$/, '');
  if (raw.AFFIX_ENV === 'prod' && valid('PUBLIC_URL') && !publicUrl.startsWith('https://')) {
    problems.push('PUBLIC_URL: must be https:// when AFFIX_ENV=prod');
  }
  if (valid('TRUST_PROXY') && raw.TRUST_PROXY !== 'off' && !/^\d+$/.test(raw.TRUST_PROXY)) {
    for (const part of raw.TRUST_PROXY.split(',').map((p) => p.trim())) {
      const [address = '', bits] = part.split('/');
      const family = isIP(address);
      const max = family === 6 ? 128 : 32;
      if (family === 0 || (bits !== undefined && !(/^\d+$/.test(bits) && Number(bits) <= max))) {
        problems.push(`TRUST_PROXY: "${part}" is not an IP address or CIDR range`);
      }
    }
  }
  const webhookTimeoutMs = ms('WEBHOOK_TIMEOUT');
  if (webhookTimeoutMs > 30_000) problems.push('WEBHOOK_TIMEOUT: at most 30s');
  if (webhookTimeoutMs < 100) problems.push('WEBHOOK_TIMEOUT: at least 100ms');
  const webhookRetryWindowMs = ms('WEBHOOK_RETRY_WINDOW');
  if (webhookRetryWindowMs > 3 * 86_400_000) problems.push('WEBHOOK_RETRY_WINDOW: at most 3d');
  const webhookPollIntervalMs = ms('WEBHOOK_POLL_INTERVAL');
  if (webhookPollIntervalMs < 1000) problems.push('WEBHOOK_POLL_INTERVAL: at least 1s');
  if (webhookPollIntervalMs > 7 * 86_400_000) problems.push('WEBHOOK_POLL_INTERVAL: at most 7d');
  const webhookRetryBaseMs = ms('WEBHOOK_RETRY_BASE');
  if (webhookRetryBaseMs < 10) problems.push('WEBHOOK_RETRY_BASE: at least 10ms');
  const databaseConnectTimeoutMs = ms('DATABASE_CONNECT_TIMEOUT');
  if (databaseConnectTimeoutMs < 100) problems.push('DATABASE_CONNECT_TIMEOUT: at least 100ms');
  const databaseStatementTimeoutMs = ms('DATABASE_STATEMENT_TIMEOUT');
  if (databaseStatementTimeoutMs < 100) problems.push('DATABASE_STATEMENT_TIMEOUT: at least 100ms');
  const requestTimeoutMs = ms('REQUEST_TIMEOUT');
  if (ms('HEADERS_TIMEOUT') > requestTimeoutMs) problems.push('HEADERS_TIMEOUT: at most REQUEST_TIMEOUT');
  if (requestTimeoutMs < 1000) problems.push('REQUEST_TIMEOUT: at least 1s');
  if (raw.VAULT_KEYRING === 'aws-kms' && !raw.KMS_KEY_ID)
    problems.push('KMS_KEY_ID: required with VAULT_KEYRING=aws-kms');
  for (const [key, value] of Object.entries(env)) {
    if (/^PROVIDER_[A-Z0-9_]+_PROXY$/.test(key) && value && !/^https?:\/\/[^\s/]+\/?$/.test(value)) {
      problems.push(`${key}: expected http://host:port or https://host:port, got ${JSON.stringify(value)}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const providerBaseUrls: Record<string, string> = {};
  const providerProxies: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    const m = /^PROVIDER_([A-Z0-9_]+)_BASE_URL$/.exec(key);
    if (m?.[1] && value) providerBaseUrls[m[1]] = value.replace(/\/+$/, '');
    const p = /^PROVIDER_([A-Z0-9_]+)_PROXY$/.exec(key);
    if (p?.[1] && value) providerProxies[p[1]] = value;
  }

  return {
    ...raw,
    PUBLIC_URL: publicUrl,
    DATABASE_URL: raw.DATABASE_URL ?? `sqlite:${path.join(raw.DATA_DIR, 'affix.db')}`,
    databaseConnectTimeoutMs,
    databaseStatementTimeoutMs,
    cacheTtlMs,
    cacheWaitMs: parseDuration(raw.CACHE_WAIT),
    providerReadTimeoutMs: parseDuration(raw.PROVIDER_READ_TIMEOUT),
    requestTimeoutMs,
    trustProxy: trustProxySetting(raw.TRUST_PROXY),
    sandboxEnabled: raw.SANDBOX === undefined ? raw.AFFIX_ENV === 'dev' : raw.SANDBOX === 'on',
    headersTimeoutMs: parseDuration(raw.HEADERS_TIMEOUT),
    keepAliveTimeoutMs: parseDuration(raw.KEEP_ALIVE_TIMEOUT),
    tokenTtlSeconds: Math.floor(parseDuration(raw.TOKEN_TTL) / 1000),
    keyRotationDelayMs: parseDuration(raw.KEY_ROTATION_DELAY),
    webhookPollIntervalMs,
    webhookTimeoutMs,
    webhookRetryWindowMs,
    webhookRetryBaseMs,
    webhookSecretRotationWindowMs: parseDuration(raw.WEBHOOK_SECRET_ROTATION_WINDOW),
    logRetentionMs,
    screenshotRetentionMs,
    retentionIntervalMs: parseDuration(raw.RETENTION_INTERVAL),
    vaultRewrapIntervalMs: parseDuration(raw.VAULT_REWRAP_INTERVAL),
    providerBaseUrls,
    providerProxies,
  };
}

/** Rows for the README's config table: name, default, description. */
export function configTable(): Array<{ name: string; default: string; description: string }> {
  return Object.entries(ConfigSchema.properties).map(([name, schema]) => {
    const s = schema as { default?: unknown; description?: string };
    return {
      name,
      default: s.default === undefined ? '' : String(s.default),
      description: s.description ?? '',
    };
  });
}
