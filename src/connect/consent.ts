/**
 * The consent step: on "allow" the pending connection becomes active and the flow ends at the client with an
 * authorization code. "Deny" never reaches here: the common start of every POST (`beginStep`) ends the flow.
 */
import type { FastifyInstance } from 'fastify';
import { issueAuthorizationCode } from '../oauth/codes.js';
import type { Services } from '../services.js';
import { inTransaction } from '../sync/transaction.js';
import { enqueueLifecycleEvent } from '../webhooks/outbox.js';
import { PAGE_ROUTE, beginStep, finish, sendError } from './flow.js';
import { abandonSession, endSession } from './session.js';

export function registerConsentStep(scope: FastifyInstance, services: Services): void {
  scope.post('/connect/consent', PAGE_ROUTE, async (req, reply) => {
    const ctx = await beginStep(services, req, reply);
    if (!ctx) return reply;
    const { fields, session, client, render } = ctx;
    if (
      session.step !== 'consent' ||
      !session.connectionId ||
      !session.provider ||
      fields.decision !== 'allow'
    ) {
      return render();
    }
    // What the user is allowing is the provider on this page: the connection must still be the pending one made
    // (and verified) for that provider and this client, or nothing is authorized.
    const connectionId = session.connectionId;
    const provider = session.provider;
    // Active and announced (`connection.created` webhook) in one transaction.
    const activated = await inTransaction(services, async (tx) => {
      const ok = await tx.store.connections.activate({ id: connectionId, clientId: client.id, provider });
      const connection = ok ? await tx.store.connections.find(connectionId) : undefined;
      if (connection) await enqueueLifecycleEvent(tx, 'connection.created', connection);
      return ok;
    });
    if (!activated) {
      await abandonSession(services, session);
      return sendError(reply, 410, client, {
        title: 'This connection attempt expired',
        message: `Go back to ${client.name} and start connecting again.`,
        code: 'connection_not_verified',
      });
    }
    const code = await issueAuthorizationCode(services, {
      clientId: client.id,
      connectionId: session.connectionId,
      redirectUri: session.request.redirectUri,
      redirectUriSent: session.request.redirectUriSent,
      codeChallenge: session.request.codeChallenge,
      scopes: session.request.scopes,
    });
    await endSession(services, session);
    return finish(services, reply, client, session.request, { code });
  });
}
