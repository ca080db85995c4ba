/**
 * Personio, BambooHR, Deel, Factorial, Xero Payroll UK, Gusto, HiBob and Remote end to end: each provider's emulator behind
 * a real Affix node, the hosted connect page driven in Chromium with the emulator's credentials (wrong ones first),
 * the code exchanged at the management API, then every official data endpoint over HTTP: supported ones validate
 * against the contract and equal what the adapter makes of the emulator's records (employees also checked against
 * the raw records on key fields);
 * unsupported ones answer 501. Provider faults (revoked credentials, 5xx, hang, malformed JSON) are checked through
 * the server: the contract's error bodies, Retry-After, and nothing cached.
 * Screenshots of every step land in test-output/connect-<provider>/.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerBaseUrlVar } from '../config.js';
import { type Resource, scopeFor } from '../model/index.js';
import { type ClientApp, exchangeAtManagement, startClientApp, startNode } from '../oauth/tests/support.js';
import { grantableScopes } from '../oauth/scopes.js';
import { assertValid, dataSchemaName } from '../testing/affix-spec.js';
import { freePort, haveChromium, launchChromium, newPage, warnIfNoChromium } from '../testing/chromium.js';
import type { TestNode } from '../testing/node.js';
import { contextFor as bambooContext } from './bamboohr/test-support.js';
import { type Emulator as BambooEmulator, startEmulator as startBamboo } from './bamboohr/emulator/server.js';
import { createDeelAdapter } from './deel/adapter.js';
import { UNPACED, contextFor as deelContext } from './deel/test-support.js';
import { type DeelEmulator, startEmulator as startDeel } from './deel/emulator/server.js';
import { type FactorialEmulator, startEmulator as startFactorial } from './factorial/emulator/server.js';
import { factorialProvider } from './factorial/provider.js';
import { contextFor as factorialContext } from './factorial/test-support.js';
import { createGustoAdapter } from './gusto/adapter.js';
import { type GustoEmulator, startEmulator as startGusto } from './gusto/emulator/server.js';
import { gustoProvider } from './gusto/provider.js';
import { UNPACED as GUSTO_UNPACED, contextFor as gustoContext } from './gusto/test-support.js';
import { createHibobAdapter } from './hibob/adapter.js';
import { type HibobEmulator, startEmulator as startHibob } from './hibob/emulator/server.js';
import { hibobProvider } from './hibob/provider.js';
import { UNPACED as HIBOB_UNPACED, providerContext as hibobContext } from './hibob/test-support.js';
import { type PersonioEmulator, startEmulator as startPersonio } from './personio/emulator/server.js';
import { contextFor as personioContext } from './personio/test-support.js';
import { createRemoteAdapter } from './remote/adapter.js';
import { type RemoteEmulator, startEmulator as startRemote } from './remote/emulator/server.js';
import { remoteProvider } from './remote/provider.js';
import { UNPACED as REMOTE_UNPACED, contextFor as remoteContext } from './remote/test-support.js';
import type { Provider, ProviderAdapter } from './types.js';
import { bamboohrProvider } from './bamboohr/provider.js';
import { deelProvider } from './deel/provider.js';
import { personioProvider } from './personio/provider.js';
import { createXeroAdapter } from './xero-uk/adapter.js';
import { type XeroEmulator, startEmulator as startXero } from './xero-uk/emulator/server.js';
import { ukToday } from './xero-uk/mappers/values.js';
import { xeroUkProvider } from './xero-uk/provider.js';
import { UNLIMITED as XERO_UNLIMITED, emulatorContext as xeroContext } from './xero-uk/test-support.js';

warnIfNoChromium(
  'the provider connect end-to-end tests (Personio, BambooHR, Deel, Factorial, Xero Payroll UK, Gusto, HiBob, Remote) are',
);

const SHOTS = path.resolve(import.meta.dirname, '../../test-output');
const EMPLOYEES = 40;
const RANGE = 'start_date=2020-01-01&end_date=2030-12-31';

/** Key fields of an employee, as the provider's mapping should produce them from a raw record. */
interface KeyFields {
  remote_id: string | null;
  first_name: string | null;
  last_name: string | null;
  work_email: string | null;
  employment_status: string | null;
}

/** What the suite needs from one provider's emulator, whatever its shape. */
interface Emu {
  provider: Provider;
  /** How many employees the emulator has (EMPLOYEES unless the provider needs fewer). */
  employees?: number;
  /** A supported list the fault checks request (default `/work-locations`). */
  probe?: string;
  baseUrl: string;
  /** Connect-form values by field name. */
  credentials: Record<string, string>;
  wrong: Record<string, string>;
  /** The provider's adapter talking to the emulator directly (the adapter tests check it field by field). */
  adapter(): ProviderAdapter;
  rawEmployees(): KeyFields[];
  /** Provider requests seen so far. */
  requests(): number;
  /** The created employee's work email among the raw records. */
  hasEmail(email: string): boolean;
  knobs: { unauthorized(): void; fail503(): void; hang(): void; malformed(): void; reset(): void };
  close(): Promise<void>;
}

/**
 * The knobs every emulator has under the same names; `expired` is the `expireToken` value that makes every
 * data call answer 401 (Personio's `true` revokes once, `'always'` keeps refusing).
 */
function knobControls(knobs: object, expired: true | 'always'): Emu['knobs'] {
  const k = knobs as Record<string, unknown>;
  const initial = { ...k };
  return {
    unauthorized: () => {
      k['expireToken'] = expired;
    },
    fail503: () => Object.assign(k, { failEvery: 1, status5xx: 503, retryAfterSeconds: 1 }),
    hang: () => {
      k['hang'] = true;
    },
    malformed: () => {
      k['malformedJson'] = true;
    },
    reset: () => Object.assign(k, initial),
  };
}

async function personio(): Promise<Emu> {
  const emu: PersonioEmulator = await startPersonio({ employees: EMPLOYEES, seed: 21 });
  const val = (e: (typeof emu.records.employees)[number], key: string) => e.attributes[key]?.value ?? null;
  const status: Record<string, string> = {
    active: 'active',
    inactive: 'inactive',
    onboarding: 'pending',
    leave: 'leave',
  };
  return {
    provider: personioProvider,
    baseUrl: emu.baseUrl,
    credentials: emu.credentials,
    wrong: { client_id: emu.credentials.client_id, client_secret: 'not-the-secret-0000' },
    adapter: () => personioProvider.connect(personioContext(emu.baseUrl, emu.credentials)),
    rawEmployees: () =>
      emu.records.employees.map((e) => ({
        remote_id: String(val(e, 'id')),
        first_name: val(e, 'first_name') as string,
        last_name: val(e, 'last_name') as string,
        work_email: val(e, 'email') as string,
        employment_status: status[String(val(e, 'status'))] ?? null,
      })),
    requests: () => emu.stats.dataCalls + emu.stats.authCalls,
    hasEmail: (email) => emu.records.employees.some((e) => val(e, 'email') === email),
    knobs: knobControls(emu.knobs, 'always'),
    close: () => emu.close(),
  };
}

async function bamboohr(): Promise<Emu> {
  const emu: BambooEmulator = await startBamboo({ employees: EMPLOYEES, seed: 22 });
  return {
    provider: bamboohrProvider,
    baseUrl: emu.baseUrl,
    credentials: { company_domain: emu.credentials.company_domain, api_key: emu.credentials.api_key },
    wrong: { company_domain: emu.credentials.company_domain, api_key: 'not-the-api-key' },
    adapter: () => bamboohrProvider.connect(bambooContext(emu)),
    rawEmployees: () =>
      emu.records.employees.map((e) => ({
        remote_id: e.employeeId,
        first_name: e.firstName ?? null,
        last_name: e.lastName ?? null,
        work_email: e.workEmail ?? null,
        employment_status: e.status === 'Active' ? 'active' : 'inactive',
      })),
    requests: () => emu.requestCount,
    hasEmail: (email) => emu.records.employees.some((e) => e.workEmail === email),
    knobs: knobControls(emu.knobs, true),
    close: () => emu.close(),
  };
}

async function deel(): Promise<Emu> {
  // Not enforcing Deel's 5/s here lets the direct adapter (unpaced) read the expected values quickly; the server's
  // own client still paces itself to 5/s, and deel/faults.test.ts covers the enforced limit.
  const emu: DeelEmulator = await startDeel({
    employees: EMPLOYEES,
    seed: 23,
    knobs: { rateLimitPerSecond: 0 },
  });
  const status: Record<string, string> = {
    active: 'active',
    onboarding: 'pending',
    offboarding: 'active',
    inactive: 'inactive',
  };
  return {
    provider: deelProvider,
    baseUrl: emu.baseUrl,
    credentials: emu.credentials,
    wrong: { api_token: 'deel_wrong_token_0000' },
    adapter: () => createDeelAdapter(deelContext(emu.baseUrl, emu.credentials.api_token), UNPACED),
    rawEmployees: () =>
      emu.records.people.map((p) => ({
        remote_id: p.id ?? null,
        first_name: p.first_name ?? null,
        last_name: p.last_name ?? null,
        work_email: p.emails?.find((m) => m.type === 'work')?.value ?? null,
        employment_status: status[p.hiring_status ?? ''] ?? null,
      })),
    requests: () => emu.stats.requests,
    hasEmail: () => false,
    knobs: knobControls(emu.knobs, true),
    close: () => emu.close(),
  };
}

async function factorial(): Promise<Emu> {
  const emu: FactorialEmulator = await startFactorial({ employees: EMPLOYEES, seed: 24 });
  return {
    provider: factorialProvider,
    baseUrl: emu.baseUrl,
    // An API key; the OAuth fields stay empty (they are optional on the form).
    credentials: { api_key: emu.credentials.api_key },
    wrong: { api_key: 'fk_wrong_key_00000000' },
    adapter: () =>
      factorialProvider.connect(factorialContext(emu.baseUrl, { api_key: emu.credentials.api_key })),
    rawEmployees: () =>
      emu.records.employees.map((e) => {
        const starts = emu.records.contractVersions.find((c) => c.employee_id === e.id)?.starts_on ?? '';
        const today = new Date().toISOString().slice(0, 10);
        return {
          remote_id: e.id ?? null,
          first_name: e.first_name ?? null,
          last_name: e.last_name ?? null,
          work_email: e.email ?? null,
          employment_status: !e.active ? 'inactive' : starts > today ? 'pending' : 'active',
        };
      }),
    requests: () => emu.stats.requests,
    hasEmail: () => false,
    knobs: knobControls(emu.knobs, true),
    close: () => emu.close(),
  };
}

/** Xero keeps salary and leave per employee (a call each, paced at 60 a minute): a smaller tenant keeps this quick. */
const XERO_EMPLOYEES = 20;

async function xero(): Promise<Emu> {
  // The emulator's limits are off so the direct adapter reads the expected values quickly; the server's own client
  // still paces itself to Xero's, and xero-uk/faults.test.ts covers the enforced limits.
  const emu: XeroEmulator = await startXero({ employees: XERO_EMPLOYEES, seed: 24, knobs: XERO_UNLIMITED });
  const today = ukToday(new Date());
  const day = (v: string | null | undefined) => (v ? v.slice(0, 10) : null);
  return {
    provider: xeroUkProvider,
    employees: XERO_EMPLOYEES,
    probe: '/groups',
    baseUrl: emu.baseUrl,
    credentials: emu.credentials,
    // A wrong secret is refused before the refresh token is spent.
    wrong: { ...emu.credentials, client_secret: 'not-the-client-secret-0000' },
    // Its own grant (the connect page spends the credentials' refresh token), unpaced: it reads every endpoint, more
    // calls than Xero's minute allows, where each server request is a new, separately paced adapter.
    adapter: () =>
      createXeroAdapter(xeroContext(emu), { rateLimit: { requests: 100_000, perMs: 1_000 }, warn: () => {} }),
    rawEmployees: () =>
      emu.records.employees.map((e) => ({
        remote_id: e.employeeID ?? null,
        first_name: e.firstName ?? null,
        last_name: e.lastName ?? null,
        work_email: e.email ?? null,
        employment_status:
          e.endDate && (day(e.endDate) ?? '') < today
            ? 'inactive'
            : (day(e.startDate) ?? '') > today
              ? 'pending'
              : 'active',
      })),
    requests: () => emu.stats.requests + emu.stats.tokenCalls,
    hasEmail: () => false,
    knobs: knobControls(emu.knobs, true),
    close: () => emu.close(),
  };
}

/**
 * Remote allows 20 requests a minute and reads each employment's details and balance with a call of its own: ten
 * employments keep every server request (a new, separately paced adapter) inside one minute's budget.
 */
const REMOTE_EMPLOYEES = 10;

async function remote(): Promise<Emu> {
  // The emulator's window is off so the direct adapter reads the expected values unpaced; faults.test.ts covers it.
  const emu: RemoteEmulator = await startRemote({ employees: REMOTE_EMPLOYEES, seed: 24 });
  const status: Record<string, string> = { active: 'active', archived: 'inactive', deleted: 'inactive' };
  return {
    provider: remoteProvider,
    employees: REMOTE_EMPLOYEES,
    probe: '/groups',
    baseUrl: emu.baseUrl,
    credentials: emu.credentials,
    wrong: { api_token: 'ra_test_wrong_token_0000' },
    adapter: () => createRemoteAdapter(remoteContext(emu.baseUrl, emu.credentials.api_token), REMOTE_UNPACED),
    rawEmployees: () =>
      emu.records.employments.map((e) => {
        const [first = '', ...rest] = (e.full_name ?? '').split(' ');
        return {
          remote_id: e.id ?? null,
          first_name: first,
          last_name: rest.join(' '),
          work_email: (e.basic_information?.['work_email'] as string | undefined) ?? null,
          employment_status: status[e.status ?? ''] ?? 'pending',
        };
      }),
    requests: () => emu.stats.requests,
    hasEmail: () => false,
    knobs: knobControls(emu.knobs, true),
    close: () => emu.close(),
  };
}

async function gusto(): Promise<Emu> {
  // Gusto's 200/min is not enforced here, as for Deel: the direct adapter reads the expected values unpaced. The
  // server and the direct adapter share one grant; its access token outlives the test, so neither refreshes (which
  // would rotate the refresh token under the other), and the revoked-grant knob refuses refreshes without rotating.
  const emu: GustoEmulator = await startGusto({
    employees: EMPLOYEES,
    seed: 24,
    knobs: { rateLimitPerMinute: 0 },
  });
  return {
    provider: gustoProvider,
    baseUrl: emu.baseUrl,
    // The optional company uuid is left blank: the adapter finds the company from the token.
    credentials: { ...emu.credentials },
    wrong: {
      ...emu.credentials,
      access_token: 'not-the-access-token',
      refresh_token: 'not-the-refresh-token',
    },
    adapter: () => createGustoAdapter(gustoContext(emu.baseUrl, emu.credentials), GUSTO_UNPACED),
    rawEmployees: () =>
      emu.records.employees.map((e) => ({
        remote_id: e.uuid ?? null,
        first_name: e.first_name ?? null,
        last_name: e.last_name ?? null,
        work_email: e.work_email ?? null,
        employment_status: e.terminations?.some((t) => t.active)
          ? 'inactive'
          : e.onboarding_status === 'onboarding_completed'
            ? 'active'
            : 'pending',
      })),
    requests: () => emu.stats.requests,
    hasEmail: () => false,
    knobs: knobControls(emu.knobs, true),
    close: () => emu.close(),
  };
}

async function hibob(): Promise<Emu> {
  // As for Deel: the direct adapter reads unpaced; the server's own client paces itself to HiBob's 50 a minute.
  // Fewer employees: balances cost one request per employee and policy type, and each 50 of them a minute.
  const emu: HibobEmulator = await startHibob({
    employees: 12,
    seed: 24,
    knobs: { ratePerMinute: 0 },
  });
  const status: Record<string, string> = {
    Employed: 'active',
    Hired: 'pending',
    Terminated: 'inactive',
    'Garden leave': 'leave',
  };
  return {
    provider: hibobProvider,
    baseUrl: emu.baseUrl,
    credentials: emu.credentials,
    wrong: { service_user_id: emu.credentials.service_user_id, token: 'not-the-token-0000' },
    adapter: () =>
      createHibobAdapter(hibobContext({ baseUrl: emu.baseUrl, credentials: emu.credentials }), HIBOB_UNPACED),
    rawEmployees: () =>
      emu.records.employees.map((e) => ({
        remote_id: e.id,
        first_name: e.machine['root.firstName'] as string,
        last_name: e.machine['root.surname'] as string,
        work_email: e.machine['root.email'] as string,
        employment_status: status[e.human['internal.lifecycleStatus'] as string] ?? null,
      })),
    requests: () => emu.stats.requests,
    hasEmail: () => false,
    knobs: knobControls(emu.knobs, true),
    close: () => emu.close(),
  };
}

/** Every official GET endpoint: its resource, our path, the contract path, and the adapter call it stands for. */
const ENDPOINTS: Array<{
  resource: Resource;
  path: string;
  specPath: string;
  call(a: ProviderAdapter, payrunId: string): Promise<unknown> | undefined;
}> = [
  { resource: 'company', path: '/company', specPath: '/company', call: (a) => a.company?.() },
  { resource: 'employees', path: '/employees', specPath: '/employees', call: (a) => a.employees?.() },
  { resource: 'groups', path: '/groups', specPath: '/groups', call: (a) => a.groups?.() },
  { resource: 'identity', path: '/identity', specPath: '/identity', call: (a) => a.identity?.() },
  {
    resource: 'payruns',
    path: `/payruns?${RANGE}`,
    specPath: '/payruns',
    call: (a) => a.payruns?.({ start_date: '2020-01-01', end_date: '2030-12-31' }),
  },
  {
    resource: 'payruns/:payrun_id',
    path: '/payruns/{id}',
    specPath: '/payruns/{payrun_id}',
    call: (a, id) => a.payslips?.(id),
  },
  { resource: 'timesheets', path: '/timesheets', specPath: '/timesheets', call: (a) => a.timesheets?.(null) },
  {
    resource: 'time-off-entries',
    path: '/time-off-entries',
    specPath: '/time-off-entries',
    call: (a) => a.timeOffEntries?.(null),
  },
  {
    resource: 'time-off-balances',
    path: '/time-off-balances',
    specPath: '/time-off-balances',
    call: (a) => a.timeOffBalances?.(),
  },
  {
    resource: 'work-locations',
    path: '/work-locations',
    specPath: '/work-locations',
    call: (a) => a.workLocations?.(),
  },
];

const byRemoteId = (a: KeyFields, b: KeyFields) => String(a.remote_id).localeCompare(String(b.remote_id));

describe.skipIf(!haveChromium)('provider connect end to end in Chromium', () => {
  let node: TestNode;
  let base: string;
  let browser: Browser;
  let clientApp: ClientApp;
  const emus = new Map<string, Emu>();

  beforeAll(async () => {
    const started = await Promise.all([
      personio(),
      bamboohr(),
      deel(),
      factorial(),
      xero(),
      gusto(),
      hibob(),
      remote(),
    ]);
    for (const e of started) emus.set(e.provider.id, e);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    node = await startNode({
      PUBLIC_URL: base,
      // Long enough that a provider fetch (retries included) answers within the request, no 202 needed.
      CACHE_WAIT: '20s',
      // A hanging provider fails fast here instead of after the default 30 s.
      PROVIDER_READ_TIMEOUT: '1s',
      ...Object.fromEntries(started.map((e) => [providerBaseUrlVar(e.provider.id), e.baseUrl])),
    });
    await node.app.listen({ port, host: '127.0.0.1' });
    clientApp = await startClientApp(node);
    browser = await launchChromium();
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await clientApp?.close();
    await node?.close();
    await Promise.all([...emus.values()].map((e) => e.close()));
  });

  /** GET over real HTTP; a 202 is retried (sooner than its Retry-After: the fetch is local). */
  async function get(token: string, url: string): Promise<Response> {
    for (let i = 0; ; i++) {
      const res = await fetch(`${base}/2023-03-01/official${url}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (res.status !== 202 || i >= 50) return res;
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Drives the connect page; returns the access token of the new connection. */
  async function connect(emu: Emu, shots: string): Promise<{ token: string; scopes: string[] }> {
    const provider = emu.provider;
    // Every scope official mode can grant: the supported resources answer data, the others must answer 501.
    const scopes = grantableScopes('official');
    const page = await newPage(browser, { viewport: { width: 520, height: 900 } });
    try {
      const q = new URLSearchParams({
        client_id: clientApp.client.id,
        redirect_uri: `${clientApp.origin}/callback`,
        response_type: 'code',
        mode: 'official',
        scope: scopes.join(' '),
        provider: provider.id,
        state: `state-${provider.id}`,
      });
      await page.goto(`${base}/connect?${q}`);
      // Key and client-credential providers are connected, not signed in to.
      await page.getByRole('heading', { name: `Connect ${provider.displayName}` }).waitFor();
      await page.screenshot({ path: path.join(shots, '01-credentials.png'), fullPage: true });

      const fields = provider.fields.official ?? [];
      expect(fields.length).toBeGreaterThan(0);
      const fill = async (values: Record<string, string>) => {
        for (const f of fields) {
          // An optional field's label reads "<label> (optional)".
          const name = f.required ? f.label : `${f.label} (optional)`;
          await page.getByLabel(name, { exact: true }).fill(values[f.name] ?? '');
        }
      };

      // Wrong credentials: the provider refuses, the page says why, and nothing reaches the callback.
      const before = clientApp.callbacks.length;
      await fill(emu.wrong);
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByRole('alert').waitFor();
      const alert = (await page.getByRole('alert').textContent()) ?? '';
      // The code is for the developer, in the markup; the person reads words.
      expect(alert).not.toContain('incorrect_username_or_password');
      expect(await page.getByRole('alert').getAttribute('data-error-code')).toBe(
        'incorrect_username_or_password',
      );
      // The message names the form's own fields: these providers have no username or password.
      for (const f of fields) expect(alert).toContain(f.label);
      expect(alert).not.toContain('username or password');
      await page.screenshot({ path: path.join(shots, '02-wrong-credentials.png'), fullPage: true });
      expect(clientApp.callbacks.length).toBe(before);
      expect(page.url().startsWith(base)).toBe(true);

      await fill(emu.credentials);
      await page.screenshot({ path: path.join(shots, '03-credentials-filled.png'), fullPage: true });
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByRole('heading', { name: /Allow Acme Payroll Sync/ }).waitFor();
      // Consent lists what the provider offers (and passthrough); the rest is named as not offered.
      const offered = new Set<string>(provider.resources.official ?? []);
      const listed = scopes.filter((s) => {
        const resource = s.replace('/2023-03-01/official/', '');
        return offered.has(resource) || resource === 'passthrough';
      });
      expect(await page.locator('.scopes li').count()).toBe(listed.length);
      if (listed.length < scopes.length) expect(await page.textContent('main')).toContain('does not offer');
      await page.screenshot({ path: path.join(shots, '04-consent.png'), fullPage: true });
      await Promise.all([
        page.waitForURL(`${clientApp.origin}/callback?**`),
        page.getByRole('button', { name: 'Allow' }).click(),
      ]);
      await page.screenshot({ path: path.join(shots, '05-callback.png'), fullPage: true });
    } finally {
      await page.close();
    }

    const cb = clientApp.callbacks.at(-1) as URL;
    expect(cb.pathname).toBe('/callback');
    expect(cb.searchParams.get('state')).toBe(`state-${provider.id}`);
    expect(cb.searchParams.get('iss')).toBe(base);
    const code = cb.searchParams.get('code');
    expect(code).toMatch(/^[\w-]{43}$/);

    const res = await exchangeAtManagement(
      base,
      clientApp.client,
      code ?? '',
      `${clientApp.origin}/callback`,
    );
    expect(res.status).toBe(201);
    const body = (await res.json()) as { access_token: string };
    return { token: body.access_token, scopes };
  }

  describe.each([
    'personio.de',
    'bamboohr',
    'deel',
    'factorialhr',
    'xero uk',
    'gusto',
    'hibob',
    'remote.com',
  ])('%s', (id) => {
    let emu: Emu;
    let token = '';
    let connectionId = '';
    let direct: ProviderAdapter;

    beforeAll(() => {
      emu = emus.get(id) as Emu;
      direct = emu.adapter();
    });

    it('connects through the page in Chromium (wrong credentials first) and exchanges the code', async () => {
      const shots = path.join(SHOTS, `connect-${id.replace(/\s/g, '-')}`);
      fs.mkdirSync(shots, { recursive: true });
      const result = await connect(emu, shots);
      token = result.token;
      connectionId = (await node.services.tokens.verify(token)).sub;
      const introspected = await node.services.tokens.verify(token);
      expect([...introspected.scopes].sort()).toEqual([...result.scopes].sort());
    }, 30_000);

    it('every official data endpoint: supported → contract-valid and equal to the adapter; else 501', async () => {
      expect(token).not.toBe('');
      const supported = new Set<Resource>(emu.provider.resources.official ?? []);
      const grantable = grantableScopes('official');
      let payrunId = 'no-payrun';
      for (const ep of ENDPOINTS) {
        const url = ep.path.replace('{id}', encodeURIComponent(payrunId));
        const res = await get(token, url);
        const label = `${id} GET ${url}`;
        expect(grantable).toContain(scopeFor('official', ep.resource));
        const body: unknown = await res.json();
        if (!supported.has(ep.resource)) {
          expect(res.status, label).toBe(501);
          expect((body as { message: string }).message).toMatch(/^Not Implemented/);
          continue;
        }
        expect(res.status, `${label}: ${JSON.stringify(body).slice(0, 300)}`).toBe(200);
        assertValid(dataSchemaName('official', ep.specPath, 'get', '200'), body);
        const expected = await ep.call(direct, payrunId);
        expect(body, label).toEqual(JSON.parse(JSON.stringify(expected)));
        if (Array.isArray(body) && ep.resource !== 'payruns/:payrun_id') {
          expect(body.length, label).toBeGreaterThan(0);
        }
        if (ep.resource === 'payruns') payrunId = (body as Array<{ id: string }>)[0]?.id ?? payrunId;
      }
    }, 40_000);

    it("employees match the emulator's raw records on ids, names, emails and employment status", async () => {
      const res = await get(token, '/employees');
      expect(res.status).toBe(200);
      const employees = (await res.json()) as KeyFields[];
      expect(employees).toHaveLength(emu.rawEmployees().length);
      const pick = (e: KeyFields): KeyFields => ({
        remote_id: e.remote_id,
        first_name: e.first_name,
        last_name: e.last_name,
        work_email: e.work_email,
        employment_status: e.employment_status,
      });
      expect(employees.map(pick).sort(byRemoteId)).toEqual(emu.rawEmployees().sort(byRemoteId));
    });

    it('POST /employee: created in the provider where supported, else 501', async () => {
      const email = `ada.lovelace.${id.replace(/\W/g, '')}@acme.example.com`;
      const res = await fetch(`${base}/2023-03-01/official/employee`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ first_name: 'Ada', last_name: 'Lovelace', work_email: email }),
      });
      const body = (await res.json()) as { id: string; work_email: string; message?: string };
      if (!emu.provider.resources.official?.includes('employee')) {
        expect(res.status).toBe(501);
        expect(body.message).toMatch(/^Not Implemented/);
        return;
      }
      expect(res.status, JSON.stringify(body)).toBe(201);
      assertValid(dataSchemaName('official', '/employee', 'post', '201'), body);
      expect(body.work_email).toBe(email);
      expect(emu.hasEmail(email)).toBe(true);
      // The connection's cached lists were dropped: the new employee is listed at once.
      const list = (await (await get(token, '/employees')).json()) as Array<{ id: string }>;
      expect(list.some((e) => e.id === body.id)).toBe(true);
    });

    describe('provider faults through the server', () => {
      const probe = () => emu.probe ?? '/work-locations';
      /** After a fault: the next request fetches from the provider again and succeeds (nothing was cached). */
      async function recovers() {
        emu.knobs.reset();
        const before = emu.requests();
        const res = await get(token, probe());
        expect(res.status).toBe(200);
        expect(emu.requests()).toBeGreaterThan(before);
      }

      beforeAll(async () => {
        await node.services.cache.invalidateConnection(connectionId);
      });

      it('revoked credentials → 401 authentication_error, code reauthentication_required', async () => {
        emu.knobs.unauthorized();
        const res = await get(token, probe());
        const body = (await res.json()) as { error: string; code: string };
        expect(res.status, JSON.stringify(body)).toBe(401);
        assertValid(dataSchemaName('official', probe(), 'get', '401'), body);
        expect(body).toMatchObject({ error: 'authentication_error', code: 'reauthentication_required' });
        await recovers();
      });

      it('persistent 503 → 503 with Retry-After, not cached', async () => {
        await node.services.cache.invalidateConnection(connectionId);
        emu.knobs.fail503();
        const res = await get(token, probe());
        expect(res.status).toBe(503);
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        expect(((await res.json()) as { message: string }).message).toMatch(/unavailable/);
        await recovers();
      }, 20_000);

      it('a hanging provider → 503 with Retry-After after the read timeout, not cached', async () => {
        await node.services.cache.invalidateConnection(connectionId);
        emu.knobs.hang();
        const started = Date.now();
        const res = await get(token, probe());
        expect(res.status).toBe(503);
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        expect(Date.now() - started).toBeLessThan(10_000);
        await res.body?.cancel();
        await recovers();
      }, 20_000);

      it('malformed JSON → 502, not cached', async () => {
        await node.services.cache.invalidateConnection(connectionId);
        emu.knobs.malformed();
        const res = await get(token, probe());
        expect(res.status).toBe(502);
        await res.body?.cancel();
        await recovers();
      });
    });
  });
});
