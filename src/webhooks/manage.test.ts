/**
 * The management API additions (x-webhooks), the lifecycle events, secret rotation, and the signature test vectors.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandboxToken } from '../cli/sandbox.js';
import { type JobQueue, createJobQueue } from '../jobs/queue/index.js';
import { createClient } from '../oauth/clients.js';
import { testStoreKinds } from '../store/testing.js';
import { type TestNode, startTestNode } from '../testing/node.js';
import { startWebhookDelivery } from './delivery.js';
import { seedSignature, standardSignature } from './signing.js';
import { refusal } from './ssrf.js';

describe('signatures', () => {
  it('matches the Standard Webhooks test vector of the security checklist', () => {
    expect(
      standardSignature(
        'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
        'msg_p5jXN8AQM9LWM0D4loKWxJek',
        1614265330,
        '{"test": 2432232314}',
      ),
    ).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('the seed header is the hex HMAC-SHA256 of the body keyed with the client secret', () => {
    // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
    expect(seedSignature('what do ya want for nothing?', 'Jefe')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
    expect(seedSignature('{"a":1}', 'secret')).toMatch(/^[0-9a-f]{64}$/);
    expect(seedSignature('{"a":1}', 'secret')).not.toBe(seedSignature('{"a":2}', 'secret'));
  });
});

describe('SSRF address rules', () => {
  it.each([
    ['127.0.0.1', true],
    ['10.1.2.3', true],
    ['172.16.0.1', true],
    ['192.168.1.1', true],
    ['100.64.0.1', true],
    ['::1', true],
    ['fd00::1', true],
    ['::ffff:127.0.0.1', true],
    ['::ffff:7f00:1', true],
    ['169.254.169.254', false],
    ['fe80::1', false],
    ['0.0.0.0', false],
    ['fd00:ec2::254', true],
  ])('%s is refused by default (allowed with the dev setting: %s)', (address, allowedInDev) => {
    expect(refusal(address, false)).not.toBeNull();
    expect(refusal(address, true) === null).toBe(allowedInDev);
  });

  it('public addresses pass', () => {
    for (const a of ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946', '8.8.8.8']) {
      expect(refusal(a, false)).toBeNull();
    }
  });
});

describe.each(testStoreKinds)('webhook management and lifecycle ($name)', (kind) => {
  let node: TestNode;
  let queue: JobQueue;
  let stopDelivery: () => Promise<void>;
  let server: http.Server;
  const received: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];
  let url = '';

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    node = await startTestNode({ store: kind.name, env: { WEBHOOKS_ALLOW_PRIVATE_URLS: 'true' } });
    const log = pino({ level: 'silent' });
    queue = createJobQueue(node.services.store, { concurrency: 4, log, pollIntervalMs: 100 });
    stopDelivery = startWebhookDelivery(node.services, queue, log);
    await queue.start();
  }, 60_000);

  afterAll(async () => {
    await queue?.stop();
    await stopDelivery?.();
    await node?.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  async function until(check: () => boolean, ms = 10_000) {
    const end = Date.now() + ms;
    while (!check()) {
      if (Date.now() > end) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  const basic = (id: string, secret: string) => ({
    authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`,
  });

  it('test event, list, redeliver with the same webhook-id; secret rotation signs with both', async () => {
    const { client, secret, webhookSecret } = await createClient(node.services, {
      name: 'm',
      redirectUris: ['https://app.test/cb'],
      webhookUri: url,
    });
    const auth = basic(client.id, secret as string);
    const base = '/2023-03-01/management/x-webhooks';
    expect((await node.app.inject({ method: 'POST', url: `${base}/test` })).statusCode).toBe(401);

    const sent = await node.app.inject({ method: 'POST', url: `${base}/test`, headers: auth });
    expect(sent.statusCode).toBe(202);
    const id = sent.json<{ id: string }>().id;
    await until(() => received.some((r) => r.headers['webhook-id'] === id));

    let list = await node.app.inject({ method: 'GET', url: `${base}/deliveries`, headers: auth });
    for (let i = 0; i < 50 && list.json<Array<{ status: string }>>()[0]?.status !== 'succeeded'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      list = await node.app.inject({ method: 'GET', url: `${base}/deliveries`, headers: auth });
    }
    expect(list.statusCode).toBe(200);
    expect(list.json()).toMatchObject([{ id, type: 'webhook.test', status: 'succeeded', attempts: 1 }]);
    const bad = await node.app.inject({
      method: 'GET',
      url: `${base}/deliveries?status=nope`,
      headers: auth,
    });
    expect(bad.statusCode).toBe(400);

    const again = await node.app.inject({
      method: 'POST',
      url: `${base}/deliveries/${id}/redeliver`,
      headers: auth,
    });
    expect(again.statusCode).toBe(202);
    await until(() => received.filter((r) => r.headers['webhook-id'] === id).length === 2);
    const missing = await node.app.inject({
      method: 'POST',
      url: `${base}/deliveries/evt_nope/redeliver`,
      headers: auth,
    });
    expect(missing.statusCode).toBe(404);

    const rotated = await node.app.inject({ method: 'POST', url: `${base}/secret/rotate`, headers: auth });
    expect(rotated.statusCode).toBe(200);
    const newSecret = rotated.json<{ webhook_secret: string }>().webhook_secret;
    expect(newSecret).toMatch(/^whsec_/);
    const third = (await node.app.inject({ method: 'POST', url: `${base}/test`, headers: auth })).json<{
      id: string;
    }>().id;
    await until(() => received.some((r) => r.headers['webhook-id'] === third));
    const got = received.find((r) => r.headers['webhook-id'] === third)!;
    expect(String(got.headers['webhook-signature']).split(' ')).toHaveLength(2);
    for (const s of [webhookSecret, newSecret]) {
      expect(new Webhook(s).verify(got.body, got.headers as Record<string, string>)).toMatchObject({
        type: 'webhook.test',
      });
    }
  });

  it('connection.created and connection.disconnected reach the webhook', async () => {
    const { client } = await createClient(node.services, {
      name: 'l',
      redirectUris: ['https://app.test/cb'],
      webhookUri: url,
    });
    const { token, connectionId } = await createSandboxToken(node.services, {
      clientId: client.id,
      employees: 3,
    });
    const of = (type: string) =>
      received.find((r) => {
        const b = JSON.parse(r.body) as { type?: string; connection?: { id?: string } };
        return b.type === type && b.connection?.id === connectionId;
      });
    await until(() => of('connection.created') !== undefined);
    const res = await node.app.inject({
      method: 'POST',
      url: '/2023-03-01/management/disconnect',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.statusCode).toBe(200);
    await until(() => of('connection.disconnected') !== undefined);
    expect(JSON.parse(of('connection.disconnected')!.body)).toMatchObject({
      connection: { id: connectionId, provider: 'sandbox', mode: 'xhr' },
    });
    expect(of('connection.created')!.headers['x-affix-event-type']).toBe('connection.created');
  });

  it('a test event without a webhook_uri is a 400', async () => {
    const { client, secret } = await createClient(node.services, {
      name: 'n',
      redirectUris: ['https://app.test/cb'],
    });
    const res = await node.app.inject({
      method: 'POST',
      url: '/2023-03-01/management/x-webhooks/test',
      headers: basic(client.id, secret as string),
    });
    expect(res.statusCode).toBe(400);
  });
});
