/**
 * A provider is data first (declaration) plus an adapter factory. Routes never talk to a provider directly: they go
 * through the sync layer, which calls the adapter returned by `connect()`.
 */
import type {
  Company,
  CreateEmployeeRequest,
  Employee,
  Group,
  Identity,
  Location,
  Mode,
  Payrun,
  Payslip,
  ProviderId,
  Resource,
  TimeOffBalance,
  TimeOffEntry,
  Timesheet,
} from '../model/index.js';
import type { ProviderCallSink } from './http.js';
import type { KeptCompanyMemo } from './sandbox/company-memo.js';
import type { CompanyGenerator } from './sandbox/generator-pool.js';
import type { BrowserPool } from './session/browser-pool.js';
import type { WebSessionRegistry } from './session/web-session.js';

/** A field on the connect page's credential form. */
export interface ConnectField {
  name: string;
  label: string;
  secret: boolean;
  required: boolean;
  /** `checkbox`: ticked sends `on`, unticked sends nothing (e.g. "Keep me signed in"). Default a text input. */
  kind?: 'text' | 'checkbox';
  /** ECMAScript regex source the value must match. */
  pattern?: string;
  help?: string;
  placeholder?: string;
}

export type AuthKind = 'none' | 'api_key' | 'basic' | 'client_credentials' | 'oauth2' | 'password';

export interface ProviderDeclaration {
  id: ProviderId;
  displayName: string;
  /** data: URL or path under /static; never an external asset. */
  logo?: string;
  tags: string[];
  modes: Mode[];
  auth: Partial<Record<Mode, AuthKind>>;
  /** Credential form per mode. */
  fields: Partial<Record<Mode, ConnectField[]>>;
  /** Which unified resources each mode supports; everything else answers 501. */
  resources: Partial<Record<Mode, readonly Resource[]>>;
  /** The provider's default API (or web app) base URL; overridable by PROVIDER_<ID>_BASE_URL. */
  defaultBaseUrl?: string;
  /** The provider's documented rate limits as its client paces them, in a line (docs/providers.md shows it). */
  limits: string;
}

/** A closed date range, `YYYY-MM-DD` both ends, inclusive. */
export interface DateRange {
  start_date: string;
  end_date: string;
}

/** What an adapter may use: never the database. */
export interface ProviderContext {
  connectionId: string;
  mode: Mode;
  /** Decrypted credentials from the connect form (or settings for the sandbox). */
  credentials: Record<string, string>;
  /** Non-secret per-connection settings (e.g. sandbox size, seed). */
  settings: Record<string, unknown>;
  baseUrl?: string;
  signal?: AbortSignal;
  /** Small per-connection state kept by the platform (e.g. the sandbox's created employees, refreshed tokens). */
  state: ConnectionState;
  /** True in prod: provider URLs must be https. */
  requireTls: boolean;
  /** PROVIDER_READ_TIMEOUT: time to first byte and between body chunks; an adapter's own option wins. */
  readTimeoutMs?: number;
  /** This node's count of calls to this provider; pass it to ProviderHttp (`metrics`). */
  metrics?: ProviderCallSink;
  /** This node's Chromium pool, for web logins that need JavaScript (xhr mode). */
  browsers?: BrowserPool;
  /** PROVIDER_<ID>_PROXY: the HTTP(S) proxy all of this provider's traffic goes through, both login strategies. */
  proxyUrl?: string;
  /** Keeps a sealed screenshot of a page that did not look as expected (unexpected errors only), 5 days. */
  screenshot?: (png: Buffer) => Promise<void>;
  /**
   * Called once when the connection's provider session ended and only the user can sign in again (no stored
   * password, an MFA code we cannot produce, a changed password). The platform sends the lifecycle event.
   */
  reauthenticationRequired?: () => Promise<void>;
  /** This node's web sessions (xhr): re-logins running and session generations seen, by connection. */
  webSessions?: WebSessionRegistry;
  /**
   * Runs `task` holding a cluster-wide lock named `name` for this connection (PostgreSQL advisory lock; on SQLite,
   * one process, it just runs): the xhr re-login happens once across nodes.
   */
  exclusive?: <T>(name: string, task: () => Promise<T>) => Promise<T>;
  /** This node's memo of opened sandbox companies (the sandbox only; without it every read unpacks its company). */
  keptCompanies?: KeptCompanyMemo;
  /** This node's sandbox generator thread (the sandbox only; without it a company is generated on this thread). */
  sandboxGenerator?: CompanyGenerator;
  /** SANDBOX_CHURN: the fraction of its employees a simulated provider (the sandbox) changes per fetch. */
  churn?: number;
  /**
   * The structured (pino) process logger: where provider warnings go (a list served despite its announced total,
   * ../totals.ts, logged with this connection's id).
   */
  log?: ProviderLog;
}

/** What an adapter may log through: pino's `warn(facts, message)`. */
export interface ProviderLog {
  warn(facts: Record<string, unknown>, message: string): void;
}

export interface ConnectionState {
  get<T = unknown>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
  /**
   * Replaces the value under `key` with `fn(current)` atomically: concurrent updates of one key (on any node) each
   * see the previous one's result, none is lost. `fn` may run more than once (after a conflict), so it must not
   * have side effects. Returns the value written.
   * @example await ctx.state.update<Employee[]>('created_employees', (list = []) => [...list, employee]);
   */
  update<T = unknown>(key: string, fn: (current: T | undefined) => T | Promise<T>): Promise<T>;
}

/** A request the caller wants sent, authenticated, to the provider's own API (the passthrough extension). */
export interface PassthroughRequest {
  /** Default GET. */
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Starts with `/`; resolved under the provider's API base and refused if it would leave it. */
  path: string;
  query?: Record<string, string>;
  /** Any JSON; sent as `application/json`. */
  body?: unknown;
  /** Lower-case names from a short allowlist (e.g. `accept`); never authorization or cookies. */
  headers?: Record<string, string>;
}

/** The provider's answer, whatever its status. */
export interface PassthroughResponse {
  status: number;
  /** Only a safe subset (content type, rate limits); never the provider's auth headers or cookies. */
  headers: Record<string, string>;
  /** Parsed JSON when the provider said JSON, else the text; null when empty. */
  body: unknown;
}

/**
 * Where a list goes as it arrives, so the API can encode it while the rest is still being fetched. Items handed to
 * `push` are final and in order; the list is everything pushed followed by what the method returns.
 */
export interface ListSink<T> {
  /** The list's full length, when the provider tells it before the end. */
  expect?(total: number): void;
  push(items: readonly T[]): void;
  /**
   * `push` for an adapter that already holds its items' JSON (the sandbox keeps its company as JSON text):
   * `texts[i]`, when given, is exactly `JSON.stringify(items[i])`, so the fetch path hashes and caches that text
   * instead of serializing the item again; an undefined text is made by the fetch path. Optional on both sides: an
   * adapter calls it only when the sink has it, else `push`.
   */
  pushWithJson?(items: readonly T[], texts: readonly (string | undefined)[]): void;
  /**
   * Drops everything pushed so far: the list starts again. For an adapter that finds, at the end, that items it
   * pushed were not final after all (Personio's office addresses, see personio/employee-stream.ts). Sinks that
   * cannot take items back leave it out, and adapters then push nothing they might have to take back.
   */
  restart?(): void;
}

export interface ProviderAdapter {
  /** One cheap authenticated call; throws ProviderError on bad credentials. */
  verify(): Promise<void>;
  identity?(): Promise<Identity>;
  company?(): Promise<Company[]>;
  /**
   * Every employee. With a `sink`, an adapter may push employees to it as their pages arrive and return only the
   * rest; without one (or if it does not stream) it returns them all.
   */
  employees?(sink?: ListSink<Employee>): Promise<Employee[]>;
  createEmployee?(input: CreateEmployeeRequest): Promise<Employee>;
  groups?(): Promise<Group[]>;
  workLocations?(): Promise<Location[]>;
  payruns?(range: DateRange): Promise<Payrun[]>;
  /** Returns null when the payrun does not exist (→ 404). */
  payslips?(payrunId: string): Promise<Payslip[] | null>;
  timesheets?(range: DateRange | null): Promise<Timesheet[]>;
  timeOffEntries?(range: DateRange | null): Promise<TimeOffEntry[]>;
  timeOffBalances?(): Promise<TimeOffBalance[]>;
  /**
   * An authenticated request to the provider's API, confined to its base URL; returns the provider's status and
   * body instead of throwing on them (a 401 still throws, as the credentials are then unusable).
   */
  passthrough?(req: PassthroughRequest): Promise<PassthroughResponse>;
}

export interface Provider extends ProviderDeclaration {
  connect(ctx: ProviderContext): ProviderAdapter;
}
