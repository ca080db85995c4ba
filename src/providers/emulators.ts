/**
 * The registry of provider emulators, for the tests that hold for every provider (faults.test.ts beside this file):
 * each entry starts its emulator and hands back what those tests need, in one shape. The official (API) providers
 * connect with their API key or token; the xhr providers sign in to their web-app emulator with a username and
 * password (`webApp` below), through the browser pool where the login needs JavaScript. A new provider adds its
 * entry here. Test tooling: never imported by production code.
 */
import { CHROMIUM, haveChromium } from '../testing/chromium.js';
import { memoryConnectionState } from '../testing/memory-state.js';
import { webLoginTester } from '../testing/web-login.js';
import { createDeputyAdapter } from './deputy/adapter.js';
import * as deputy from './deputy/emulator/server.js';
import type { FaultKnobs } from './emulator-faults.js';
import * as greythr from './greythr/emulator/server.js';
import { createGreytAdapter } from './greythr/adapter.js';
import type { ProviderClientOptions } from './http.js';
import { createJustworksAdapter } from './justworks/adapter.js';
import * as justworks from './justworks/emulator/server.js';
import { BrowserPool } from './session/browser-pool.js';
import type { WebAppEmulator, WebAppKnobs } from './session/web-app-emulator.js';
import { createBambooHrAdapter } from './bamboohr/adapter.js';
import * as bamboohr from './bamboohr/emulator/server.js';
import { contextFor as bamboohrContext } from './bamboohr/test-support.js';
import { createDeelAdapter } from './deel/adapter.js';
import * as deel from './deel/emulator/server.js';
import { contextFor as deelContext, UNPACED as DEEL_UNPACED } from './deel/test-support.js';
import { createFactorialAdapter } from './factorial/adapter.js';
import * as factorial from './factorial/emulator/server.js';
import { apiKeyOf, contextFor as factorialContext } from './factorial/test-support.js';
import { createGustoAdapter } from './gusto/adapter.js';
import * as gusto from './gusto/emulator/server.js';
import { contextFor as gustoContext, UNPACED as GUSTO_UNPACED } from './gusto/test-support.js';
import { createHibobAdapter } from './hibob/adapter.js';
import * as hibob from './hibob/emulator/server.js';
import { providerContext as hibobContext, UNPACED as HIBOB_UNPACED } from './hibob/test-support.js';
import { createPersonioAdapter } from './personio/adapter.js';
import * as personio from './personio/emulator/server.js';
import { contextFor as personioContext } from './personio/test-support.js';
import { createRemoteAdapter } from './remote/adapter.js';
import * as remote from './remote/emulator/server.js';
import { contextFor as remoteContext, UNPACED as REMOTE_UNPACED } from './remote/test-support.js';
import type { ProviderAdapter, ProviderContext } from './types.js';
import { createXeroAdapter } from './xero-uk/adapter.js';
import * as xero from './xero-uk/emulator/server.js';
import {
  emulatorContext as xeroContext,
  UNLIMITED,
  UNPACED as XERO_UNPACED,
} from './xero-uk/test-support.js';

/** The client options every provider's adapter takes. */
export interface CallOptions {
  retries?: number;
  readTimeoutMs?: number;
}

/** A running emulator, as the shared tests drive it. */
export interface RunningEmulator {
  /** The live fault knobs (see emulator-faults.ts). */
  knobs: FaultKnobs;
  /** Requests to the provider's data API the emulator counted so far. */
  requests(): number;
  /** Knobs back to what the entry started with. */
  reset(): void;
  close(): Promise<void>;
  /** An adapter for this emulator, its token already fetched where the provider has one. */
  adapter(options?: CallOptions): Promise<ProviderAdapter>;
  /** A call whose first request is the one that fails (so retries can be counted). */
  single(adapter: ProviderAdapter): Promise<unknown>;
  /** A listing over several pages, and how many records it has. */
  list(adapter: ProviderAdapter): Promise<ReadonlyArray<{ id: string }>>;
  listLength: number;
  /** `failEvery` values: a 503 inside the listing that a retry cures, and a 500 that fails one of its pages. */
  transientEvery: number;
  failingEvery: number;
  /** The retryAfterSeconds a persistent 503 reports: the knob's 1 s, unless the provider sends no Retry-After. */
  retryAfter503?: number;
  /** Sets the emulator's "credentials revoked" knob (every API request answers 401), where it has one. */
  revoke?(): void;
  /** Sets the knob that cuts a middle page of `list` short while more follow, and what the error then says. */
  shortPage?: { set(): void; message: RegExp };
}

export interface EmulatorEntry {
  id: string;
  /** How the adapter connects: an API key or token, or a username and password signed in to the web app. */
  connect: 'api_key' | 'web_login';
  /** Why the entry cannot run on this machine (its tests are skipped, saying so); undefined when it can. */
  unavailable?: string;
  start(): Promise<RunningEmulator>;
}

/**
 * A web-app emulator as the shared tests drive it: each `adapter()` connects as a new connection with the
 * emulator's username and password (signed in by `verify`, as the connect page does); `revoke` changes the
 * password and ends every session, the web app's form of revoked credentials; `reset` restores the knobs
 * (password included) the entry started with.
 */
function webApp<K extends WebAppKnobs>(
  emu: WebAppEmulator<unknown, K, { logins: number }>,
  create: (ctx: ProviderContext, options: ProviderClientOptions) => ProviderAdapter,
  rest: Pick<
    RunningEmulator,
    'single' | 'list' | 'listLength' | 'transientEvery' | 'failingEvery' | 'shortPage'
  > & { context?: Partial<ProviderContext>; close?(): Promise<void> },
): RunningEmulator {
  const initial = { ...emu.knobs };
  const { ctx } = webLoginTester(() => emu);
  const { context, close, ...shared } = rest;
  return {
    ...shared,
    knobs: emu.knobs,
    requests: () => emu.requests(),
    reset: () => void Object.assign(emu.knobs, initial),
    async close() {
      await emu.close();
      await close?.();
    },
    async adapter(options = {}) {
      const adapter = create(ctx({ password: initial.password }, memoryConnectionState(), context), {
        // The suite's own knobs are the only limits: no client-side pacing.
        rateLimit: { requests: 1_000, perMs: 1_000 },
        ...options,
      });
      await adapter.verify();
      return adapter;
    },
    revoke() {
      emu.knobs.password = `${initial.password}-changed`;
      emu.expireSessions();
    },
  };
}

const employees = (a: ProviderAdapter) => a.employees?.() ?? Promise.reject(new Error('no employees()'));

export const emulators: readonly EmulatorEntry[] = [
  {
    id: 'personio',
    connect: 'api_key',
    async start() {
      const emu = await personio.startEmulator({ employees: 250, seed: 11 });
      const initial = { ...emu.knobs };
      return {
        knobs: emu.knobs,
        requests: () => emu.stats.dataCalls,
        reset: () => void Object.assign(emu.knobs, initial),
        close: () => emu.close(),
        async adapter(options = {}) {
          const adapter = createPersonioAdapter(personioContext(emu.baseUrl, emu.credentials), options);
          await adapter.verify();
          return adapter;
        },
        single: (a) => a.groups?.() ?? Promise.resolve(),
        list: employees,
        listLength: 250,
        transientEvery: 3,
        failingEvery: 2,
        // Personio's 503 carries no Retry-After: the adapter answers with its default wait.
        retryAfter503: 30,
      };
    },
  },
  {
    id: 'bamboohr',
    connect: 'api_key',
    async start() {
      const emu = await bamboohr.startEmulator({ employees: 250, seed: 3 });
      return {
        knobs: emu.knobs,
        requests: () => emu.requestCount,
        reset: () => void Object.assign(emu.knobs, bamboohr.DEFAULT_KNOBS),
        close: () => emu.close(),
        adapter: async (options = {}) => createBambooHrAdapter(bamboohrContext(emu), options),
        single: employees,
        list: employees,
        listLength: emu.records.employees.length,
        transientEvery: 3,
        failingEvery: 2,
        revoke: () => void Object.assign(emu.knobs, { expireToken: true }),
      };
    },
  },
  {
    id: 'deel',
    connect: 'api_key',
    async start() {
      // 250 people = 3 offset pages of 99, so a middle page exists.
      const emu = await deel.startEmulator({ employees: 250, seed: 11, knobs: { rateLimitPerSecond: 0 } });
      return {
        knobs: emu.knobs,
        requests: () => emu.stats.requests,
        reset: () => void Object.assign(emu.knobs, deel.DEFAULT_KNOBS, { rateLimitPerSecond: 0 }),
        close: () => emu.close(),
        adapter: async (options = {}) =>
          createDeelAdapter(deelContext(emu.baseUrl, emu.credentials.api_token), {
            ...DEEL_UNPACED,
            ...options,
          }),
        single: (a) => a.company?.() ?? Promise.resolve(),
        list: employees,
        listLength: 250,
        transientEvery: 2,
        failingEvery: 4,
        revoke: () => void Object.assign(emu.knobs, { expireToken: true }),
        shortPage: { set: () => void Object.assign(emu.knobs, { shortPage: true }), message: /offset 99/ },
      };
    },
  },
  {
    id: 'factorial',
    connect: 'api_key',
    async start() {
      // 250 employees = 3 cursor pages, so a middle page exists.
      const emu = await factorial.startEmulator({ employees: 250, seed: 11 });
      return {
        knobs: emu.knobs,
        requests: () => emu.stats.requests,
        reset: () => void Object.assign(emu.knobs, factorial.DEFAULT_KNOBS),
        close: () => emu.close(),
        adapter: async (options = {}) =>
          createFactorialAdapter(factorialContext(emu.baseUrl, apiKeyOf(emu)), options),
        single: (a) => a.company?.() ?? Promise.resolve(),
        list: employees,
        listLength: 250,
        transientEvery: 4,
        failingEvery: 2,
        revoke: () => void Object.assign(emu.knobs, { expireToken: true }),
        shortPage: { set: () => void Object.assign(emu.knobs, { shortPage: true }), message: /more follow/ },
      };
    },
  },
  {
    id: 'gusto',
    connect: 'api_key',
    async start() {
      const emu = await gusto.startEmulator({ employees: 250, seed: 11, knobs: { rateLimitPerMinute: 0 } });
      return {
        knobs: emu.knobs,
        requests: () => emu.stats.apiRequests,
        reset: () => void Object.assign(emu.knobs, gusto.DEFAULT_KNOBS, { rateLimitPerMinute: 0 }),
        close: () => emu.close(),
        // The company uuid is given, so every fault meets the call under test rather than `/v1/token_info`.
        adapter: async (options = {}) =>
          createGustoAdapter(
            gustoContext(emu.baseUrl, { ...emu.credentials, company_uuid: emu.records.company.uuid }),
            { ...GUSTO_UNPACED, ...options },
          ),
        single: (a) => a.groups?.() ?? Promise.resolve(),
        list: employees,
        listLength: 250,
        transientEvery: 3,
        failingEvery: 2,
      };
    },
  },
  {
    id: 'hibob',
    connect: 'api_key',
    async start() {
      const emu = await hibob.startEmulator({ employees: 30, seed: 11, knobs: { ratePerMinute: 0 } });
      return {
        knobs: emu.knobs,
        requests: () => emu.stats.requests,
        reset: () => void Object.assign(emu.knobs, hibob.DEFAULT_KNOBS, { ratePerMinute: 0 }),
        close: () => emu.close(),
        // 30 employees in batches of 8: four search batches and four salaries requests.
        adapter: async (options = {}) =>
          createHibobAdapter(hibobContext({ baseUrl: emu.baseUrl, credentials: emu.credentials }), {
            ...HIBOB_UNPACED,
            peopleBatch: 8,
            ...options,
          }),
        single: (a) => a.groups?.() ?? Promise.resolve(),
        list: employees,
        listLength: 30,
        transientEvery: 3,
        failingEvery: 4,
      };
    },
  },
  {
    id: 'xero uk',
    connect: 'api_key',
    async start() {
      // 250 employees: three pages, so page 2 is a middle page.
      const emu = await xero.startEmulator({ employees: 250, seed: 11, knobs: UNLIMITED });
      return {
        knobs: emu.knobs,
        requests: () => emu.stats.requests,
        reset: () => void Object.assign(emu.knobs, xero.DEFAULT_KNOBS, UNLIMITED),
        close: () => emu.close(),
        async adapter(options = {}) {
          // Without salaries, so the listing is the /Employees pages alone; groups() fetches the token first.
          const adapter = createXeroAdapter(xeroContext(emu), {
            ...XERO_UNPACED,
            compensationMaxEmployees: 0,
            ...options,
          });
          await adapter.groups();
          return adapter;
        },
        single: (a) => a.groups?.() ?? Promise.resolve(),
        list: employees,
        listLength: 250,
        transientEvery: 2,
        failingEvery: 3,
      };
    },
  },
  {
    id: 'remote.com',
    connect: 'api_key',
    async start() {
      // 250 employments = 3 pages of 100, so a middle page exists; details are not read (above the cap), so the
      // listing is the three pages alone. Remote's own window is off here (remote/faults.test.ts covers it).
      const emu = await remote.startEmulator({ employees: 250, seed: 11 });
      return {
        knobs: emu.knobs,
        requests: () => emu.stats.requests,
        reset: () => void Object.assign(emu.knobs, remote.DEFAULT_KNOBS),
        close: () => emu.close(),
        adapter: async (options = {}) =>
          createRemoteAdapter(remoteContext(emu.baseUrl, emu.credentials.api_token), {
            ...REMOTE_UNPACED,
            ...options,
          }),
        single: (a) => a.groups?.() ?? Promise.resolve(),
        list: employees,
        listLength: 250,
        transientEvery: 2,
        failingEvery: 3,
        revoke: () => void Object.assign(emu.knobs, { expireToken: true }),
        shortPage: { set: () => void Object.assign(emu.knobs, { shortPage: true }), message: /page 2 of 3/ },
      };
    },
  },
  {
    id: 'justworks (xhr)',
    connect: 'web_login',
    async start() {
      const emu = await justworks.startEmulator({ employees: 40, seed: 11 });
      const run = emu.data.payrolls[3]?.uuid ?? '';
      return webApp(emu, createJustworksAdapter, {
        // Justworks pages nothing: a pay run's stubs are its two page reads (the payroll, then its stubs).
        single: employees,
        list: async (a) => ((await a.payslips?.(run)) ?? []).map((s) => ({ id: String(s.id) })),
        listLength: emu.data.paystubs.get(run)?.length ?? 0,
        transientEvery: 2,
        failingEvery: 2,
      });
    },
  },
  {
    id: 'deputy (xhr)',
    connect: 'web_login',
    async start() {
      // 1,100 employees = three Resource API QUERY pages of 500; one day of timesheets keeps the seed small.
      const emu = await deputy.startEmulator({ employees: 1_100, seed: 11, days: 1 });
      return webApp(emu, createDeputyAdapter, {
        single: (a) => a.groups?.() ?? Promise.resolve(),
        list: employees,
        listLength: 1_100,
        transientEvery: 2,
        failingEvery: 2,
      });
    },
  },
  {
    id: 'greythr (xhr, browser login)',
    connect: 'web_login',
    unavailable: haveChromium ? undefined : `${CHROMIUM} not found`,
    async start() {
      // 250 employees = three directory pages of 100, so a middle page exists.
      const emu = await greythr.startEmulator({ employees: 250, seed: 11 });
      const browsers = new BrowserPool({ executablePath: CHROMIUM, maxPages: 2, maxMemoryMb: 512 });
      return webApp(emu, createGreytAdapter, {
        context: { browsers },
        close: () => browsers.close(),
        single: employees,
        list: employees,
        listLength: 250,
        transientEvery: 2,
        failingEvery: 2,
        shortPage: {
          set: () => void Object.assign(emu.knobs, { shortPage: true }),
          message: /page 1 has 99 of 100 rows/,
        },
      });
    },
  },
];
