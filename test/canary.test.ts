/**
 * The canary test, end to end through the real app: a client registered as `affix client create` does
 * (its CSPRNG secret is a canary); the end user connects on the hosted connect page with a unique username and
 * password, and the web provider's login leaves a unique session cookie in the adapter state; the code is swapped
 * at `/management/token` with the client secret; data is fetched and cached; a provider failure that echoes the
 * secrets becomes a 500, a log line and a Sentry report (loopback receiver); the request log is read with Basic
 * auth. Then every byte of the database (SQLite main file, -wal, -journal, -shm; PostgreSQL through `pg_dump` of the
 * test schema), the captured log output and the captured error events are searched: zero occurrences of any canary
 * in plain, base64 (standard and url-safe, every alignment) or hex form. After `POST /management/disconnect` the
 * connection's secret, state and cache rows and its data key are gone, and none of its ciphertext bytes remain in
 * the database files or dump either.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { buildApp } from '../src/http/app.js';
import { createClient } from '../src/oauth/clients.js';
import { codeFrom, exchangeAtManagement, runFlow } from '../src/oauth/tests/support.js';
import { flushErrorReports } from '../src/logging/error-reports.js';
import { createLogger } from '../src/logging/logger.js';
import { startSentryReceiver } from '../src/logging/sentry-receiver.js';
import { ProviderRegistry } from '../src/providers/registry.js';
import type { Provider } from '../src/providers/types.js';
import { createServices } from '../src/services.js';
import { dumpPostgres, openTestStore, postgresUrl, rowsIn } from '../src/store/testing.js';
import { blankEmployee } from '../src/testing/fixtures.js';
import { wipeConnection } from '../src/sync/wipe-connection.js';

const tag = () => randomBytes(9).toString('hex');

/** Every way a canary could sit in bytes: plain, hex (both cases), base64/base64url at each 3-byte alignment. */
function canaryForms(canary: string): string[] {
  const bytes = Buffer.from(canary, 'utf8');
  const forms = new Set([canary, bytes.toString('hex'), bytes.toString('hex').toUpperCase()]);
  for (let shift = 0; shift < 3; shift++) {
    const padded = Buffer.concat([Buffer.alloc(shift), bytes]);
    const from = Math.ceil(shift / 3) * 4;
    const to = Math.floor((shift + bytes.length) / 3) * 4;
    for (const enc of ['base64', 'base64url'] as const) forms.add(padded.toString(enc).slice(from, to));
  }
  return [...forms].filter((f) => f.length >= 12);
}

function occurrences(haystack: Buffer, canaries: Record<string, string>): string[] {
  const found: string[] = [];
  for (const [name, canary] of Object.entries(canaries)) {
    for (const form of canaryForms(canary))
      if (haystack.includes(Buffer.from(form))) found.push(`${name} as ${form}`);
  }
  return found;
}

/**
 * A web-login provider: its login checks the credentials and keeps the session cookie it got in the adapter state;
 * employees need that session; /company fails echoing its request.
 */
function canaryProvider(c: {
  username: string;
  password: string;
  cookie: string;
  dataName: string;
}): Provider {
  return {
    id: 'humaans',
    limits: 'none (test provider)',
    displayName: 'Canary web provider',
    tags: [],
    modes: ['xhr'],
    auth: { xhr: 'password' },
    fields: {
      xhr: [
        { name: 'username', label: 'Email', secret: false, required: true },
        { name: 'password', label: 'Password', secret: true, required: true },
      ],
    },
    resources: { xhr: ['employees', 'company'] },
    connect: (ctx) => ({
      verify: async () => {
        if (ctx.credentials.username !== c.username || ctx.credentials.password !== c.password)
          throw new Error('credentials did not reach the login');
        await ctx.state.set('session', { cookies: [{ name: 'sid', value: c.cookie }] });
      },
      employees: async () => {
        if (ctx.credentials.password !== c.password) throw new Error('credentials did not round-trip');
        const session = await ctx.state.get<{ cookies: Array<{ value: string }> }>('session');
        if (session?.cookies[0]?.value !== c.cookie) throw new Error('session cookie did not round-trip');
        return [blankEmployee({ id: 'emp_1', remote_id: '1', first_name: c.dataName, last_name: 'Canary' })];
      },
      company: async () => {
        // What a careless HTTP client error looks like: the request it made, secrets included.
        throw new Error(
          `POST https://web.provider.example/login?password=${c.password} failed: ` +
            `Cookie: sid=${c.cookie}; Authorization: Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`,
        );
      },
    }),
  };
}

function sqliteFiles(file: string): Buffer {
  const parts = ['', '-wal', '-journal', '-shm'].map((s) => `${file}${s}`).filter((f) => fs.existsSync(f));
  expect(parts.length).toBeGreaterThan(0);
  return Buffer.concat(parts.map((f) => fs.readFileSync(f)));
}

const kinds = ['sqlite', ...(postgresUrl ? ['postgres' as const] : [])] as const;
if (!postgresUrl)
  console.warn('[canary] DATABASE_URL is not postgres://: the PostgreSQL canary run is SKIPPED');

// One receiver for the whole file: Sentry is initialised once per process, with the first DSN it is given.
let receiver: Awaited<ReturnType<typeof startSentryReceiver>>;
beforeAll(async () => {
  receiver = await startSentryReceiver();
});
afterAll(async () => {
  await receiver.close();
});

describe.each(kinds)('canary on %s', (kind) => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('no canary in the database, logs or error reports; nothing of the connection after disconnect', async () => {
    const canaries = {
      password: `pw-${tag()}`,
      cookie: `ck-${tag()}`,
      clientSecret: '', // the registered client's generated secret, set in step 1
      username: `user-${tag()}@example.com`,
      cachedData: `Name${tag()}`,
    };
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'affix-canary-'));
    dirs.push(dataDir);
    receiver.envelopes.length = 0;
    let logText = '';
    const logStream = new Writable({
      write(chunk, _e, cb) {
        logText += chunk;
        cb();
      },
    });
    const config = loadConfig({
      DATA_DIR: dataDir,
      PUBLIC_URL: 'http://affix.test',
      LOG_LEVEL: 'debug',
      SENTRY_DSN: receiver.dsn,
      ...(kind === 'sqlite' ? { DATABASE_URL: `sqlite:${path.join(dataDir, 'affix.db')}` } : {}),
    });
    const store = kind === 'postgres' ? await openTestStore('postgres') : undefined;
    const providers = new ProviderRegistry([
      canaryProvider({
        username: canaries.username,
        password: canaries.password,
        cookie: canaries.cookie,
        dataName: canaries.cachedData,
      }),
    ]);
    const services = await createServices(config, { providers, ...(store ? { store } : {}) });
    const app = await buildApp(services, { loggerInstance: createLogger(config, logStream) });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

    try {
      // 1. A client, as `affix client create` makes it: the secret (a canary) is sealed, owner = client id.
      const created = await createClient(services, {
        name: 'Canary Co',
        redirectUris: ['https://app.example/cb'],
        isPublic: false,
      });
      const clientId = created.client.id;
      canaries.clientSecret = created.secret as string;
      expect(canaries.clientSecret.length).toBeGreaterThanOrEqual(22);
      // 2. The end user connects on the hosted page; the provider's login leaves a session cookie.
      const flow = await runFlow(app, {
        clientId,
        redirectUri: 'https://app.example/cb',
        provider: 'humaans',
        scope: '/2023-03-01/xhr/employees /2023-03-01/xhr/company',
        state: 'canary',
        username: canaries.username,
        password: canaries.password,
      });
      expect(flow.statusCode, flow.body.slice(0, 300)).toBe(303);
      const exchanged = await exchangeAtManagement(
        base,
        { id: clientId, secret: canaries.clientSecret },
        codeFrom(flow.headers.location as string),
        'https://app.example/cb',
      );
      expect(exchanged.status).toBe(201);
      const { access_token: token } = (await exchanged.json()) as { access_token: string };
      const connectionId = (
        JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()) as {
          sub: string;
        }
      ).sub;

      // 3. Use the API over real HTTP: data (cached, sealed at rest), a failure (500 → log + report), the logs.
      const auth = { authorization: `Bearer ${token}`, cookie: `sid=${canaries.cookie}` };
      const employees = await fetch(`${base}/2023-03-01/xhr/employees`, { headers: auth });
      expect(employees.status).toBe(200);
      expect(await employees.text()).toContain(canaries.cachedData);
      const failed = await fetch(`${base}/2023-03-01/xhr/company?password=${canaries.password}`, {
        headers: auth,
      });
      expect(failed.status).toBe(500);
      expect(await failed.text()).not.toContain(canaries.password);
      await app.requestLog.flush();
      const basic = `Basic ${Buffer.from(`${clientId}:${canaries.clientSecret}`).toString('base64')}`;
      const logs = await fetch(`${base}/2023-03-01/management/logs`, { headers: { authorization: basic } });
      expect(logs.status).toBe(200);
      expect(((await logs.json()) as unknown[]).length).toBeGreaterThanOrEqual(2);
      await app.requestLog.flush();
      expect(await flushErrorReports(5000)).toBe(true);

      // Sanity: the places searched really hold this flow's traces (so the test can fail).
      expect(logText).toContain('request failed');
      expect(logText).toContain(connectionId);
      const events = receiver.envelopes.join('\n');
      expect(events).toContain('web.provider.example/login');
      const ofConnection = { connection_id: connectionId };
      const sealedRows = [
        ...(await rowsIn(services.store, 'connection_secrets', ofConnection)),
        ...(await rowsIn(services.store, 'connection_state', ofConnection)),
      ];
      const cacheRows = await rowsIn(services.store, 'cache_entries', ofConnection);
      expect(sealedRows).toHaveLength(2);
      expect(cacheRows).toHaveLength(1);
      const ciphertexts = [
        ...sealedRows.map((r) => Buffer.from(r.sealed)),
        ...cacheRows.map((r) => Buffer.from(r.body)),
      ];

      // 4. The search: database bytes, log output, error events.
      const dbBytes =
        kind === 'sqlite' ? sqliteFiles(services.store.file as string) : await dumpPostgres(services.store);
      for (const c of ciphertexts.slice(0, 1)) {
        // the dump/file does hold the ciphertext (hex in pg_dump's COPY of bytea), so its absence later means something
        expect(dbBytes.includes(c) || dbBytes.includes(Buffer.from(c.toString('hex')))).toBe(true);
      }
      expect(occurrences(dbBytes, canaries), 'database').toEqual([]);
      expect(occurrences(Buffer.from(logText), canaries), 'logs').toEqual([]);
      expect(occurrences(Buffer.from(events), canaries), 'error reports').toEqual([]);

      // 5. Disconnect over HTTP: rows and data key gone, no ciphertext of the connection left in the files.
      const disconnected = await fetch(`${base}/2023-03-01/management/disconnect`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(disconnected.status).toBe(200);
      expect(await disconnected.json()).toEqual({ disconnected: true });
      expect(await wipeConnection(services, connectionId)).toEqual({
        secrets: 0,
        state: 0,
        cache: 0,
        dataKeyShredded: false,
      });
      for (const table of ['connection_secrets', 'cache_entries', 'connection_state'] as const) {
        const left = await rowsIn(services.store, table, { connection_id: connectionId });
        expect(left, table).toEqual([]);
      }
      expect(await rowsIn(services.store, 'vault_data_keys', { owner_id: connectionId })).toEqual([]);
      const after = await fetch(`${base}/2023-03-01/xhr/employees`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(after.status).toBe(403);
      const afterBytes =
        kind === 'sqlite' ? sqliteFiles(services.store.file as string) : await dumpPostgres(services.store);
      for (const c of ciphertexts) {
        expect(afterBytes.includes(c)).toBe(false);
        expect(afterBytes.includes(Buffer.from(c.toString('hex')))).toBe(false);
        // Any 24-byte window of the GCM body would do; check the tail (tag) too.
        expect(afterBytes.includes(c.subarray(c.length - 24))).toBe(false);
      }
      expect(occurrences(afterBytes, canaries), 'database after disconnect').toEqual([]);
    } finally {
      await app.close();
      await services.close();
    }
  }, 30_000);
});
