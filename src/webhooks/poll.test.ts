/**
 * Webhook polls on SQLite and PostgreSQL, with a collector in place of the outbox (it records what would be
 * enqueued and writes a marker row in the poll's transaction, so a rollback is visible).
 */
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandboxToken } from '../cli/sandbox.js';
import { providerBaseUrlVar } from '../config.js';
import type { Employee } from '../model/index.js';
import { scopeFor } from '../model/index.js';
import { DEFAULT_KNOBS, type Emulator, startEmulator } from '../providers/bamboohr/emulator/server.js';
import { markerCount, patchRows, postgresUrl, rowsIn, writeMarker } from '../store/testing.js';
import { ProviderError } from '../providers/errors.js';
import { ProviderRegistry, providers } from '../providers/registry.js';
import type { Provider } from '../providers/types.js';
import { connectionToken, testProvider } from '../testing/fixtures.js';
import { type TestNode, startTestNode } from '../testing/node.js';
import {
  type EnqueueWebhookEvent,
  type PollOutcome,
  type WebhookEventInput,
  pollConnection,
} from './poll.js';

interface Body {
  connection: { id: string; provider: string; mode: string };
  added: Employee[];
  removed: Employee[];
  updated: Employee[];
  changes: Array<{ id: string; fields: Record<string, { before: unknown; after: unknown }> }>;
}

function collector() {
  const events: WebhookEventInput[] = [];
  const enqueue: EnqueueWebhookEvent = async (trx, event) => {
    const id = `evt_${events.length + 1}`;
    await writeMarker(trx, `marker:${id}:${event.connectionId}`);
    events.push(event);
    return { id };
  };
  return { events, enqueue, body: (i: number) => events[i]?.body as unknown as Body };
}

async function employeesVia(node: TestNode, token: string, query = ''): Promise<Employee[]> {
  const res = await node.app.inject({
    method: 'GET',
    url: `/2023-03-01/xhr/employees${query}`,
    headers: { authorization: `Bearer ${token}` },
  });
  expect(res.statusCode).toBe(200);
  return res.json() as Employee[];
}

/** The value at a path `diff.ts` writes (`a.b[2]["c-d"]`). */
function at(value: unknown, path: string): unknown {
  let v = value;
  for (const m of path.matchAll(/([A-Za-z_$][\w$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g)) {
    const key = m[1] ?? (m[2] !== undefined ? Number(m[2]) : JSON.parse(m[3] as string));
    v = v === null || v === undefined ? undefined : (v as Record<string | number, unknown>)[key];
  }
  return v ?? null;
}

/** The event body expected between two lists, computed independently of the poll's code. */
function expectBodyBetween(body: Body, before: Employee[], after: Employee[]) {
  const was = new Map(before.map((e) => [e.id, e]));
  const now = new Map(after.map((e) => [e.id, e]));
  expect(body.added).toEqual(after.filter((e) => !was.has(e.id)));
  expect(body.removed).toEqual(before.filter((e) => !now.has(e.id)));
  const updated = after.filter((e) => was.has(e.id) && !isDeepStrictEqual(was.get(e.id), e));
  expect(body.updated).toEqual(updated);
  expect(body.changes.map((c) => c.id)).toEqual(updated.map((e) => e.id));
  for (const change of body.changes) {
    const paths = Object.keys(change.fields);
    expect(paths.length).toBeGreaterThan(0);
    for (const path of paths) {
      expect(change.fields[path]).toEqual({
        before: at(was.get(change.id), path),
        after: at(now.get(change.id), path),
      });
    }
  }
}

const kinds = ['sqlite', ...(postgresUrl ? ['postgres' as const] : [])] as const;

describe.each(kinds)('webhook polls on %s', (kind) => {
  let stable: TestNode;
  let churning: TestNode;
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ employees: 250, seed: 7 });
    stable = await startTestNode({ store: kind, env: { [providerBaseUrlVar('bamboohr')]: emu.url } });
    churning = await startTestNode({ store: kind, env: { SANDBOX_CHURN: '0.2' } });
  });
  afterAll(async () => {
    await stable?.close();
    await churning?.close();
    await emu?.close();
  });

  it('the first poll records a sealed baseline and sends nothing; an unchanged company sends nothing', async () => {
    const c = collector();
    const { connectionId, token } = await createSandboxToken(stable.services, { employees: 40 });
    expect(await pollConnection(stable.services, connectionId, c)).toEqual({
      status: 'baseline',
      records: 40,
    });
    expect(await pollConnection(stable.services, connectionId, c)).toEqual({
      status: 'unchanged',
      records: 40,
    });
    expect(c.events).toEqual([]);
    const [row] = await rowsIn(stable.services.store, 'webhook_snapshots', { connection_id: connectionId });
    expect(row).toMatchObject({ resource: 'employees', records: 40, version: 1 });
    // Sealed: no employee's name or email at rest.
    const someone = (await employeesVia(stable, token))[3] as Employee;
    expect(Buffer.from(row?.sealed as Uint8Array).includes(someone.work_email as string)).toBe(false);
    expect(Buffer.from(row?.sealed as Uint8Array).includes(someone.last_name)).toBe(false);
  });

  it('churn between polls → exactly the added, removed and updated employees with their field changes', async () => {
    const c = collector();
    const { connectionId, token: t } = await createSandboxToken(churning.services, { employees: 60 });
    expect((await pollConnection(churning.services, connectionId, c)).status).toBe('baseline');
    expect(c.events).toEqual([]);
    // The poll refreshed the cached answer: an API read now returns what the poll saw.
    let before = await employeesVia(churning, t);
    const kinds = new Set<string>();
    // Each round's changes are drawn from the connection's (random) id, and a purge (a 10 % share) needs an inactive
    // employee: four rounds miss one now and then, so rounds go on (each checked in full) until every kind was
    // seen. Twelve changes a round: 40 rounds without a purge would take a broken churn.
    const ALL_KINDS = ['edit', 'hire', 'leave', 'purge'];
    let round = 0;
    for (; round < 4 || (kinds.size < ALL_KINDS.length && round < 40); round++) {
      const outcome = await pollConnection(churning.services, connectionId, c);
      expect(outcome.status).toBe('changed');
      const after = await employeesVia(churning, t);
      const body = c.body(round);
      expect(c.events[round]).toMatchObject({ type: 'employees.changed', connectionId });
      expect(body.connection).toEqual({ id: connectionId, provider: 'sandbox', mode: 'xhr' });
      expectBodyBetween(body, before, after);
      expect(outcome).toMatchObject({
        added: body.added.length,
        removed: body.removed.length,
        updated: body.updated.length,
        records: after.length,
      });
      if (body.added.length > 0) kinds.add('hire');
      if (body.removed.length > 0) kinds.add('purge');
      for (const change of body.changes) {
        if ('employment_status' in change.fields) {
          expect(change.fields['employment_status']?.after).toBe('inactive');
          expect(change.fields['termination_date']?.after).toEqual(expect.any(String));
          kinds.add('leave');
        }
        if ('custom_fields.desk' in change.fields) {
          expect(change.fields['mobile_phone_number']).toBeDefined();
          kinds.add('edit');
        }
      }
      before = after;
    }
    expect([...kinds].sort()).toEqual(ALL_KINDS);
    const [row] = await rowsIn(churning.services.store, 'webhook_snapshots', { connection_id: connectionId });
    expect(row?.version).toBe(round + 1);
  });

  it('a provider fault in the middle of a poll → no event; the next good poll diffs against the last good snapshot', async () => {
    Object.assign(emu.knobs, DEFAULT_KNOBS);
    const c = collector();
    const { connectionId } = await connectionToken(stable.services, {
      provider: 'bamboohr',
      credentials: { company_domain: emu.credentials.company_domain, api_key: emu.credentials.api_key },
      scopes: [scopeFor('official', 'employees')],
    });
    expect(await pollConnection(stable.services, connectionId, c)).toEqual({
      status: 'baseline',
      records: 250,
    });
    // Two people nobody reports to, so the change touches only them.
    const managers = new Set(emu.records.employees.map((e) => e.reportsToId));
    const [renamed, gone] = emu.records.employees.filter((e) => !managers.has(e.employeeId)).slice(3, 5);
    if (!renamed || !gone) throw new Error('emulator has too few employees');
    const previousName = renamed.lastName;
    renamed.lastName = 'Changed-Name';
    emu.records.employees.splice(emu.records.employees.indexOf(gone), 1);
    try {
      // Page 2 comes back short and says it is the last: a partial list that must not read as removals.
      emu.knobs.shortPage = true;
      emu.knobs.truncateList = true;
      const failed = await pollConnection(stable.services, connectionId, c);
      expect(failed.status).toBe('failed');
      // A 500 on every request (after the client's retries): fails too.
      Object.assign(emu.knobs, DEFAULT_KNOBS, { failEvery: 1, status5xx: 500 });
      expect((await pollConnection(stable.services, connectionId, c)).status).toBe('failed');
      expect(c.events).toEqual([]);
      const [row] = await rowsIn(stable.services.store, 'webhook_snapshots', { connection_id: connectionId });
      expect(row).toMatchObject({ records: 250, version: 1 });

      Object.assign(emu.knobs, DEFAULT_KNOBS);
      const good = await pollConnection(stable.services, connectionId, c);
      expect(good).toMatchObject({ status: 'changed', added: 0, removed: 1, updated: 1, records: 249 });
      const body = c.body(0);
      expect(body.removed.map((e) => e.id)).toEqual([gone.employeeId]);
      expect(body.changes).toEqual([
        {
          id: renamed.employeeId,
          fields: expect.objectContaining({ last_name: { before: previousName, after: 'Changed-Name' } }),
        },
      ]);
      expect(body.connection).toEqual({ id: connectionId, provider: 'bamboohr', mode: 'official' });
    } finally {
      Object.assign(emu.knobs, DEFAULT_KNOBS);
    }
  });

  it('an enqueue that fails rolls the transaction back: no snapshot, no event; the next poll sends the change', async () => {
    const c = collector();
    const { connectionId, token: t } = await createSandboxToken(churning.services, { employees: 30 });
    expect((await pollConnection(churning.services, connectionId, c)).status).toBe('baseline');
    const baseline = await employeesVia(churning, t);
    const failing: EnqueueWebhookEvent = async (trx, event) => {
      await writeMarker(trx, `marker:doomed:${event.connectionId}`);
      throw new Error('outbox unavailable');
    };
    await expect(pollConnection(churning.services, connectionId, { enqueue: failing })).rejects.toThrow(
      'outbox unavailable',
    );
    expect(await markerCount(churning.services.store, `marker:doomed:${connectionId}`)).toBe(0);
    const [row] = await rowsIn(churning.services.store, 'webhook_snapshots', { connection_id: connectionId });
    expect(row?.version).toBe(1);

    const next = await pollConnection(churning.services, connectionId, c);
    expect(next.status).toBe('changed');
    expect(await markerCount(churning.services.store, `marker:evt_1:${connectionId}`)).toBe(1);
    // Against the baseline: the rolled-back poll's changes are not lost.
    expectBodyBetween(c.body(0), baseline, await employeesVia(churning, t));
  });

  it('a snapshot that no longer opens (damaged row) is replaced by a new baseline, without an event', async () => {
    const c = collector();
    const { connectionId } = await createSandboxToken(churning.services, { employees: 20 });
    expect((await pollConnection(churning.services, connectionId, c)).status).toBe('baseline');
    const [row] = await rowsIn(churning.services.store, 'webhook_snapshots', { connection_id: connectionId });
    const damaged = Buffer.from(row?.sealed as Uint8Array);
    damaged[damaged.length - 20] = (damaged[damaged.length - 20] ?? 0) ^ 0xff;
    await patchRows(
      churning.services.store,
      'webhook_snapshots',
      { sealed: damaged },
      { connection_id: connectionId },
    );
    expect(await pollConnection(churning.services, connectionId, c)).toEqual({
      status: 'baseline',
      records: expect.any(Number),
    });
    expect(c.events).toEqual([]);
    const [after] = await rowsIn(churning.services.store, 'webhook_snapshots', {
      connection_id: connectionId,
    });
    expect(after?.version).toBe(2);
    expect((await pollConnection(churning.services, connectionId, c)).status).toBe('changed');
  });

  it('two polls of one connection at once send one event between them', async () => {
    const c = collector();
    const { connectionId } = await createSandboxToken(churning.services, { employees: 30 });
    await pollConnection(churning.services, connectionId, c);
    // "At once": each poll has read the last snapshot before either writes one (on a busy machine the second could
    // otherwise start after the first committed, and rightly report the next change). The real read, held back
    // until both polls made it.
    const snapshots = churning.services.store.webhookSnapshots;
    const read = snapshots.read;
    const released: Array<() => void> = [];
    snapshots.read = async (...args) => {
      const row = await read.apply(snapshots, args);
      await new Promise<void>((resolve) => {
        released.push(resolve);
        if (released.length === 2) for (const release of released) release();
      });
      return row;
    };
    let outcomes: PollOutcome[];
    try {
      outcomes = await Promise.all([
        pollConnection(churning.services, connectionId, c),
        pollConnection(churning.services, connectionId, c),
      ]);
    } finally {
      snapshots.read = read;
    }
    expect(outcomes.map((o) => o.status).sort()).toEqual(['changed', 'superseded']);
    expect(c.events).toHaveLength(1);
  });

  it('a disconnected connection is not polled, and disconnect deletes its snapshot', async () => {
    const c = collector();
    const { connectionId } = await createSandboxToken(stable.services, { employees: 5 });
    await pollConnection(stable.services, connectionId, c);
    const { wipeConnection } = await import('../sync/wipe-connection.js');
    await wipeConnection(stable.services, connectionId);
    expect(await rowsIn(stable.services.store, 'webhook_snapshots', { connection_id: connectionId })).toEqual(
      [],
    );
    expect(await pollConnection(stable.services, connectionId, c)).toEqual({
      status: 'skipped',
      reason: 'disconnected',
    });
  });
});

describe('webhook polls of a provider that fails after streaming part of the list', () => {
  const behaviour = { fail: true };
  const person = (i: number) =>
    ({ id: `e${i}`, remote_id: String(i), first_name: `F${i}`, last_name: `L${i}` }) as unknown as Employee;
  const streaming = testProvider(() => ({
    verify: async () => {},
    employees: async (sink) => {
      sink?.expect?.(3);
      sink?.push([person(1), person(2)]);
      if (behaviour.fail) throw new ProviderError('unavailable', 'page 2 failed');
      return [person(3)];
    },
  }));
  let node: TestNode;
  beforeAll(async () => {
    node = await startTestNode({ providers: new ProviderRegistry([...providers, streaming]) });
  });
  afterAll(async () => node?.close());

  it('is a failed poll: the employees already streamed are not diffed, nothing is written', async () => {
    const c = collector();
    const { connectionId } = await connectionToken(node.services, {
      provider: 'humaans',
      mode: 'xhr',
      scopes: ['/2023-03-01/xhr/employees'],
    });
    const failed = await pollConnection(node.services, connectionId, c);
    expect(failed).toMatchObject({ status: 'failed', error: expect.any(ProviderError) });
    expect(await rowsIn(node.services.store, 'webhook_snapshots', { connection_id: connectionId })).toEqual(
      [],
    );
    behaviour.fail = false;
    expect(await pollConnection(node.services, connectionId, c)).toEqual({ status: 'baseline', records: 3 });
    behaviour.fail = true;
    expect((await pollConnection(node.services, connectionId, c)).status).toBe('failed');
    expect(c.events).toEqual([]);
    const [row] = await rowsIn(node.services.store, 'webhook_snapshots', { connection_id: connectionId });
    expect(row).toMatchObject({ records: 3, version: 1 });
  });
});

describe("a record's hash does not depend on whether its adapter handed its JSON text or only the object", () => {
  /** How the wrapped adapters hand their employees: as objects only, or each with its JSON text. */
  const how = { texts: false, given: 0 };
  /**
   * The sandbox hands texts itself (from its kept document) when the sink takes them: `texts: false` hides
   * `pushWithJson` from it. A real provider hands objects: `texts: true` turns each push into `pushWithJson` with
   * texts made by `JSON.stringify`, as an adapter holding its records' JSON would.
   */
  const wrap = (provider: Provider): Provider => ({
    ...provider,
    connect: (ctx) => {
      const adapter = provider.connect(ctx);
      const employees = adapter.employees?.bind(adapter);
      if (!employees) return adapter;
      adapter.employees = async (sink) => {
        if (!sink) return employees();
        const count = (texts: readonly (string | undefined)[]) => {
          how.given += texts.filter((t) => t !== undefined).length;
          return texts;
        };
        const withTexts = sink.pushWithJson?.bind(sink);
        if (!how.texts || !withTexts) return employees({ ...sink, pushWithJson: undefined });
        if (provider.id === 'sandbox')
          return employees({ ...sink, pushWithJson: (items, texts) => withTexts(items, count(texts)) });
        return employees({
          ...sink,
          push: (items) => withTexts(items, count(items.map((e) => JSON.stringify(e)))),
        });
      };
      return adapter;
    },
  });
  let node: TestNode;
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ employees: 120, seed: 11 });
    const wrapped = providers.map((p) => (p.id === 'sandbox' || p.id === 'bamboohr' ? wrap(p) : p));
    node = await startTestNode({
      providers: new ProviderRegistry(wrapped),
      env: { [providerBaseUrlVar('bamboohr')]: emu.url },
    });
  });
  afterAll(async () => {
    await node?.close();
    await emu?.close();
  });

  const snapshotVersion = async (connectionId: string) =>
    (await rowsIn(node.services.store, 'webhook_snapshots', { connection_id: connectionId }))[0]?.version;

  /**
   * Baseline one way, then polls the other way and back: each finds nothing changed and writes nothing (a plain hash
   * that moved would be written as a new snapshot version, even without an event).
   */
  async function sameHashesBothWays(connectionId: string, records: number, firstWithTexts: boolean) {
    const c = collector();
    how.texts = firstWithTexts;
    how.given = 0;
    expect(await pollConnection(node.services, connectionId, c)).toEqual({ status: 'baseline', records });
    expect(how.given).toBe(firstWithTexts ? records : 0);
    for (const texts of [!firstWithTexts, firstWithTexts, !firstWithTexts]) {
      how.texts = texts;
      how.given = 0;
      expect(await pollConnection(node.services, connectionId, c)).toEqual({ status: 'unchanged', records });
      if (!texts) expect(how.given).toBe(0);
      else expect(how.given).toBeGreaterThan(0);
    }
    expect(await snapshotVersion(connectionId)).toBe(1);
    expect(c.events).toEqual([]);
  }

  it('the sandbox: texts from its kept document, or objects serialized by the fetch path', async () => {
    for (const firstWithTexts of [true, false]) {
      const { connectionId, token } = await createSandboxToken(node.services, { employees: 30 });
      await sameHashesBothWays(connectionId, 30, firstWithTexts);
      // The cached answer the polls refreshed is the list as the adapter's objects serialize.
      const connection = await node.services.store.connections.find(connectionId);
      const sandbox = node.services.providers.find('sandbox');
      if (!connection || !sandbox) throw new Error('no sandbox connection');
      const { adapterFor } = await import('../sync/connections.js');
      const objects = await adapterFor(node.services, sandbox, connection, {}).employees?.();
      expect(await employeesVia(node, token)).toEqual(JSON.parse(JSON.stringify(objects)));
    }
  });

  it('API reads of the sandbox (its texts encoded as they are) answer its objects, filtered by status too', async () => {
    how.texts = true;
    how.given = 0;
    const { connectionId, token } = await createSandboxToken(node.services, { employees: 60 });
    const connection = await node.services.store.connections.find(connectionId);
    const sandbox = node.services.providers.find('sandbox');
    if (!connection || !sandbox) throw new Error('no sandbox connection');
    const { adapterFor } = await import('../sync/connections.js');
    const objects = JSON.parse(
      JSON.stringify(await adapterFor(node.services, sandbox, connection, {}).employees?.()),
    ) as Employee[];
    expect(await employeesVia(node, token, '?employment_status=inactive')).toEqual(
      objects.filter((e) => e.employment_status === 'inactive'),
    );
    expect(await employeesVia(node, token)).toEqual(objects);
    expect(how.given).toBeGreaterThan(60);
  });

  it('a real provider (BambooHR): objects, or the same records handed with their texts', async () => {
    for (const firstWithTexts of [false, true]) {
      const { connectionId } = await connectionToken(node.services, {
        provider: 'bamboohr',
        credentials: { company_domain: emu.credentials.company_domain, api_key: emu.credentials.api_key },
        scopes: [scopeFor('official', 'employees')],
      });
      await sameHashesBothWays(connectionId, 120, firstWithTexts);
    }
  });
});
