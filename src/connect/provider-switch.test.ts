/**
 * The provider the user consented to is the provider of the token: a sign-in abandoned by going back leaves no
 * connection behind, and consent authorizes only the connection verified for the provider now chosen.
 */
import { createHash, randomBytes } from 'node:crypto';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../providers/bamboohr/emulator/server.js';
import {
  REDIRECT,
  affixTokenRequest,
  codeFrom,
  hiddenFields,
  post,
  nodeWithClient,
  storeKinds,
} from '../oauth/tests/support.js';
import type { AuthorizeRequest } from './authorize-request.js';
import { SESSION_TTL_MS, insertPendingConnection } from './session.js';

const SCOPE = '/2023-03-01/official/employees';

describe.each(storeKinds)('provider switch in the connect flow (%s)', (kind) => {
  let bamboo: Emulator;
  beforeAll(async () => {
    bamboo = await startEmulator({ employees: 3, seed: 5 });
  });
  afterAll(() => bamboo?.close());
  const suite = nodeWithClient(kind, () => ({ PROVIDER_BAMBOOHR_BASE_URL: bamboo.baseUrl }));

  it('BambooHR refused, back, Sandbox allowed → the token is for a sandbox connection, and no other connection exists', async () => {
    const q = new URLSearchParams({
      client_id: suite.client.id,
      redirect_uri: REDIRECT,
      mode: 'official',
      scope: SCOPE,
    });
    const picker = await suite.node.app.inject({ url: `/connect?${q}` });
    expect(picker.body).toContain('value="bamboohr"');

    const bambooForm = await post(suite.node.app, '/connect/provider', {
      ...hiddenFields(picker.body),
      provider: 'bamboohr',
    });
    expect(bambooForm.body).toContain('BambooHR');
    const refused = await post(suite.node.app, '/connect/credentials', {
      ...hiddenFields(bambooForm.body),
      action: 'submit',
      company_domain: bamboo.credentials.company_domain,
      api_key: 'not-the-api-key',
    });
    expect(refused.statusCode).toBe(401);

    const back = await post(suite.node.app, '/connect/credentials', {
      ...hiddenFields(refused.body),
      action: 'back',
    });
    expect(back.body).toContain('value="sandbox"');
    expect(await suite.node.services.store.connections.ofClient(suite.client.id)).toEqual([]);

    const sandboxForm = await post(suite.node.app, '/connect/provider', {
      ...hiddenFields(back.body),
      provider: 'sandbox',
    });
    const consent = await post(suite.node.app, '/connect/credentials', {
      ...hiddenFields(sandboxForm.body),
      action: 'submit',
      api_key: 'sandbox-key',
    });
    expect(consent.body).toContain('name="decision"');
    expect(consent.body).toContain('Sandbox');
    const done = await post(suite.node.app, '/connect/consent', {
      ...hiddenFields(consent.body),
      decision: 'allow',
    });
    expect(done.statusCode).toBe(303);

    const res = await affixTokenRequest(
      suite.node.app,
      suite.client,
      codeFrom(done.headers.location as string),
    );
    expect(res.statusCode).toBe(201);
    const claims = decodeJwt(res.json().access_token as string);
    expect(claims.provider).toBe('sandbox');
    const connections = await suite.node.services.store.connections.ofClient(suite.client.id);
    expect(connections).toEqual([{ id: claims.sub, provider: 'sandbox', status: 'active' }]);
  });

  it('consent refuses a connection made for another provider than the one chosen, and issues no code', async () => {
    const sessionId = randomBytes(32).toString('base64url');
    const csrf = randomBytes(32).toString('base64url');
    const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('base64url');
    const request: AuthorizeRequest = {
      clientId: suite.client.id,
      redirectUri: REDIRECT,
      redirectUriSent: true,
      mode: 'official',
      scopes: [SCOPE],
      provider: null,
      sandbox: false,
      state: null,
      tags: [],
      codeChallenge: null,
      responseMode: 'query',
      display: 'page',
    };
    // A session that says "sandbox, verified" while holding a pending BambooHR connection nobody verified.
    const connectionId = await insertPendingConnection(suite.node.services, {
      clientId: suite.client.id,
      provider: 'bamboohr',
      mode: 'official',
      tags: [],
    });
    await suite.node.services.store.connectSessions.insert({
      idHash: sha(sessionId),
      clientId: suite.client.id,
      request: JSON.stringify(request),
      step: 'consent',
      provider: 'sandbox',
      connectionId,
      csrfHash: sha(csrf),
      createdAt: Date.now(),
      expiresAt: Date.now() + SESSION_TTL_MS,
    });
    const res = await post(suite.node.app, '/connect/consent', {
      session: sessionId,
      csrf,
      decision: 'allow',
    });
    expect(res.statusCode).toBe(410);
    expect(res.headers.location).toBeUndefined();
    expect(
      (await suite.node.services.store.connections.ofClient(suite.client.id)).filter(
        (c) => c.id === connectionId,
      ),
    ).toEqual([]);
  });
});
