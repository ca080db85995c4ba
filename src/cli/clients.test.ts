/**
 * `affix client create|list|rotate-secret` and `affix keys rotate|list` as an operator runs them: secrets printed
 * once and working at the management API (Basic), several secrets valid at once, bad redirect URIs refused with
 * exit code 2, and a rotated signing key published in the JWKS before it signs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testStoreKinds } from '../store/testing.js';
import { type TestNode, startTestNode } from '../testing/node.js';
import { clientCommand, signingKeysCommand } from './clients.js';

const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

describe.each(testStoreKinds)('client and keys commands on $name', (kind) => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startTestNode({ store: kind.name });
  });
  afterAll(() => node.close());

  async function run(cmd: typeof clientCommand, args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await cmd(
      node.services,
      args,
      (l) => out.push(l),
      (l) => err.push(l),
    );
    return { code, out, err };
  }

  const managementClient = (id: string, secret: string) =>
    node.app.inject({
      method: 'GET',
      url: '/2023-03-01/management/client',
      headers: { authorization: basic(id, secret) },
    });

  it('create --json prints a ≥128-bit secret once; it authenticates at the management API', async () => {
    const r = await run(clientCommand, [
      'create',
      '--name',
      'Acme',
      '--redirect-uri',
      'https://app.example/cb',
      '--redirect-uri',
      'http://127.0.0.1:3000/cb',
      '--webhook-uri',
      'https://app.example/hooks',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const created = JSON.parse(r.out[0] as string) as { client_id: string; client_secret: string };
    expect(Buffer.from(created.client_secret, 'base64url').length).toBeGreaterThanOrEqual(16);
    const res = await managementClient(created.client_id, created.client_secret);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      name: 'Acme',
      redirect_uris: ['https://app.example/cb', 'http://127.0.0.1:3000/cb'],
      webhook_uri: 'https://app.example/hooks',
    });
    // The contract returns the client's current secrets (an array, for rotation) to the client itself.
    expect((res.json() as { client_secret: string[] }).client_secret).toEqual([created.client_secret]);
    expect((await managementClient(created.client_id, 'wrong')).statusCode).toBe(401);

    const listed = await run(clientCommand, ['list', '--json']);
    const row = (JSON.parse(listed.out[0] as string) as Array<{ client_id: string; secrets: number }>).find(
      (c) => c.client_id === created.client_id,
    );
    expect(row?.secrets).toBe(1);
    expect(listed.out.join('\n')).not.toContain(created.client_secret);
  });

  it('rotate-secret keeps the old secret valid until --revoke-others', async () => {
    const created = JSON.parse(
      (
        await run(clientCommand, [
          'create',
          '--name',
          'B',
          '--redirect-uri',
          'https://b.example/cb',
          '--json',
        ])
      ).out[0] as string,
    ) as { client_id: string; client_secret: string };
    const second = JSON.parse(
      (await run(clientCommand, ['rotate-secret', created.client_id, '--json'])).out[0] as string,
    ) as { client_secret: string };
    expect(second.client_secret).not.toBe(created.client_secret);
    expect((await managementClient(created.client_id, created.client_secret)).statusCode).toBe(200);
    expect((await managementClient(created.client_id, second.client_secret)).statusCode).toBe(200);
    const third = JSON.parse(
      (await run(clientCommand, ['rotate-secret', created.client_id, '--revoke-others', '--json']))
        .out[0] as string,
    ) as { client_secret: string };
    expect((await managementClient(created.client_id, created.client_secret)).statusCode).toBe(401);
    expect((await managementClient(created.client_id, second.client_secret)).statusCode).toBe(401);
    expect((await managementClient(created.client_id, third.client_secret)).statusCode).toBe(200);
  });

  it.each([
    ['a fragment', 'https://app.example/cb#x'],
    ['plain http off loopback', 'http://app.example/cb'],
    ['not a URL', 'not a url'],
  ])('refuses a redirect URI with %s (exit 2, nothing stored)', async (_what, uri) => {
    const before = (await run(clientCommand, ['list', '--json'])).out[0] as string;
    const r = await run(clientCommand, ['create', '--name', 'Bad', '--redirect-uri', uri]);
    expect(r.code).toBe(2);
    expect(r.err.join(' ')).toMatch(/redirect/i);
    expect((await run(clientCommand, ['list', '--json'])).out[0]).toBe(before);
  });

  it('create without --name or --redirect-uri, and unknown commands, exit 2', async () => {
    expect((await run(clientCommand, ['create', '--redirect-uri', 'https://a.example/cb'])).code).toBe(2);
    expect((await run(clientCommand, ['create', '--name', 'X'])).code).toBe(2);
    expect((await run(clientCommand, ['rotate-secret'])).code).toBe(2);
    expect((await run(clientCommand, ['frobnicate'])).code).toBe(2);
    expect((await run(signingKeysCommand, ['frobnicate'])).code).toBe(2);
    expect((await run(signingKeysCommand, ['rotate', '--delay', 'soon'])).code).toBe(2);
  });

  it('keys rotate publishes the new key in the JWKS before it signs; keys list shows it', async () => {
    const jwks = async () =>
      (
        (await node.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json() as {
          keys: Array<{ kid: string; d?: string }>;
        }
      ).keys;
    const before = await jwks();
    const r = await run(signingKeysCommand, ['rotate', '--delay', '1h']);
    expect(r.code).toBe(0);
    const kid = /published (\S+);/.exec(r.out[0] as string)?.[1] as string;
    const after = await jwks();
    expect(after.map((k) => k.kid)).toEqual(expect.arrayContaining([...before.map((k) => k.kid), kid]));
    expect(after.every((k) => k.d === undefined)).toBe(true);
    const listed = await run(signingKeysCommand, ['list']);
    expect(listed.out.find((l) => l.startsWith(kid))).toContain('not signing yet');
  });
});
