/**
 * Smoke run against Prism serving BambooHR's published spec, UNMODIFIED (Prism routes on the path keys, which
 * already start with /api/v1, so the base URL is Prism's root). Skipped, with the reason printed, if Prism does not
 * start within 20 s.
 *
 * Three things this test sets because of how Prism reads the spec, not because the adapter needs them for BambooHR:
 * - an OAuth access token: the spec lists only `oauth` on list-employees and list-locations, and Prism enforces
 *   that (a Basic request gets 401); with a token the client sends Bearer, which every operation accepts;
 * - `arrayStyle: 'repeat'`: Prism parses `fields` with OpenAPI's default `form, explode` style (repeated keys),
 *   while the spec's prose and example say comma-separated;
 * - `Prefer: example=batchByIds` on list-employees only: Prism's static first example claims `total: 2456` with a
 *   `nextCursor` it answers with the same page again, which the adapter rightly refuses as a cursor loop; the
 *   spec's other example is a complete, consistent list.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CompanySchema,
  EmployeeSchema,
  GroupSchema,
  LocationSchema,
  TimeOffBalanceSchema,
  TimeOffEntrySchema,
  TimesheetSchema,
} from '../../model/index.js';
import { ProviderError } from '../errors.js';
import { createBambooHrAdapter } from './adapter.js';
import { expectUnified, memoryState } from './test-support.js';
import { providerSpec } from '../../testing/provider-specs.js';
import { skipOrFailInCi } from '../../testing/skip.js';

const SPEC = providerSpec('bamboohr', 'public.yaml');
const PRISM = fileURLToPath(new URL('../../../node_modules/.bin/prism', import.meta.url));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

let prism: ChildProcess | undefined;
let baseUrl = '';
let whyNot = '';

beforeAll(async () => {
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  const child = spawn(PRISM, ['mock', SPEC, '-p', String(port), '-h', '127.0.0.1'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  prism = child;
  let log = '';
  const ready = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), 20_000);
    const onData = (chunk: Buffer) => {
      log = (log + chunk.toString()).slice(-4_000);
      if (log.includes('Prism is listening')) {
        clearTimeout(timer);
        resolve(true);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (err) => {
      log += String(err);
      clearTimeout(timer);
      resolve(false);
    });
    child.once('exit', (code) => {
      log += `\nprism exited with ${code}`;
      clearTimeout(timer);
      resolve(false);
    });
  });
  if (!ready) {
    whyNot = `Prism did not start within 20 s: ${log.slice(-1_000)}`;
    console.warn(`[bamboohr prism smoke] skipped. ${whyNot}`);
  }
}, 30_000);

afterAll(async () => {
  if (prism && prism.exitCode === null) {
    const exited = new Promise((r) => prism?.once('exit', r));
    prism.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 3_000))]);
    if (prism.exitCode === null) prism.kill('SIGKILL');
  }
});

function adapter(credentials: Record<string, string>) {
  return createBambooHrAdapter(
    {
      connectionId: 'con_prism',
      mode: 'official',
      credentials: { company_domain: 'companySubDomain', ...credentials },
      settings: {},
      baseUrl,
      state: memoryState(),
      requireTls: false,
    },
    {
      arrayStyle: 'repeat',
      headersFor: (path): Record<string, string> =>
        path.startsWith('api/v1/employees?') ? { prefer: 'example=batchByIds' } : {},
    },
  );
}

describe('bamboohr adapter against Prism serving the published spec', () => {
  it('verify, company, employees, groups, locations, time off, balances and timesheets are schema-valid', async (ctx) => {
    skipOrFailInCi(ctx, whyNot, 'bamboohr prism smoke');
    const withKey = adapter({ api_key: 'prism-key' });
    await withKey.verify();
    const [company] = await withKey.company();
    expectUnified(CompanySchema, company);
    expect(company?.legal_name).toBe('BambooHR');

    // Basic is refused where the spec lists only oauth: the error is the documented one, not a crash.
    const refused = await withKey.employees().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ProviderError);
    expect((refused as ProviderError).options.code).toBe('reauthentication_required');

    const withToken = adapter({ access_token: 'prism-token' });
    await withToken.verify();
    const employees = await withToken.employees();
    expect(employees.map((e) => e.id)).toEqual(['200', '207']);
    for (const e of employees) expectUnified(EmployeeSchema, e);
    expect(employees[1]).toMatchObject({
      first_name: 'Marco',
      last_name: 'Lee',
      employment_status: 'inactive',
    });

    for (const g of await withToken.groups()) expectUnified(GroupSchema, g);
    const locations = await withToken.workLocations();
    expect(locations.length).toBeGreaterThan(0);
    for (const l of locations) expectUnified(LocationSchema, l);

    const range = { start_date: '2025-01-01', end_date: '2025-12-31' };
    const entries = await withToken.timeOffEntries(range);
    expect(entries.length).toBeGreaterThan(0);
    for (const t of entries) expectUnified(TimeOffEntrySchema, t, ['amount']);

    const balances = await withToken.timeOffBalances();
    expect(balances.length).toBe(2);
    for (const b of balances) expectUnified(TimeOffBalanceSchema, b);
    expect(balances[0]).toMatchObject({ employee_id: '200', balance: 24.5, used: 12.25 });

    const sheets = await withToken.timesheets(null);
    expect(sheets.length).toBeGreaterThan(0);
    for (const s of sheets) expectUnified(TimesheetSchema, s, ['hours_worked']);
  }, 30_000);
});
