/**
 * Webhook delivery end to end on each store (SQLite; PostgreSQL with graphile-worker when DATABASE_URL is set): a
 * real receiver on loopback, the real job engine, the real outbox. Signatures verified with the seed's recipe and
 * with the `standardwebhooks` library; retries keep one webhook-id; 410 disables; redirects are not followed; a
 * private URL is refused without WEBHOOKS_ALLOW_PRIVATE_URLS; an enqueue in a rolled-back transaction sends nothing.
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type JobQueue, createJobQueue } from '../jobs/queue/index.js';
import { createClient } from '../oauth/clients.js';
import { rowsIn, testStoreKinds } from '../store/testing.js';
import { inTransaction } from '../sync/transaction.js';
import { type TestNode, startTestNode } from '../testing/node.js';
import { deliverEvent, startWebhookDelivery } from './delivery.js';
import { EMPLOYEES_CHANGED, enqueueWebhookEvent } from './outbox.js';
import { webhookAgent } from './ssrf.js';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

/** A loopback receiver whose answer to the n-th request (0-based) `answer` decides. */
async function receiver() {
  const received: Received[] = [];
  let answer: (n: number, req: http.IncomingMessage, res: http.ServerResponse) => void = (_n, _req, res) =>
    res.end('ok');
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const n = received.length;
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
      answer(n, req, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    port,
    received,
    answer: (fn: typeof answer) => {
      answer = fn;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

async function until(what: string, check: () => Promise<boolean> | boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const log = pino({ level: 'silent' });
const body = {
  added: [{ id: 'emp_1', first_name: 'Daija' }],
  removed: [],
  updated: [],
  connection: { id: 'con_x', provider: 'sandbox', mode: 'xhr' },
  changes: [],
};

describe.each(testStoreKinds)('webhook delivery ($name)', (kind) => {
  let node: TestNode;
  let queue: JobQueue;
  let stopDelivery: () => Promise<void>;
  let rx: Awaited<ReturnType<typeof receiver>>;

  beforeAll(async () => {
    node = await startTestNode({
      store: kind.name,
      env: { WEBHOOKS_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_RETRY_BASE: '50ms', WEBHOOK_TIMEOUT: '1s' },
    });
    queue = createJobQueue(node.services.store, { concurrency: 4, log, pollIntervalMs: 100 });
    stopDelivery = startWebhookDelivery(node.services, queue, log);
    await queue.start();
  }, 60_000);

  afterAll(async () => {
    await queue?.stop();
    await stopDelivery?.();
    await node?.close();
  });

  afterEach(async () => {
    await rx?.close();
  });

  async function newClient(webhookUri: string) {
    return createClient(node.services, { name: 'hooks', redirectUris: ['https://app.test/cb'], webhookUri });
  }

  const send = (clientId: string) =>
    inTransaction(node.services, (tx) =>
      enqueueWebhookEvent(tx, { type: EMPLOYEES_CHANGED, clientId, connectionId: 'con_x', body }),
    );

  const eventRow = async (id: string) => (await rowsIn(node.services.store, 'webhook_events', { id }))[0];

  it('signs the exact bytes with the seed recipe and Standard Webhooks', async () => {
    rx = await receiver();
    const { client, secret, webhookSecret } = await newClient(rx.url);
    const { id, queued } = await send(client.id);
    expect(queued).toBe(true);
    await until('a delivery', () => rx.received.length === 1);
    const [got] = rx.received as [Received];
    expect(JSON.parse(got.body)).toEqual(body);
    // The seed's own recipe, as its docs print it.
    const seed = createHmac('sha256', secret as string)
      .update(got.body)
      .digest('hex');
    expect(got.headers['x-affix-api-signature']).toBe(seed);
    expect(got.headers['x-affix-api-origin']).toBe('webhooks-employees-webhook');
    expect(got.headers['user-agent']).toBe('affixapi.com');
    expect(got.headers['webhook-id']).toBe(id);
    // The Standard Webhooks reference library: throws on a bad signature or a stale timestamp.
    const verified = new Webhook(webhookSecret).verify(got.body, got.headers as Record<string, string>);
    expect(verified).toEqual(body);
    expect(() =>
      new Webhook(webhookSecret).verify(`${got.body} `, got.headers as Record<string, string>),
    ).toThrow();
    await until('success recorded', async () => (await eventRow(id))?.status === 'succeeded');
    expect((await eventRow(id))?.attempts).toBe(1);
  });

  it('retries a receiver that times out, then answers 503 with Retry-After, with one webhook-id', async () => {
    rx = await receiver();
    rx.answer((n, _req, res) => {
      if (n === 0) return; // never answers: the 1 s timeout
      if (n === 1) {
        res.writeHead(503, { 'retry-after': '1' });
        res.end();
        return;
      }
      res.end('ok');
    });
    const { client } = await newClient(rx.url);
    const { id } = await send(client.id);
    await until('success after retries', async () => (await eventRow(id))?.status === 'succeeded', 20_000);
    expect(rx.received.map((r) => r.headers['webhook-id'])).toEqual([id, id, id]);
    const [, second, third] = rx.received as [Received, Received, Received];
    // Retry-After: 1 is honoured although the backoff alone would retry within ~100 ms.
    expect(third.at - second.at).toBeGreaterThanOrEqual(950);
    expect((await eventRow(id))?.attempts).toBe(3);
  });

  it('410 disables the endpoint; later events are kept, not sent', async () => {
    rx = await receiver();
    rx.answer((_n, _req, res) => {
      res.writeHead(410);
      res.end();
    });
    const { client } = await newClient(rx.url);
    const first = await send(client.id);
    await until('410 recorded', async () => (await eventRow(first.id))?.status === 'failed');
    const [endpoint] = await rowsIn(node.services.store, 'webhook_endpoints', { client_id: client.id });
    expect(endpoint?.disabled_at).not.toBeNull();
    const second = await send(client.id);
    expect(second.queued).toBe(false);
    expect((await eventRow(second.id))?.status).toBe('disabled');
    await new Promise((r) => setTimeout(r, 300));
    expect(rx.received).toHaveLength(1);
  });

  it('does not follow a redirect', async () => {
    rx = await receiver();
    rx.answer((_n, _req, res) => {
      res.writeHead(307, { location: '/elsewhere' });
      res.end();
    });
    const { client } = await newClient(rx.url);
    const { id } = await send(client.id);
    await until('redirect recorded', async () => (await eventRow(id))?.status === 'failed');
    expect(rx.received).toHaveLength(1);
    expect((await eventRow(id))?.last_error).toMatch(/redirect/);
  });

  it('an enqueue in a rolled-back transaction sends and stores nothing', async () => {
    rx = await receiver();
    const { client } = await newClient(rx.url);
    let id = '';
    await expect(
      inTransaction(node.services, async (tx) => {
        id = (
          await enqueueWebhookEvent(tx, {
            type: EMPLOYEES_CHANGED,
            clientId: client.id,
            connectionId: 'con_x',
            body,
          })
        ).id;
        throw new Error('the snapshot write failed');
      }),
    ).rejects.toThrow('the snapshot write failed');
    await new Promise((r) => setTimeout(r, 500));
    expect(await eventRow(id)).toBeUndefined();
    expect(rx.received).toHaveLength(0);
  });

  it('refuses a loopback URL without WEBHOOKS_ALLOW_PRIVATE_URLS, as an IP and as a name', async () => {
    rx = await receiver();
    const guarded = webhookAgent({ allowPrivate: false, timeoutMs: 1000 });
    const strict = {
      ...node.services,
      config: { ...node.services.config, WEBHOOKS_ALLOW_PRIVATE_URLS: false },
    };
    try {
      for (const url of [
        rx.url,
        `http://localhost:${rx.port}/hooks`,
        `http://[::ffff:127.0.0.1]:${rx.port}/`,
      ]) {
        const { client } = await newClient(url);
        // Kept from the running worker (allowed private URLs): stored while the endpoint is disabled, so no job
        // exists, then made pending and delivered by hand with the strict settings.
        await node.services.store.webhookEndpoints.disable(client.id, 'test', Date.now());
        const { id } = await send(client.id);
        await node.services.store.webhookEndpoints.enable(client.id);
        await node.services.store.webhookEvents.requeue(client.id, id, Date.now());
        await deliverEvent(strict, id, { log, dispatcher: guarded });
        await until('refusal recorded', async () => (await eventRow(id))?.status === 'failed');
        expect((await eventRow(id))?.last_error).toMatch(/refused/);
      }
      expect(rx.received).toHaveLength(0);
    } finally {
      await guarded.close();
    }
  });
});
