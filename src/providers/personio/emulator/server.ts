/**
 * Personio v1 emulator: our own loopback server answering like personio-auth-api.yaml and
 * personio-personnel-data-api-oa3.yaml — same paths under `/v1`, `POST /auth` + Bearer, offset pagination for
 * employees and attendances, page-number pagination for time-offs, Personio's `{success:false, error:{code,message}}`
 * error bodies and the documented rate limits (see client.ts for where the numbers come from), plus fault knobs.
 *
 * Standalone: `node --import tsx src/providers/personio/emulator/server.ts --port 4010 --employees 1000`
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import type { PersonioEmployee } from '../raw.js';
import { type EmulatorData, type EmulatorDataOptions, buildEmployee, generateData } from './data.js';
import { DEFAULT_FAULT_KNOBS, type FaultKnobs, injectedFault, truncatedJson } from '../../emulator-faults.js';
import { runStandalone } from '../../emulator-http.js';

/** Documented limits the emulator enforces (numbers and sources: client.ts). */
export const EMULATOR_LIMITS = {
  employeesBurst: { requests: 15, perMs: 1_000 },
  employeesPerMinute: { requests: 300, perMs: 60_000 },
  global: { requests: 2_000, perMs: 60_000 },
  auth: { requests: 60, perMs: 60_000 },
} as const;

/**
 * Arrival-time slack for the windows: a client that paces its sends exactly to the limit must not be punished for
 * network jitter between two requests.
 */
const WINDOW_SLACK_MS = 50;

/** Personio counts data calls only (not /auth) for the every-N knobs. */
export interface Knobs extends FaultKnobs {
  /** A page in the middle of a list comes back shorter than `limit` while metadata says more exist. */
  shortPage: boolean | 'once';
  /** Added to every list's announced `total_elements` (the spec's own example announces 2 and lists 1). */
  totalSkew: number;
  /** The employee list loses its last record each time its first page is served (a list changing while read). */
  shrinkEachWalk: boolean;
  /** `true`: the next data call gets 401 and every issued token is revoked; `'always'`: every data call gets 401. */
  expireToken: boolean | 'always';
  /** Data calls answer 403 (credentials without the needed permission). */
  forbidden: boolean;
  /** The next successful response hands back a new token in `Authorization` and revokes the old one. */
  rotateToken: boolean;
  /** Enforce EMULATOR_LIMITS (429 + Retry-After when exceeded). */
  enforceRateLimits: boolean;
}

export interface EmulatorOptions extends EmulatorDataOptions {
  port?: number;
  host?: string;
  clientId?: string;
  clientSecret?: string;
  knobs?: Partial<Knobs>;
}

export interface EmulatorStats {
  authCalls: number;
  dataCalls: number;
  /** Paths (with query) of every data call, in arrival order. */
  requests: string[];
  /** Most data calls being answered at the same moment (shows whether a client fetches pages concurrently). */
  maxInFlight: number;
  /** Raw URL of every request that reached the server (auth, data and unknown paths alike). */
  received: string[];
}

export interface PersonioEmulator {
  /** Server root, e.g. `http://127.0.0.1:4010`. */
  url: string;
  /** What the adapter's `baseUrl` should be: the root plus `/v1`, as the real `https://api.personio.de/v1`. */
  baseUrl: string;
  credentials: { client_id: string; client_secret: string };
  records: EmulatorData;
  knobs: Knobs;
  stats: EmulatorStats;
  close(): Promise<void>;
}

const DEFAULT_KNOBS: Knobs = {
  ...DEFAULT_FAULT_KNOBS,
  shortPage: false,
  totalSkew: 0,
  shrinkEachWalk: false,
  expireToken: false,
  forbidden: false,
  rotateToken: false,
  enforceRateLimits: true,
};

/** Arrival-time sliding window; `hit()` answers how many ms until a slot frees, or 0 when admitted. */
class Window {
  private readonly stamps: number[] = [];
  constructor(
    private readonly requests: number,
    private readonly perMs: number,
  ) {}
  hit(now = Date.now()): number {
    const span = this.perMs - WINDOW_SLACK_MS;
    while (this.stamps.length > 0 && (this.stamps[0] ?? 0) <= now - span) this.stamps.shift();
    if (this.stamps.length >= this.requests) return (this.stamps[0] ?? now) + span - now;
    this.stamps.push(now);
    return 0;
  }
}

/**
 * The least time the emulator lets `pages` employee-list pages be fetched (after auth): the documented 15/s burst
 * and 300/min windows decide when each request may start, and the last one still takes `latencyMs`. The P2
 * benchmark compares the adapter's wall time with this.
 */
export function employeesFloorMs(pages: number, latencyMs: number): number {
  const starts: number[] = [];
  for (let i = 0; i < pages; i++) {
    const burst =
      i >= EMULATOR_LIMITS.employeesBurst.requests
        ? (starts[i - EMULATOR_LIMITS.employeesBurst.requests] ?? 0) + EMULATOR_LIMITS.employeesBurst.perMs
        : 0;
    const minute =
      i >= EMULATOR_LIMITS.employeesPerMinute.requests
        ? (starts[i - EMULATOR_LIMITS.employeesPerMinute.requests] ?? 0) +
          EMULATOR_LIMITS.employeesPerMinute.perMs
        : 0;
    starts.push(Math.max(burst, minute));
  }
  return (starts.at(-1) ?? 0) + latencyMs;
}

function error(code: number, message: string) {
  return { success: false, error: { code, message } };
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function intParam(v: unknown, fallback: number): number | null {
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  return Number.isInteger(n) ? n : null;
}

/** `employees[]=1&employees[]=2` (fastify's parser keeps the brackets in the key). */
function listParam(q: Record<string, unknown>, key: string): string[] {
  const v = q[`${key}[]`] ?? q[key];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).map(String);
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<PersonioEmulator> {
  const records = generateData(options);
  const knobs: Knobs = { ...DEFAULT_KNOBS, ...options.knobs };
  const credentials = {
    client_id: options.clientId ?? 'papi-emulator-client',
    client_secret: options.clientSecret ?? 'emulator-secret-0123456789',
  };
  const stats: EmulatorStats = { authCalls: 0, dataCalls: 0, requests: [], maxInFlight: 0, received: [] };
  let inFlight = 0;
  const tokens = new Set<string>();
  const windows = {
    global: new Window(EMULATOR_LIMITS.global.requests, EMULATOR_LIMITS.global.perMs),
    auth: new Window(EMULATOR_LIMITS.auth.requests, EMULATOR_LIMITS.auth.perMs),
    burst: new Window(EMULATOR_LIMITS.employeesBurst.requests, EMULATOR_LIMITS.employeesBurst.perMs),
    minute: new Window(EMULATOR_LIMITS.employeesPerMinute.requests, EMULATOR_LIMITS.employeesPerMinute.perMs),
  };
  const byId = new Map<number, PersonioEmployee>(records.employees.map((e) => [e.attributes.id.value, e]));
  let nextId = Math.max(0, ...byId.keys()) + 1;

  const app = Fastify({ logger: false, forceCloseConnections: true, bodyLimit: 1_048_576 });
  await app.register(formbody);
  app.addHook('onRequest', async (req) => {
    stats.received.push(req.raw.url ?? '');
  });

  const tooMany = (reply: FastifyReply, waitMs: number) =>
    reply
      .code(429)
      .header('retry-after', String(Math.max(1, Math.ceil(waitMs / 1000))))
      .send(error(429, 'Too Many Requests'));

  app.post('/v1/auth', async (req, reply) => {
    stats.authCalls++;
    if (knobs.latencyMs > 0) await sleep(knobs.latencyMs);
    if (knobs.enforceRateLimits) {
      const wait = Math.max(windows.global.hit(), windows.auth.hit());
      if (wait > 0) return tooMany(reply, wait);
    }
    const body = (req.body ?? {}) as Record<string, unknown>;
    const id = typeof body['client_id'] === 'string' ? body['client_id'] : '';
    const secret = typeof body['client_secret'] === 'string' ? body['client_secret'] : '';
    if (!id || !secret) return reply.code(400).send(error(400, 'client_id and client_secret are required'));
    if (!sameSecret(id, credentials.client_id) || !sameSecret(secret, credentials.client_secret)) {
      return reply.code(401).send(error(401, 'Wrong credentials'));
    }
    const token = `papi-${randomBytes(24).toString('base64url')}`;
    tokens.add(token);
    return {
      success: true,
      data: { token, expires_in: 86_400, scope: 'employees:read absences:read attendances:read' },
    };
  });

  /** Fault knobs, auth and rate limits for every data route; returns false when it has answered already. */
  async function gate(
    req: FastifyRequest,
    reply: FastifyReply,
    employeesList = false,
  ): Promise<string | null> {
    stats.dataCalls++;
    stats.requests.push(req.url);
    inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, inFlight);
    reply.raw.once('close', () => {
      inFlight--;
    });
    const n = stats.dataCalls;
    if (knobs.hang) await new Promise<never>(() => {});
    if (knobs.latencyMs > 0) await sleep(knobs.latencyMs);
    const fault = injectedFault(knobs, n);
    if (fault?.status === 429) {
      reply
        .code(429)
        .header('retry-after', String(fault.retryAfterSeconds))
        .send(error(429, 'Too Many Requests'));
      return null;
    }
    if (fault) {
      reply.code(fault.status).send(error(fault.status, 'Service Unavailable'));
      return null;
    }
    const header = req.headers.authorization;
    if (!header) {
      reply.code(401).send(error(401, 'Authorization is not provided'));
      return null;
    }
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1] ?? '';
    if (knobs.expireToken) {
      if (knobs.expireToken === true) knobs.expireToken = false;
      tokens.clear();
    }
    if (!tokens.has(token)) {
      reply.code(401).send(error(401, 'The provided token is invalid or has expired'));
      return null;
    }
    if (knobs.forbidden) {
      reply.code(403).send(error(403, 'Provided authorization is not valid'));
      return null;
    }
    if (knobs.enforceRateLimits) {
      const wait = Math.max(
        windows.global.hit(),
        employeesList ? Math.max(windows.burst.hit(), windows.minute.hit()) : 0,
      );
      if (wait > 0) {
        tooMany(reply, wait);
        return null;
      }
    }
    // Personio hands the token back on every successful response (see client.ts); rotation swaps it here.
    let handBack = token;
    if (knobs.rotateToken) {
      knobs.rotateToken = false;
      handBack = `papi-${randomBytes(24).toString('base64url')}`;
      tokens.add(handBack);
      tokens.delete(token);
    }
    reply.header('authorization', `Bearer ${handBack}`);
    return handBack;
  }

  function send(reply: FastifyReply, body: unknown) {
    if (knobs.malformedJson) {
      const text = JSON.stringify(body);
      return reply.type('application/json').send(truncatedJson(text));
    }
    return reply.send(body);
  }

  /** The short-page fault: drop the tail of a page that is neither the first nor the last. */
  function maybeShort<T>(items: T[], isMiddle: boolean): T[] {
    if (!knobs.shortPage || !isMiddle || items.length < 2) return items;
    if (knobs.shortPage === 'once') knobs.shortPage = false;
    return items.slice(0, Math.ceil(items.length / 2));
  }

  function project(emp: PersonioEmployee, attributes: string[]): PersonioEmployee {
    if (attributes.length === 0) return emp;
    // The spec's example: a projection still carries the id.
    const out: Record<string, unknown> = { id: emp.attributes.id };
    for (const key of attributes) if (key in emp.attributes) out[key] = emp.attributes[key];
    return { type: 'Employee', attributes: out as PersonioEmployee['attributes'] };
  }

  app.get('/v1/company/employees', async (req, reply) => {
    if ((await gate(req, reply, true)) === null) return reply;
    const q = req.query as Record<string, unknown>;
    const limit = intParam(q['limit'], 10);
    const offset = intParam(q['offset'], 0);
    if (limit === null || limit < 1 || offset === null || offset < 0) {
      return reply
        .code(400)
        .send(error(400, 'limit must be a positive integer and offset a non-negative one'));
    }
    let list = records.employees;
    const email = typeof q['email'] === 'string' ? q['email'].toLowerCase() : null;
    const updatedSince = typeof q['updated_since'] === 'string' ? Date.parse(q['updated_since']) : Number.NaN;
    if (!Number.isNaN(updatedSince)) {
      // The spec: with updated_since, email, limit and offset are ignored.
      list = list.filter(
        (e) => Date.parse(String(e.attributes.last_modified_at?.value ?? '')) >= updatedSince,
      );
    } else if (email) {
      list = list.filter((e) => String(e.attributes.email?.value ?? '').toLowerCase() === email);
    }
    const total = list.length;
    const paged = Number.isNaN(updatedSince) ? list.slice(offset, offset + limit) : list;
    if (knobs.shrinkEachWalk && offset === 0) records.employees = records.employees.slice(0, -1);
    const attributes = listParam(q, 'attributes');
    const isMiddle = offset > 0 && offset + limit < total;
    return send(reply, {
      success: true,
      metadata: {
        total_elements: total + knobs.totalSkew,
        current_page: Math.floor(offset / limit),
        total_pages: Math.ceil(total / limit),
      },
      offset,
      limit,
      data: maybeShort(paged, isMiddle).map((e) => project(e, attributes)),
    });
  });

  app.get('/v1/company/employees/:id', async (req, reply) => {
    if ((await gate(req, reply)) === null) return reply;
    const emp = byId.get(Number((req.params as { id: string }).id));
    if (!emp) return reply.code(404).send(error(404, 'Es ist ein Problem aufgetreten '));
    return send(reply, { success: true, data: emp });
  });

  app.get('/v1/company/employees/:id/absences/balance', async (req, reply) => {
    if ((await gate(req, reply)) === null) return reply;
    const id = Number((req.params as { id: string }).id);
    if (!byId.has(id)) return reply.code(404).send(error(404, 'Es ist ein Problem aufgetreten '));
    return send(reply, { success: true, data: records.balances.get(id) ?? [] });
  });

  app.post('/v1/company/employees', async (req, reply) => {
    if ((await gate(req, reply)) === null) return reply;
    const body = (req.body ?? {}) as Record<string, unknown>;
    // JSON `{employee:{…}}` or the form variant `employee[email]=…`.
    const e: Record<string, unknown> =
      body['employee'] && typeof body['employee'] === 'object'
        ? (body['employee'] as Record<string, unknown>)
        : Object.fromEntries(
            Object.entries(body)
              .filter(([k]) => k.startsWith('employee['))
              .map(([k, v]) => [k.slice('employee['.length, -1), v]),
          );
    const str = (k: string) =>
      typeof e[k] === 'string' && (e[k] as string).trim() !== '' ? (e[k] as string) : null;
    const email = str('email');
    const firstName = str('first_name');
    const lastName = str('last_name');
    if (!email || !firstName || !lastName) {
      return reply.code(422).send(error(422, 'email, first_name and last_name are required'));
    }
    if (
      records.employees.some((x) => String(x.attributes.email?.value).toLowerCase() === email.toLowerCase())
    ) {
      return reply.code(422).send(error(422, 'The email has already been taken.'));
    }
    let supervisor: PersonioEmployee | null = null;
    if (e['supervisor_id'] !== undefined && e['supervisor_id'] !== null && e['supervisor_id'] !== '') {
      supervisor = byId.get(Number(e['supervisor_id'])) ?? null;
      if (!supervisor)
        return reply.code(422).send(error(422, `Supervisor with ID ${e['supervisor_id']} not found`));
    }
    const hireDate = str('hire_date');
    if (hireDate && !/^\d{4}-\d{2}-\d{2}$/.test(hireDate)) {
      return reply.code(422).send(error(422, 'hire_date must be yyyy-mm-dd'));
    }
    const gender = str('gender');
    if (gender && !['male', 'female', 'diverse'].includes(gender)) {
      return reply.code(422).send(error(422, 'gender must be male, female or diverse'));
    }
    // Unknown department/office names are ignored, as the spec says Personio does.
    const department = records.departments.find((d) => d.name === str('department')) ?? null;
    const office = records.offices.find((o) => o.name === str('office')) ?? null;
    const status = str('status') ?? (hireDate && hireDate > records.today ? 'onboarding' : 'active');
    const id = nextId++;
    const emp = buildEmployee({
      id,
      firstName,
      lastName,
      preferredName: str('preferred_name'),
      email,
      gender,
      status,
      position: str('position'),
      supervisor,
      weeklyHours: e['weekly_working_hours'] === undefined ? null : String(e['weekly_working_hours']),
      hireDate,
      createdAt: new Date().toISOString().replace(/\.\d{3}Z$/, '+00:00'),
      office,
      department,
      calendar: office?.calendar ?? null,
    });
    records.employees.push(emp);
    byId.set(id, emp);
    records.balances.set(id, []);
    return send(reply, { success: true, data: { id, message: 'success' } });
  });

  app.get('/v1/company/attendances', async (req, reply) => {
    if ((await gate(req, reply)) === null) return reply;
    const q = req.query as Record<string, unknown>;
    const start = typeof q['start_date'] === 'string' ? q['start_date'] : '';
    const end = typeof q['end_date'] === 'string' ? q['end_date'] : '';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(start) || !/^\d{4}-\d{2}-\d{2}$/.test(end)) {
      return reply.code(400).send(error(400, 'start_date and end_date are required (yyyy-mm-dd)'));
    }
    const limit = intParam(q['limit'], 200);
    const offset = intParam(q['offset'], 0);
    if (limit === null || limit < 1 || offset === null || offset < 0) {
      return reply
        .code(400)
        .send(error(400, 'limit must be a positive integer and offset a non-negative one'));
    }
    const includePending = q['includePending'] === 'true' || q['includePending'] === '1';
    const employees = new Set(listParam(q, 'employees'));
    const list = records.attendances.filter(
      (a) =>
        a.attributes.date >= start &&
        a.attributes.date <= end &&
        (includePending || a.attributes.status === 'confirmed') &&
        (employees.size === 0 || employees.has(String(a.attributes.employee))),
    );
    const total = list.length;
    return send(reply, {
      success: true,
      metadata: {
        total_elements: total + knobs.totalSkew,
        current_page: Math.floor(offset / limit),
        total_pages: Math.ceil(total / limit),
      },
      offset,
      limit,
      data: maybeShort(list.slice(offset, offset + limit), offset > 0 && offset + limit < total),
    });
  });

  app.get('/v1/company/time-offs', async (req, reply) => {
    if ((await gate(req, reply)) === null) return reply;
    const q = req.query as Record<string, unknown>;
    const limit = intParam(q['limit'], 200);
    const rawOffset = intParam(q['offset'], 0);
    if (limit === null || limit < 1 || limit > 200 || rawOffset === null || rawOffset < 0) {
      return reply.code(400).send(error(400, 'limit must be 1…200 and offset a non-negative page number'));
    }
    // `offset` is a 1-based page number here; Personio turns 0 into 1.
    const page = Math.max(1, rawOffset);
    const start = typeof q['start_date'] === 'string' ? q['start_date'] : null;
    const end = typeof q['end_date'] === 'string' ? q['end_date'] : null;
    const employees = new Set(listParam(q, 'employees'));
    const list = records.timeOffs.filter((t) => {
      const s = (t.attributes.start_date ?? '').slice(0, 10);
      const e = (t.attributes.end_date ?? '').slice(0, 10);
      return (
        (!start || e >= start) &&
        (!end || s <= end) &&
        (employees.size === 0 || employees.has(String(t.attributes.employee.attributes.id.value)))
      );
    });
    const total = list.length;
    const from = (page - 1) * limit;
    return send(reply, {
      success: true,
      metadata: {
        total_elements: total + knobs.totalSkew,
        current_page: page,
        total_pages: Math.ceil(total / limit),
      },
      offset: rawOffset,
      limit,
      data: maybeShort(list.slice(from, from + limit), page > 1 && from + limit < total),
    });
  });

  app.get('/v1/company/time-off-types', async (req, reply) => {
    if ((await gate(req, reply)) === null) return reply;
    return send(reply, { success: true, data: records.timeOffTypes });
  });

  app.setNotFoundHandler((_req, reply) => reply.code(404).send(error(404, 'Not found')));

  const address = await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  const url = address.replace('[::1]', '127.0.0.1');
  return {
    url,
    baseUrl: `${url}/v1`,
    credentials,
    records,
    knobs,
    stats,
    close: () => app.close(),
  };
}

await runStandalone(import.meta.url, startEmulator, (e) => ({
  name: 'Personio',
  url: e.url,
  baseUrl: e.baseUrl,
  baseUrlVar: 'PROVIDER_PERSONIO_DE_BASE_URL',
  lines: { ...e.credentials, employees: e.records.employees.length },
}));
