/**
 * `GET /2023-03-01/management/logs` over real HTTP-shaped requests (app.inject): Basic client authentication
 * against sealed client secrets, newest first, filters, cursor paging, per-client isolation, and what a row holds
 * (no query secrets, no headers, no bodies).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { toApiError } from '../../../http/app.js';
import { newId, newSecret } from '../../../ids.js';
import { type RequestLogMode, registerRequestLog, setLogContext } from '../../../logging/request-log-hook.js';
import { BadRequestSchema, MessageSchema } from '../../../model/index.js';
import { createAbuseLimiters } from '../../../oauth/abuse-limiter.js';
import type { Store } from '../../../store/db.js';
import { testStoreKinds } from '../../../store/testing.js';
import { LocalKeyring, Vault } from '../../../vault/index.js';
import { LOGS_PATH, registerLogsRoute } from './logs.js';

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

describe.each(testStoreKinds)('management logs on $name', (kind) => {
  let store: Store;
  let app: FastifyInstance;
  let dir: string;
  afterEach(async () => {
    await app?.close();
    await store?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function setup(mode: RequestLogMode = 'db', lines: string[] = []) {
    store = await kind.open();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'affix-logs-'));
    const vault = new Vault(await LocalKeyring.open({ dataDir: dir }), store.dataKeys);
    const clients: Array<{ id: string; secret: string }> = [];
    for (const name of ['A', 'B']) {
      const id = newId('client');
      const secret = newSecret();
      await store.clients.insert({
        id,
        name,
        redirectUris: [],
        webhookUri: null,
        logoUrl: null,
        accentColor: null,
        isPublic: false,
        createdAt: Date.now(),
      });
      await store.clientSecrets.add(id, await vault.seal(id, 'client_secret', secret));
      clients.push({ id, secret });
    }
    app = Fastify({
      genReqId: () => newId('request'),
      logger: { level: 'info', stream: { write: (line: string) => lines.push(line) } },
    });
    for (const schema of [MessageSchema, BadRequestSchema]) app.addSchema(schema);
    // The app's own error mapping (ApiError → status, headers, contract body).
    app.setErrorHandler((err, _req, reply) => {
      const mapped = toApiError(err);
      for (const [k, v] of Object.entries(mapped.headers)) reply.header(k, v);
      return reply.code(mapped.status).send(mapped.body);
    });
    const writer = registerRequestLog(app, { store }, { mode });
    registerLogsRoute(app, { store, vault, limiters: createAbuseLimiters() });
    // Stand-in data route: the client and connection come from the request, as a bearer token would give them.
    app.get('/2023-03-01/:mode/employees', async (req, reply) => {
      const h = req.headers;
      setLogContext(req, {
        clientId: String(h['x-client']),
        connectionId: String(h['x-connection']),
        provider: 'sandbox',
      });
      const status = Number(h['x-status'] ?? 200);
      return reply.code(status).send({ ok: status < 400 });
    });
    await app.ready();
    return { clients: clients as [(typeof clients)[0], (typeof clients)[0]], writer };
  }

  it('authenticates with Basic, lists newest first, filters, pages, and hides other clients', async () => {
    const { clients, writer } = await setup();
    const [a, b] = clients;
    const call = (client: string, connection: string, status: number, query = '') =>
      app.inject({
        url: `/2023-03-01/xhr/employees${query}`,
        headers: {
          'x-client': client,
          'x-connection': connection,
          'x-status': String(status),
          cookie: 'sid=zzz',
        },
      });
    await call(a.id, 'con_1', 200, '?code=authcode-canary&modified_after=2024-01-01');
    await call(a.id, 'con_2', 500);
    await call(a.id, 'con_1', 404);
    await call(b.id, 'con_9', 200);
    await writer.flush();

    const res = await app.inject({ url: LOGS_PATH, headers: { authorization: basic(a.id, a.secret) } });
    expect(res.statusCode).toBe(200);
    const rows = res.json() as Array<Record<string, unknown>>;
    expect(rows.map((r) => r.status)).toEqual([404, 500, 200]);
    expect(rows[2]).toMatchObject({
      method: 'GET',
      path: '/2023-03-01/xhr/employees?code=[redacted]&modified_after=2024-01-01',
      client_id: a.id,
      connection_id: 'con_1',
      provider: 'sandbox',
    });
    expect(rows[2]?.id).toMatch(/^req_/);
    expect(Date.parse(String(rows[0]?.time))).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toContain('authcode-canary');
    expect(JSON.stringify(rows)).not.toContain('sid=zzz');

    const get = async (q: string) =>
      (
        await app.inject({ url: `${LOGS_PATH}?${q}`, headers: { authorization: basic(a.id, a.secret) } })
      ).json() as Array<{
        status: number;
        connection_id: string;
      }>;
    expect((await get('status=500')).map((r) => r.status)).toEqual([500]);
    expect((await get('status=4xx')).map((r) => r.status)).toEqual([404]);
    expect((await get('connection=con_1')).map((r) => r.status)).toEqual([404, 200]);
    expect(await get('path=/2023-03-01/official')).toEqual([]);
    expect(await get(`since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).toEqual([]);
    expect(
      (await get(`until=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).length,
    ).toBeGreaterThanOrEqual(3);

    // Cursor paging: 2 + the rest (restricted to the data path: the /logs calls above are logged too).
    const first = await app.inject({
      url: `${LOGS_PATH}?limit=2&path=/2023-03-01/xhr/`,
      headers: { authorization: basic(a.id, a.secret) },
    });
    const cursor = first.headers['x-next-cursor'];
    expect(cursor).toBeTruthy();
    const second = (await get(`limit=2&path=/2023-03-01/xhr/&cursor=${cursor}`)) as Array<{ status: number }>;
    expect([...(first.json() as Array<{ status: number }>), ...second].map((r) => r.status)).toEqual([
      404, 500, 200,
    ]);

    // Client B sees only its own row.
    const rowsB = (
      await app.inject({
        url: `${LOGS_PATH}?path=/2023-03-01/xhr/`,
        headers: { authorization: basic(b.id, b.secret) },
      })
    ).json() as Array<{
      connection_id: string;
    }>;
    expect(rowsB.map((r) => r.connection_id)).toEqual(['con_9']);
  });

  it('refuses missing, wrong, other-client and revoked credentials with 401 + WWW-Authenticate: Basic', async () => {
    const { clients } = await setup();
    const [a, b] = clients;
    const attempts = [
      undefined,
      basic(a.id, 'wrong'),
      basic(a.id, b.secret),
      basic('cli_unknown', a.secret),
      `Bearer ${a.secret}`,
    ];
    for (const authorization of attempts) {
      const res = await app.inject({ url: LOGS_PATH, headers: authorization ? { authorization } : {} });
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Basic /);
    }
    await store.clientSecrets.revoke(
      a.id,
      (await store.clientSecrets.current(a.id)).map((s) => s.id),
    );
    expect(
      (await app.inject({ url: LOGS_PATH, headers: { authorization: basic(a.id, a.secret) } })).statusCode,
    ).toBe(401);
  });

  it('rejects a bad cursor and bad filters with 400', async () => {
    const { clients } = await setup();
    const [a] = clients;
    for (const q of ['cursor=garbage', 'status=abc', 'limit=0', 'since=yesterday']) {
      const res = await app.inject({
        url: `${LOGS_PATH}?${q}`,
        headers: { authorization: basic(a.id, a.secret) },
      });
      expect(res.statusCode, q).toBe(400);
    }
  });

  it.each(['stdout', 'off'] as const)(
    'REQUEST_LOG=%s writes no rows and lists none; stdout still writes the log line',
    async (mode) => {
      const lines: string[] = [];
      const { clients, writer } = await setup(mode, lines);
      const [a] = clients;
      const res = await app.inject({
        url: '/2023-03-01/xhr/employees',
        headers: { 'x-client': a.id, 'x-connection': 'con_1' },
      });
      expect(res.statusCode).toBe(200);
      await writer.flush();
      expect(writer.written + writer.pending).toBe(0);
      expect(await store.requestLogs.query({ clientId: a.id, limit: 10 })).toEqual([]);
      const list = await app.inject({ url: LOGS_PATH, headers: { authorization: basic(a.id, a.secret) } });
      expect(list.statusCode).toBe(200);
      expect(list.json()).toEqual([]);
      const requestLines = lines
        .map((l) => JSON.parse(l) as { msg?: string; path?: string; clientId?: string })
        .filter((l) => l.msg === 'request');
      const employees = requestLines.filter((l) => l.path === '/2023-03-01/xhr/employees');
      expect(employees).toHaveLength(mode === 'stdout' ? 1 : 0);
      if (mode === 'stdout') expect(employees[0]?.clientId).toBe(a.id);
    },
  );

  it('REQUEST_LOG=db writes the row and the log line', async () => {
    const lines: string[] = [];
    const { clients, writer } = await setup('db', lines);
    const [a] = clients;
    const res = await app.inject({
      url: '/2023-03-01/xhr/employees',
      headers: { 'x-client': a.id, 'x-connection': 'con_1' },
    });
    await writer.flush();
    const list = await app.inject({ url: LOGS_PATH, headers: { authorization: basic(a.id, a.secret) } });
    expect(res.statusCode).toBe(200);
    expect(list.json()).toEqual([
      expect.objectContaining({ path: '/2023-03-01/xhr/employees', status: 200 }),
    ]);
    expect(lines.some((l) => l.includes('"msg":"request"') && l.includes('/2023-03-01/xhr/employees'))).toBe(
      true,
    );
  });
});
