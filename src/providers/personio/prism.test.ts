/**
 * Smoke run against Prism serving Personio's unmodified published specs. Prism serves one document per process, and
 * Personio publishes auth and personnel data as two documents, so two Prism processes run: the adapter's `baseUrl`
 * points at the personnel one (Prism routes on the `paths` keys, without the servers' `/v1`), `authBaseUrl` at the
 * auth one. The spec copies are used as published; no edits.
 *
 * `verifyTotals` is off here, and only here: the static example of `GET /company/employees` announces
 * `total_elements: 2` while listing one employee, which the adapter rightly refuses as a short result otherwise.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import {
  EmployeeSchema,
  GroupSchema,
  LocationSchema,
  CompanySchema,
  TimeOffBalanceSchema,
  TimeOffEntrySchema,
  TimesheetSchema,
} from '../../model/index.js';
import type { TSchema } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPersonioAdapter } from './adapter.js';
import { contextFor } from './testing.js';
import { unifiedErrors } from './testing.js';
import { providerSpec } from '../../testing/provider-specs.js';
import { skipOrFailInCi } from '../../testing/skip.js';

const SPEC_DIR = providerSpec('personio');
const START_TIMEOUT_MS = 20_000;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Starts `prism mock`; resolves once it says it listens, rejects with its output after the timeout. */
async function startPrism(spec: string, port: number): Promise<ChildProcess> {
  const child = spawn(
    'npx',
    ['prism', 'mock', `${SPEC_DIR}/${spec}`, '-p', String(port), '-h', '127.0.0.1'],
    {
      // This checkout's root, so `npx prism` finds this checkout's Prism and nothing outside it.
      cwd: new URL('../../..', import.meta.url).pathname,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stopPrism(child);
      reject(new Error(`Prism did not start within ${START_TIMEOUT_MS} ms: ${output.slice(-500)}`));
    }, START_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/Prism is listening/.test(output)) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Prism exited with ${code}: ${output.slice(-500)}`));
    });
  });
}

function stopPrism(child: ChildProcess | undefined) {
  // npx starts prism as a grandchild: signal the whole process group we created (ours only, by its id).
  if (child?.pid && child.exitCode === null) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  }
}

const prisms: ChildProcess[] = [];
let skipReason: string | null = null;
let urls: { data: string; auth: string } | null = null;

beforeAll(async () => {
  try {
    const [dataPort, authPort] = [await freePort(), await freePort()];
    const started = await Promise.allSettled([
      startPrism('personio-personnel-data-api-oa3.yaml', dataPort),
      startPrism('personio-auth-api.yaml', authPort),
    ]);
    for (const s of started) if (s.status === 'fulfilled') prisms.push(s.value);
    const failed = started.find((s) => s.status === 'rejected');
    if (failed && failed.status === 'rejected') throw failed.reason;
    urls = { data: `http://127.0.0.1:${dataPort}`, auth: `http://127.0.0.1:${authPort}` };
  } catch (err) {
    skipReason = err instanceof Error ? err.message : String(err);
    console.warn(`[personio prism smoke] skipped: ${skipReason}`);
  }
}, 30_000);

afterAll(() => {
  for (const p of prisms) stopPrism(p);
});

function expectValid(schema: TSchema, values: unknown[]) {
  expect(values.length).toBeGreaterThan(0);
  for (const v of values) expect(unifiedErrors(schema, v)).toEqual([]);
}

describe('personio against Prism (published specs, unmodified)', () => {
  const adapter = () => {
    if (!urls) throw new Error('no prism');
    return createPersonioAdapter(
      contextFor(urls.data, { client_id: 'prism-client', client_secret: 'prism-secret' }),
      {
        authBaseUrl: urls.auth,
        verifyTotals: false,
        retries: 0,
      },
    );
  };

  it('verify(), employees() and every other resource map the spec examples to schema-valid objects', async (ctx) => {
    skipOrFailInCi(ctx, skipReason, 'personio prism smoke');
    const a = adapter();
    await a.verify();
    const employees = await a.employees();
    expectValid(EmployeeSchema, employees);
    expect(employees[0]?.first_name).toBe('Alexander');
    expect(employees[0]?.work_email).toBe('alexander.bergmann@demo.email');
    expect(employees[0]?.bank_account?.iban).toBe('DE98 8989 9898 0000 8989 00');
    expectValid(CompanySchema, await a.company());
    expectValid(GroupSchema, await a.groups());
    expectValid(LocationSchema, await a.workLocations());
    expectValid(TimesheetSchema, await a.timesheets({ start_date: '2017-01-01', end_date: '2017-01-31' }));
    expectValid(TimeOffEntrySchema, await a.timeOffEntries(null));
    expectValid(TimeOffBalanceSchema, await a.timeOffBalances());
  });
});
