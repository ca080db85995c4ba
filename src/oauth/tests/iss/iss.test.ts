/** RFC 9207: every authorization response, success or error, carries `iss` = the metadata issuer; state is exact. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestNode } from '../../../testing/node.js';
import { type TestClient, authorizeUrl, registerClient, runFlow, startNode } from '../support.js';

describe('iss and state in authorization responses', () => {
  let node: TestNode;
  let client: TestClient;
  let issuer: string;
  beforeAll(async () => {
    node = await startNode();
    client = await registerClient(node);
    issuer = (await node.app.inject({ url: '/.well-known/oauth-authorization-server' })).json().issuer;
  });
  afterAll(() => node.close());

  it('success: iss, both code names, the exact state', async () => {
    const state = 'a b+c/d=é&x';
    const res = await runFlow(node.app, { clientId: client.id, state });
    expect(res.statusCode).toBe(303);
    const q = new URL(res.headers.location as string).searchParams;
    expect(q.get('iss')).toBe(issuer);
    expect(q.get('state')).toBe(state);
    expect(q.get('code')).toBe(q.get('authorization_code'));
    expect(q.get('code')?.length).toBeGreaterThanOrEqual(43);
  });

  it('no state sent → no state in the response', async () => {
    const res = await runFlow(node.app, { clientId: client.id });
    const q = new URL(res.headers.location as string).searchParams;
    expect(q.has('state')).toBe(false);
    expect(q.get('iss')).toBe(issuer);
  });

  it('error (unsupported_response_type): iss and state present', async () => {
    const res = await node.app.inject({
      url: authorizeUrl({ clientId: client.id, state: 'st', extra: { response_type: 'token' } }),
    });
    expect(res.statusCode).toBe(303);
    const q = new URL(res.headers.location as string).searchParams;
    expect(q.get('error')).toBe('unsupported_response_type');
    expect(q.get('iss')).toBe(issuer);
    expect(q.get('state')).toBe('st');
  });

  it('user denies at consent → access_denied with iss', async () => {
    const res = await runFlow(node.app, { clientId: client.id, state: 'deny', decision: 'deny' });
    expect(res.statusCode).toBe(303);
    const q = new URL(res.headers.location as string).searchParams;
    expect(q.get('error')).toBe('access_denied');
    expect(q.get('iss')).toBe(issuer);
    expect(q.get('state')).toBe('deny');
    expect(q.has('code')).toBe(false);
  });
});
