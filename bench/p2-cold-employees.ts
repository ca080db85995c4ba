/**
 * P2: cold `GET /2023-03-01/official/employees` for a 10,000-employee provider emulator (5 ms per page), through a
 * real Affix process: wall time against the emulator's floor (the least time its pages can be fetched within its
 * documented rate limit) and the Affix process's peak RSS. The emulator runs in this process, Affix in a child.
 * Where the floor is a measured bare walk, each round alternates bare and Affix walks BENCH_P2_WALKS times (default 3)
 * and compares their medians; every walk's figures are printed.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { request } from 'undici';
import { loadConfig, providerBaseUrlVar } from '../src/config.js';
import { type ProviderId, scopeFor } from '../src/model/index.js';
import { emulatorFloorMs, startEmulator as startBamboo } from '../src/providers/bamboohr/emulator/server.js';
import { EMPLOYEE_FIELDS } from '../src/providers/bamboohr/mappers/to-employee.js';
import {
  startEmulator as startDeel,
  employeesRequests,
  floorMs,
} from '../src/providers/deel/emulator/server.js';
import { PEOPLE_BATCH } from '../src/providers/hibob/adapter.js';
import { HIBOB_BULK_EMPLOYEE_IDS } from '../src/providers/hibob/client.js';
import {
  employeesFloorMs as hibobFloorMs,
  employeesRequests as hibobRequests,
  startEmulator as startHibob,
} from '../src/providers/hibob/emulator/server.js';
import { EMPLOYEE_FIELDS as HIBOB_FIELDS } from '../src/providers/hibob/mappers/to-employee.js';
import { GUESSED_VERSIONS_PER_EMPLOYEE, contractBatches } from '../src/providers/factorial/adapter.js';
import {
  employeesFloorMs as factorialFloorMs,
  startEmulator as startFactorial,
} from '../src/providers/factorial/emulator/server.js';
import {
  employeesRequests as gustoEmployeesRequests,
  floorMs as gustoFloorMs,
  startEmulator as startGusto,
} from '../src/providers/gusto/emulator/server.js';
import { GUSTO_API_VERSION, GUSTO_CONCURRENCY, GUSTO_PAGE_SIZE } from '../src/providers/gusto/client.js';
import {
  employeesFloorMs,
  startEmulator as startPersonio,
} from '../src/providers/personio/emulator/server.js';
import { REMOTE_PAGE_SIZE, REMOTE_RATE_LIMIT } from '../src/providers/remote/client.js';
import { startEmulator as startRemote } from '../src/providers/remote/emulator/server.js';
import { XERO_COMPENSATION_MAX_EMPLOYEES } from '../src/providers/xero-uk/adapter.js';
import {
  employeesRequests as xeroEmployeesRequests,
  floorMs as xeroFloorMs,
  startEmulator as startXero,
} from '../src/providers/xero-uk/emulator/server.js';
import { createServices } from '../src/services.js';
import { cpuMsOf, freePort, peakRssMb } from './support.js';
import { builtEntry } from './build.js';
import { connectionToken } from '../src/testing/fixtures.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const EMPLOYEES = Number(process.env.BENCH_EMPLOYEES ?? 10_000);
const LATENCY_MS = 5;
/** Rounds per provider (each a fresh emulator, bare walk and Affix process); the row is the median round. */
const P2_ROUNDS = Math.max(1, Number(process.env.BENCH_P2_ROUNDS ?? 1));
/**
 * Walks per round where the floor is a measured bare walk: bare and Affix walks alternate this many times and the
 * round compares the medians, so one slow walk of either side does not decide the ratio.
 */
const P2_WALKS = Math.max(1, Number(process.env.BENCH_P2_WALKS ?? 3));
/** The issuer both the token-minting step and the server use. */
const BENCH_PUBLIC_URL = 'http://affix.bench';

export interface P2Row {
  provider: ProviderId;
  pages: number;
  floorMs: number;
  floorRule: string;
  /** The median of the round's Affix walks (each a cold request to a fresh Affix process). */
  wallMs: number;
  ratio: number;
  /**
   * The median of the round's bare walks: plain fetch over the same emulator requests, no Affix (where the floor
   * ignores per-page cost).
   */
  bareWalkMs: number | null;
  /**
   * The highest peak of the Affix walks (each printed): of the round's, and in a row of every round's. The target is
   * about the peak, which a median would hide.
   */
  peakRssMb: number;
  /** CPU time the Affix process spent on the request, median of the walks (its share of the wall time). */
  affixCpuMs: number;
  /** The machine's 1-minute load average just before the request (the machine is shared). */
  load: number;
  /**
   * Each round's wall / floor (median Affix walk / floor of the median bare walk), in the order measured
   * (BENCH_P2_ROUNDS; the row is the median round's).
   */
  ratios: number[];
  status: number;
  /** The client's time to brotli-decode the body after it arrived (not part of the wall time). */
  decodeMs: number;
  count: number;
}

/** An emulator one Affix walk reads; closed after that walk. */
interface AffixTarget {
  baseUrl: string;
  credentials: Record<string, string>;
  close(): Promise<void>;
}

interface EmulatorHandle {
  pages: number;
  /** The floor, given the median bare walk of the round (null where there is none). */
  floorMs(bareWalkMs: number | null): number;
  floorRule: string;
  /** Walks the employee pages with bare `fetch`, returns the employees seen. */
  bareWalk?: () => Promise<number>;
  /**
   * The emulator the next Affix walk reads: the same one each time, or a fresh one where the provider's rate windows
   * must start empty for every walk (HiBob, Gusto).
   */
  target(): Promise<AffixTarget>;
  close(): Promise<void>;
}

/** A target that is the round's own emulator (nothing to close after a walk). */
const sameEmulator =
  (baseUrl: string, credentials: Record<string, string>) => async (): Promise<AffixTarget> => ({
    baseUrl,
    credentials,
    close: async () => {},
  });

export const P2_EMULATORS: Partial<Record<ProviderId, () => Promise<EmulatorHandle>>> = {
  'personio.de': async () => {
    const emu = await startPersonio({ employees: EMPLOYEES, seed: 1, knobs: { latencyMs: LATENCY_MS } });
    const pages = Math.ceil(EMPLOYEES / 100);
    return {
      target: sameEmulator(emu.baseUrl, {
        client_id: emu.credentials.client_id,
        client_secret: emu.credentials.client_secret,
      }),
      pages,
      floorMs: () => employeesFloorMs(pages, LATENCY_MS),
      floorRule: 'documented employee-list limits: 15/s and 300/min, + 5 ms latency',
      close: () => emu.close(),
    };
  },
  bamboohr: async () => {
    const emu = await startBamboo({ employees: EMPLOYEES, seed: 1, knobs: { latencyMs: LATENCY_MS } });
    const pages = Math.ceil(EMPLOYEES / 100);
    return {
      target: sameEmulator(emu.url, {
        company_domain: emu.credentials.company_domain,
        api_key: emu.credentials.api_key,
      }),
      pages,
      floorMs: (bare) => Math.max(emulatorFloorMs(EMPLOYEES, LATENCY_MS), bare ?? 0),
      floorRule:
        'cursor pages are sequential, no published rate limit: the bare walk of the same pages, when longer than ' +
        'pages × 5 ms',
      bareWalk: async () => {
        const auth = `Basic ${Buffer.from(`${emu.credentials.api_key}:x`).toString('base64')}`;
        let seen = 0;
        let after: string | null = null;
        do {
          // The same query the adapter sends (its extra fields, comma style), so the emulator does the same work.
          const q = new URLSearchParams({ fields: EMPLOYEE_FIELDS.join(','), 'page[limit]': '100' });
          if (after !== null) q.set('page[after]', after);
          const res = await fetch(`${emu.url}/api/v1/employees?${q}`, { headers: { authorization: auth } });
          const page = (await res.json()) as {
            data: unknown[];
            meta: { page: { nextCursor: string | null } };
          };
          seen += page.data.length;
          after = page.meta.page.nextCursor;
        } while (after !== null);
        return seen;
      },
      close: () => emu.close(),
    };
  },
  deel: async () => {
    const emu = await startDeel({ employees: EMPLOYEES, seed: 1, knobs: { latencyMs: LATENCY_MS } });
    const requests = employeesRequests(EMPLOYEES);
    return {
      target: sameEmulator(emu.baseUrl, { api_token: emu.credentials.api_token }),
      pages: requests,
      floorMs: () => floorMs(requests, LATENCY_MS),
      floorRule: 'documented 5 requests/s: ⌊(requests − 1) / 5⌋ s + 5 ms',
      close: () => emu.close(),
    };
  },
  'remote.com': async () => {
    // Remote's own window is enforced (20 per minute per company); the server paces itself to it. 10,000
    // employments are above the details cap, so the list is the employment pages alone.
    const emu = await startRemote({
      employees: EMPLOYEES,
      seed: 1,
      knobs: { latencyMs: LATENCY_MS, rateLimit: REMOTE_RATE_LIMIT },
    });
    const pages = Math.ceil(EMPLOYEES / REMOTE_PAGE_SIZE);
    const perWindow = REMOTE_RATE_LIMIT.requests;
    return {
      target: sameEmulator(emu.baseUrl, { api_token: emu.credentials.api_token }),
      pages,
      floorMs: () => Math.floor((pages - 1) / perWindow) * REMOTE_RATE_LIMIT.perMs + LATENCY_MS,
      floorRule: 'documented 20 requests/min per company: ⌊(requests − 1) / 20⌋ min + 5 ms',
      close: () => emu.close(),
    };
  },
  factorialhr: async () => {
    const emu = await startFactorial({ employees: EMPLOYEES, seed: 1, knobs: { latencyMs: LATENCY_MS } });
    const pages = Math.ceil(EMPLOYEES / 100);
    return {
      target: sameEmulator(emu.baseUrl, { api_key: emu.credentials.api_key }),
      pages,
      floorMs: (bare) => Math.max(factorialFloorMs(EMPLOYEES, LATENCY_MS), bare ?? 0),
      floorRule:
        'cursor pages are sequential, no GET limit published: the bare walk of the same requests (employee pages ' +
        "in turn, each page's contract versions alongside in the adapter's batches), when longer than (employee pages + the last page's " +
        'contract versions) × 5 ms',
      bareWalk: async () => {
        const api = `${emu.baseUrl}/api/2026-07-01/resources`;
        const headers = { 'x-api-key': emu.credentials.api_key };
        let seen = 0;
        let after: string | undefined;
        const versions: Array<Promise<void>> = [];
        let answered = 0;
        let versionsSeen = 0;
        for (;;) {
          const q = new URLSearchParams({ only_active: 'false', only_managers: 'false', limit: '100' });
          if (after) q.set('after_id', after);
          const res = await fetch(`${api}/employees/employees?${q}`, { headers });
          const page = (await res.json()) as {
            data: Array<{ id: string }>;
            meta: { has_next_page: boolean; end_cursor: string };
          };
          seen += page.data.length;
          // The page's contract versions, as the adapter asks for them: its ids in batches sized from the versions
          // per employee seen so far, each batch one filtered cursor walk, side by side.
          const batches = contractBatches(
            page.data.map((e) => e.id),
            answered === 0 ? GUESSED_VERSIONS_PER_EMPLOYEE : versionsSeen / answered,
            100,
          );
          for (const batch of batches) {
            const filter = batch.map((id) => `employee_ids[]=${encodeURIComponent(id)}`).join('&');
            versions.push(
              (async () => {
                let cursor: string | undefined;
                for (;;) {
                  const r = await fetch(
                    `${api}/contracts/contract_versions?${filter}&limit=100${cursor ? `&after_id=${cursor}` : ''}`,
                    { headers },
                  );
                  const body = (await r.json()) as {
                    data: unknown[];
                    meta: { has_next_page: boolean; end_cursor: string };
                  };
                  versionsSeen += body.data.length;
                  if (!body.meta.has_next_page) {
                    answered += batch.length;
                    return;
                  }
                  cursor = body.meta.end_cursor;
                }
              })(),
            );
          }
          if (!page.meta.has_next_page) break;
          after = page.meta.end_cursor;
        }
        await Promise.all(versions);
        return seen;
      },
      close: () => emu.close(),
    };
  },
  'xero uk': async () => {
    // Xero's documented limits enforced by the emulator: 60 calls a minute, 5 in progress, 5000 a day.
    const emu = await startXero({ employees: EMPLOYEES, seed: 1, knobs: { latencyMs: LATENCY_MS } });
    const requests = xeroEmployeesRequests(EMPLOYEES, XERO_COMPENSATION_MAX_EMPLOYEES);
    return {
      target: sameEmulator(emu.baseUrl, emu.credentials),
      pages: requests,
      floorMs: () => xeroFloorMs(requests, LATENCY_MS),
      floorRule:
        'documented 60 calls/min per tenant: ⌊(requests − 1) / 60⌋ min + 5 ms (employee pages + payroll calendars; ' +
        `above ${XERO_COMPENSATION_MAX_EMPLOYEES} employees no per-employee salary calls)`,
      close: () => emu.close(),
    };
  },
  gusto: async () => {
    // The bare walks run against a twin (same seed, same data, its limit off) and every Affix walk against a fresh
    // emulator with the documented limit: the walks together (101 requests each) would pass Gusto's 200 a minute, and
    // Affix would wait out a 429 another walk caused.
    const twin = await startGusto({
      employees: EMPLOYEES,
      seed: 1,
      knobs: { latencyMs: LATENCY_MS, rateLimitPerMinute: 0 },
    });
    // `/v1/token_info` (the company of the token), then the employee pages (100 a page).
    const requests = gustoEmployeesRequests(EMPLOYEES) + 1;
    return {
      target: async () => {
        const emu = await startGusto({ employees: EMPLOYEES, seed: 1, knobs: { latencyMs: LATENCY_MS } });
        return {
          baseUrl: emu.baseUrl,
          credentials: {
            access_token: emu.credentials.access_token,
            refresh_token: emu.credentials.refresh_token,
            client_id: emu.credentials.client_id,
            client_secret: emu.credentials.client_secret,
          },
          close: () => emu.close(),
        };
      },
      pages: requests,
      // Three round trips at least: the token info, the first page (it tells the total), then the rest at once.
      floorMs: (bare) => Math.max(3 * LATENCY_MS, gustoFloorMs(requests, LATENCY_MS), bare ?? 0),
      floorRule:
        'documented 200 requests/min does not bind at 101 requests, so: a bare walk of the same requests (token info, page 1, then the other pages 8 in flight), measured in the same round',
      bareWalk: async () => {
        const headers = {
          authorization: `Bearer ${twin.credentials.access_token}`,
          'x-gusto-api-version': GUSTO_API_VERSION,
        };
        const info = (await (await fetch(`${twin.url}/v1/token_info`, { headers })).json()) as {
          resource: { uuid: string };
        };
        const q = 'include=all_compensations%2Ccurrent_home_address%2Ccustom_fields';
        const page = async (n: number) => {
          const res = await fetch(
            `${twin.url}/v1/companies/${info.resource.uuid}/employees?${q}&page=${n}&per=${GUSTO_PAGE_SIZE}`,
            { headers },
          );
          return { total: Number(res.headers.get('x-total-pages')), items: (await res.json()) as unknown[] };
        };
        const first = await page(1);
        let seen = first.items.length;
        let next = 2;
        await Promise.all(
          Array.from({ length: GUSTO_CONCURRENCY }, async () => {
            for (let n = next++; n <= first.total; n = next++) {
              const { items } = await page(n);
              seen += items.length;
            }
          }),
        );
        return seen;
      },
      close: () => twin.close(),
    };
  },
  hibob: async () => {
    // The bare walks run against a twin (same seed, same data) whose limit is off, and every Affix walk against a
    // fresh emulator, whose rate windows start empty and which enforces HiBob's documented 50 a minute per endpoint.
    const twin = await startHibob({
      employees: EMPLOYEES,
      seed: 1,
      knobs: { latencyMs: LATENCY_MS, ratePerMinute: 0 },
    });
    const { search, salaries, fields, lists } = hibobRequests(EMPLOYEES);
    return {
      target: async () => {
        const emu = await startHibob({ employees: EMPLOYEES, seed: 1, knobs: { latencyMs: LATENCY_MS } });
        return { baseUrl: emu.baseUrl, credentials: emu.credentials, close: () => emu.close() };
      },
      pages: search + salaries + fields + lists,
      floorMs: (bare) => hibobFloorMs(EMPLOYEES, bare ?? 0),
      floorRule:
        'documented 50 a minute per endpoint: the 26 searches and 50 salaries requests fit in one minute, so the ' +
        'floor is a bare fetch walk of the same requests (4 in flight; measured: the emulator and loopback HTTP)',
      bareWalk: () => hibobBareWalk(twin.baseUrl, twin.credentials),
      close: () => twin.close(),
    };
  },
};

/**
 * A bare walk of the requests a cold HiBob `employees()` makes, with `fetch` and no Affix: fields metadata, company
 * lists and the id list, then every batch's search and salaries, at most 4 in flight (the client's concurrency). Returns the
 * employees seen.
 */
async function hibobBareWalk(
  baseUrl: string,
  credentials: { service_user_id: string; token: string },
): Promise<number> {
  const token = Buffer.from(`${credentials.service_user_id}:${credentials.token}`).toString('base64');
  const headers = { authorization: `Basic ${token}`, 'content-type': 'application/json' };
  // Bodies are read, not parsed (but the id list): the emulator runs in this process, and parsing here would
  // slow it down as Affix's parsing, in its own process, does not.
  const post = async (body: unknown) => {
    const res = await fetch(`${baseUrl}/people/search`, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
    });
    return res.text();
  };
  const get = async (path: string) => (await fetch(`${baseUrl}${path}`, { headers })).text();
  const [idList] = await Promise.all([
    post({ fields: ['root.id'], showInactive: true }),
    get('/company/people/fields'),
    get('/company/named-lists?includeArchived=true'),
  ]);
  const ids = (JSON.parse(idList) as { employees: Array<{ id: string }> }).employees.map((p) => p.id);
  // The same fields the adapter asks for: ours and the emulator's two custom fields.
  const fields = [...HIBOB_FIELDS, 'work.custom.field_1711886937296', 'work.custom.field_1711886951123'];
  const jobs: Array<() => Promise<number>> = [];
  for (let i = 0; i < ids.length; i += PEOPLE_BATCH) {
    const batch = ids.slice(i, i + PEOPLE_BATCH);
    jobs.push(async () => {
      const filters = [{ fieldPath: 'root.id', operator: 'equals', values: batch }];
      const text = await post({ fields, filters, showInactive: true });
      return text.split('"/root/id":').length - 1;
    });
    for (let j = 0; j < batch.length; j += HIBOB_BULK_EMPLOYEE_IDS) {
      const part = batch.slice(j, j + HIBOB_BULK_EMPLOYEE_IDS).join(',');
      jobs.push(async () => {
        await get(`/bulk/people/salaries?limit=200&employeeIds=${part}`);
        return 0;
      });
    }
  }
  let seen = 0;
  const worker = async () => {
    for (let job = jobs.shift(); job; job = jobs.shift()) {
      const found = await job();
      seen += found;
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return seen;
}

async function prepare(dataDir: string, provider: ProviderId, credentials: Record<string, string>) {
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', PUBLIC_URL: BENCH_PUBLIC_URL });
  const services = await createServices(config);
  try {
    const scopes = [scopeFor('official', 'employees')];
    return (await connectionToken(services, { provider, credentials, scopes })).token;
  } finally {
    await services.close();
  }
}

/**
 * The Affix child. BENCH_AFFIX_NODE_ARGS adds node flags to it, for finding where its time or memory goes (e.g.
 * `--cpu-prof --cpu-prof-dir=/tmp/prof`, `--heap-prof`); figures measured with flags are not P2 rows.
 * BENCH_AFFIX_ENTRY runs another build's `dist/main.js` instead (an earlier commit built elsewhere, for a before/after
 * comparison under the same load); its figures are not rows either.
 */
function serve(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        ...(process.env.BENCH_AFFIX_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
        process.env.BENCH_AFFIX_ENTRY || builtEntry(),
        'serve',
      ],
      {
        cwd: ROOT,
        env: { ...process.env, ...env },
      },
    );
    let out = '';
    const onData = (d: Buffer) => {
      out += d;
      if (/listening on/.test(out)) resolve(child);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`affix exited ${code}: ${out}`)));
  });
}

export async function runP2(
  providers: ProviderId[] = [
    'personio.de',
    'bamboohr',
    'deel',
    'factorialhr',
    'xero uk',
    'gusto',
    'hibob',
    'remote.com',
  ],
): Promise<P2Row[]> {
  const rows: P2Row[] = [];
  for (const provider of providers) {
    const rounds: P2Row[] = [];
    for (let round = 0; round < P2_ROUNDS; round++) {
      const r = await measureRound(provider, round + 1);
      rounds.push(r);
      console.log(
        `${provider} round ${round + 1}: ${r.ratio.toFixed(2)}× (wall ${r.wallMs.toFixed(0)} ms, floor ` +
          `${r.floorMs.toFixed(0)} ms), Affix CPU ${r.affixCpuMs.toFixed(0)} ms, peak RSS ${r.peakRssMb.toFixed(0)} MB, load ${r.load.toFixed(1)}`,
      );
    }
    // The round with the median ratio, listing every round's: on the shared machine one round says little.
    const sorted = [...rounds].sort((a, b) => a.ratio - b.ratio);
    const median = sorted[Math.floor((sorted.length - 1) / 2)] as P2Row;
    rows.push({
      ...median,
      ratios: rounds.map((r) => r.ratio),
      peakRssMb: Math.max(...rounds.map((r) => r.peakRssMb)),
    });
  }
  return rows;
}

/** The lower median (the middle value; of an even count, the lower of the two middle ones). */
function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] as number;
}

/** One cold Affix request: a fresh Affix process (fresh data dir, cold cache) reading a target emulator. */
interface AffixWalk {
  wallMs: number;
  affixCpuMs: number;
  peakRssMb: number;
  load: number;
  status: number;
  decodeMs: number;
  count: number;
}

/**
 * One round of one provider: a fresh emulator and, where the floor is a measured bare walk, a warm-up bare walk (not
 * counted: the emulator's code is then as warm for the walks that count as it is for Affix's) and then BENCH_P2_WALKS
 * pairs of a bare walk and a cold Affix walk, alternating; the round compares the median Affix wall with the floor
 * of the median bare walk. Where the floor is the documented limits, one Affix walk (they take 6–240 s, and their
 * floor does not vary).
 */
async function measureRound(provider: ProviderId, round: number): Promise<P2Row> {
  const start = P2_EMULATORS[provider];
  if (!start) throw new Error(`no P2 emulator for ${provider}`);
  const emu = await start();
  try {
    const bareWalk = emu.bareWalk;
    const timedBareWalk = async (): Promise<number> => {
      if (!bareWalk) throw new Error(`no bare walk for ${provider}`);
      const t0 = performance.now();
      const seen = await bareWalk();
      const ms = performance.now() - t0;
      if (seen !== EMPLOYEES) throw new Error(`bare walk saw ${seen} employees`);
      return ms;
    };
    const walks = bareWalk ? P2_WALKS : 1;
    if (bareWalk) await timedBareWalk();
    const bare: number[] = [];
    const affix: AffixWalk[] = [];
    for (let walk = 0; walk < walks; walk++) {
      if (bareWalk) bare.push(await timedBareWalk());
      const a = await affixWalk(provider, emu);
      affix.push(a);
      console.log(
        `${provider} round ${round} walk ${walk + 1}: bare ${bare.length > 0 ? `${(bare.at(-1) ?? 0).toFixed(0)} ms` : '—'}, ` +
          `Affix wall ${a.wallMs.toFixed(0)} ms, CPU ${a.affixCpuMs.toFixed(0)} ms, peak RSS ${a.peakRssMb.toFixed(0)} MB, ` +
          `status ${a.status}, load ${a.load.toFixed(1)}`,
      );
    }
    const bareWalkMs = bare.length > 0 ? median(bare) : null;
    const floorMs = emu.floorMs(bareWalkMs);
    const wallMs = median(affix.map((a) => a.wallMs));
    const first = affix[0] as AffixWalk;
    return {
      provider,
      pages: emu.pages,
      floorMs,
      floorRule: emu.floorRule,
      wallMs,
      ratio: wallMs / floorMs,
      bareWalkMs,
      peakRssMb: Math.max(...affix.map((a) => a.peakRssMb)),
      affixCpuMs: median(affix.map((a) => a.affixCpuMs)),
      load: first.load,
      // Any walk's failure is the round's.
      status: affix.find((a) => a.status !== 200)?.status ?? first.status,
      decodeMs: median(affix.map((a) => a.decodeMs)),
      count: Math.min(...affix.map((a) => a.count)),
      ratios: [wallMs / floorMs],
    };
  } finally {
    await emu.close();
  }
}

/** A fresh Affix process answering the cold request, reading the handle's next target emulator. */
async function affixWalk(provider: ProviderId, emu: EmulatorHandle): Promise<AffixWalk> {
  const target = await emu.target();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `affix-bench-p2-${provider}-`));
  let child: ChildProcess | undefined;
  try {
    const token = await prepare(dataDir, provider, target.credentials);
    const port = await freePort();
    child = await serve({
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      REDIS_URL: '',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      RATE_LIMITS: 'off',
      CACHE_WAIT: '600s',
      PUBLIC_URL: BENCH_PUBLIC_URL,
      [providerBaseUrlVar(provider)]: target.baseUrl,
    });
    const api = `http://127.0.0.1:${port}/2023-03-01/official`;
    const headers = { authorization: `Bearer ${token}`, 'accept-encoding': 'br' };
    // A fresh process's first request pays for its cold start (HTTP server, token checks, first queries): a
    // request the token has no scope for takes that, without touching the provider or the cache.
    const warm = await request(`${api}/company`, { headers });
    await warm.body.arrayBuffer();
    if (warm.statusCode !== 403) throw new Error(`warm-up answered ${warm.statusCode}`);
    const load = os.loadavg()[0] ?? 0;
    const cpuBefore = cpuMsOf(child.pid as number);
    const started = performance.now();
    // undici's `request` hands over the body as sent (fetch would decompress while reading): wall time is the
    // server's, until the last byte is in; decoding and parsing it are the client's, timed apart.
    const res = await request(`${api}/employees`, { headers });
    const bytes = Buffer.from(await res.body.arrayBuffer());
    const wallMs = performance.now() - started;
    const affixCpuMs = cpuMsOf(child.pid as number) - cpuBefore;
    const encoding = res.headers['content-encoding'];
    const json = encoding === 'br' ? zlib.brotliDecompressSync(bytes) : bytes;
    const decodeMs = performance.now() - started - wallMs;
    const body = JSON.parse(json.toString('utf8')) as unknown;
    return {
      wallMs,
      affixCpuMs,
      peakRssMb: peakRssMb(child.pid as number),
      load,
      status: res.statusCode,
      decodeMs,
      count: Array.isArray(body) ? body.length : 0,
    };
  } finally {
    // The next walk starts once this process is gone (its shutdown would otherwise share the cores with that walk).
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await target.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
