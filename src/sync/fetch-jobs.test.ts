/**
 * The cache and the 202 path through the real app: a slow provider makes the request answer 202 + Retry-After;
 * concurrent misses share one fetch; only complete results are cached; failures are not cached.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Employee } from '../model/index.js';
import { ProviderError } from '../providers/errors.js';
import { ProviderRegistry, providers } from '../providers/registry.js';
import type { Provider } from '../providers/types.js';
import { blankEmployee, testProvider } from '../testing/fixtures.js';
import { type TestNode, startTestNode } from '../testing/node.js';
import { connectionToken } from '../testing/fixtures.js';

/** A provider whose behaviour each test sets: how long a fetch takes and whether it fails. */
const behaviour = { delayMs: 0, fail: null as ProviderError | null, calls: 0, stream: false, restart: false };

function employee(i: number): Employee {
  return blankEmployee({
    id: `emp_${i}`,
    remote_id: String(i),
    first_name: `F${i}`,
    last_name: `L${i}`,
    employment_status: i % 2 ? 'active' : 'inactive',
  });
}

const slowProvider: Provider = testProvider(() => ({
  verify: async () => {},
  employees: async (sink) => {
    behaviour.calls++;
    // Streaming: the first page is handed over before the rest is known (and before a failure).
    if (behaviour.stream && sink) {
      sink.expect?.(3);
      sink.push([employee(1), employee(2)]);
    }
    // Pushed something it takes back (as Personio's stream does when an office address guess fails).
    if (behaviour.restart && sink?.restart) {
      sink.push([employee(9)]);
      sink.restart();
      sink.push([employee(1)]);
      return [employee(2), employee(3)];
    }
    await new Promise((r) => setTimeout(r, behaviour.delayMs));
    if (behaviour.fail) throw behaviour.fail;
    return behaviour.stream && sink ? [employee(3)] : [employee(1), employee(2)];
  },
}));

describe('cache and 202', () => {
  let node: TestNode;

  beforeAll(async () => {
    node = await startTestNode({
      env: { CACHE_WAIT: '100ms' },
      providers: new ProviderRegistry([...providers, slowProvider]),
    });
  });
  afterAll(async () => node?.close());

  async function slowToken(): Promise<string> {
    const scopes = ['/2023-03-01/xhr/employees', '/2023-03-01/xhr/company'];
    return (await connectionToken(node.services, { provider: 'humaans', mode: 'xhr', scopes })).token;
  }

  const get = (token: string, url = '/2023-03-01/xhr/employees') =>
    node.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

  it('answers 202 + Retry-After when the fetch outlasts the wait; concurrent misses share one fetch', async () => {
    Object.assign(behaviour, { delayMs: 400, fail: null, calls: 0 });
    const token = await slowToken();
    const first = await Promise.all([get(token), get(token), get(token), get(token)]);
    for (const res of first) {
      expect(res.statusCode).toBe(202);
      expect(res.json()).toEqual({
        message: 'Pending - Retry your call after the specified amount of seconds',
      });
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
    expect(behaviour.calls).toBe(1);
    await new Promise((r) => setTimeout(r, 450));
    const done = await get(token);
    expect(done.statusCode).toBe(200);
    expect(done.json().map((e: Employee) => e.id)).toEqual(['emp_1', 'emp_2']);
    expect(behaviour.calls).toBe(1);
  });

  it('a fast fetch answers 200 at once and is then served from cache', async () => {
    Object.assign(behaviour, { delayMs: 0, fail: null, calls: 0 });
    const token = await slowToken();
    expect((await get(token)).statusCode).toBe(200);
    expect((await get(token)).statusCode).toBe(200);
    expect(behaviour.calls).toBe(1);
  });

  it('a failed fetch is not cached and maps to the contract (401 provider auth, 503 + Retry-After)', async () => {
    Object.assign(behaviour, {
      delayMs: 0,
      fail: ProviderError.authentication('reauthentication_required', 'cookies expired'),
      calls: 0,
    });
    const token = await slowToken();
    const res = await get(token);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({
      error: 'authentication_error',
      message: 'cookies expired',
      code: 'reauthentication_required',
    });
    behaviour.fail = new ProviderError('unavailable', 'down', { retryAfterSeconds: 7 });
    const down = await get(token);
    expect(down.statusCode).toBe(503);
    expect(down.headers['retry-after']).toBe('7');
    behaviour.fail = null;
    expect((await get(token)).statusCode).toBe(200);
    expect(behaviour.calls).toBe(3);
  });

  it('a failure after a 202 reaches the retrying client once, then a new fetch starts', async () => {
    Object.assign(behaviour, { delayMs: 200, fail: new ProviderError('bad_response', 'garbage'), calls: 0 });
    const token = await slowToken();
    expect((await get(token)).statusCode).toBe(202);
    await new Promise((r) => setTimeout(r, 250));
    const failed = await get(token);
    expect(failed.statusCode).toBe(502);
    Object.assign(behaviour, { delayMs: 0, fail: null });
    expect((await get(token)).statusCode).toBe(200);
    expect(behaviour.calls).toBe(2);
  });

  it('a list streamed in parts is served whole and filtered; a walk that fails half way caches nothing', async () => {
    Object.assign(behaviour, { delayMs: 0, fail: null, calls: 0, stream: true });
    try {
      const token = await slowToken();
      const all = await get(token);
      expect(all.statusCode).toBe(200);
      expect(all.json().map((e: Employee) => e.id)).toEqual(['emp_1', 'emp_2', 'emp_3']);
      const active = await get(token, '/2023-03-01/xhr/employees?employment_status=active');
      expect(active.json().map((e: Employee) => e.id)).toEqual(['emp_1', 'emp_3']);
      expect(behaviour.calls).toBe(2);

      const other = await slowToken();
      behaviour.fail = new ProviderError('unavailable', 'down half way', { retryAfterSeconds: 3 });
      const failed = await get(other);
      expect(failed.statusCode).toBe(503);
      behaviour.fail = null;
      const again = await get(other);
      expect(again.statusCode).toBe(200);
      expect(again.json().map((e: Employee) => e.id)).toEqual(['emp_1', 'emp_2', 'emp_3']);
      expect(behaviour.calls).toBe(4);
    } finally {
      behaviour.stream = false;
    }
  });

  it('a streamed list started again (ListSink.restart) is served from what followed the restart only', async () => {
    Object.assign(behaviour, { delayMs: 0, fail: null, calls: 0, stream: true, restart: true });
    try {
      const token = await slowToken();
      const all = await get(token);
      expect(all.statusCode).toBe(200);
      expect(all.json().map((e: Employee) => e.id)).toEqual(['emp_1', 'emp_2', 'emp_3']);
    } finally {
      behaviour.stream = false;
      behaviour.restart = false;
    }
  });

  it('a resource the provider does not support → 501', async () => {
    const token = await slowToken();
    const res = await get(token, '/2023-03-01/xhr/company');
    expect(res.statusCode).toBe(501);
    expect(res.json().message).toMatch(/humaans does not support company/);
  });
});
