/**
 * The credentials step: the fields the provider declares for the mode, checked against that declaration, sealed
 * into a pending connection and verified by the adapter. Accepted goes to consent, or to the OTP step when the
 * provider asks for a code; refused shows the provider's reason and counts against the form's limits.
 */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../services.js';
import { storeCredentials } from '../sync/connections.js';
import { PAGE_ROUTE, beginStep, fieldsOf } from './flow.js';
import { checkFormLimit } from './limits.js';
import { insertPendingConnection, saveStep } from './session.js';
import { verify } from './verify.js';

export function registerCredentialsStep(scope: FastifyInstance, services: Services): void {
  scope.post('/connect/credentials', PAGE_ROUTE, async (req, reply) => {
    const ctx = await beginStep(services, req, reply);
    if (!ctx) return reply;
    const { fields, session, client, render } = ctx;
    if (session.step !== 'credentials') return render();
    const provider = session.provider ? services.providers.find(session.provider) : undefined;
    if (!provider) return render();
    if (fields.action === 'back' && session.request.provider === null) {
      await saveStep(services, session, { step: 'pick', provider: null });
      return render();
    }

    // Who is signing in: the values of the fields that are not secret (a username, a client id), never a password.
    const account = fieldsOf(provider, session.request)
      .filter((f) => !f.secret)
      .map((f) => fields[f.name] ?? '')
      .join('|')
      .toLowerCase();
    const limit = await checkFormLimit(
      services,
      req,
      reply,
      client,
      `${provider.id}|${account || session.idHash}`,
      (wait) => `Too many sign-in attempts. Wait ${Math.ceil(wait / 60)} minute(s) and try again.`,
    );
    if (!limit) return reply;

    const declared = fieldsOf(provider, session.request);
    const credentials: Record<string, string> = {};
    const values: Record<string, string> = {};
    for (const f of declared) {
      const v = fields[f.name];
      // A browser submits an optional field left blank as an empty string: that is "not given", not a value to
      // check against the field's pattern (the browser's own `pattern` check lets it through too).
      if (v === undefined || (v === '' && !f.required)) {
        if (f.required) {
          return render({ status: 422, error: `${f.label} is required.`, values });
        }
        continue;
      }
      if (v.length > 4096 || (f.pattern && !new RegExp(`^(?:${f.pattern})$`).test(v))) {
        return render({ status: 422, error: `${f.label} is not valid.`, values });
      }
      credentials[f.name] = v;
      if (!f.secret) values[f.name] = v;
    }

    let connectionId = session.connectionId;
    if (!connectionId) {
      connectionId = await insertPendingConnection(services, {
        clientId: client.id,
        provider: provider.id,
        mode: session.request.mode,
        tags: session.request.tags,
      });
      await saveStep(services, session, { connectionId });
    }
    await storeCredentials(services, connectionId, credentials);
    const outcome = await verify(services, provider, connectionId, credentials);
    if (outcome === 'ok') {
      await saveStep(services, session, { step: 'consent' });
      return render();
    }
    if (outcome === 'mfa') {
      await saveStep(services, session, { step: 'otp' });
      return render();
    }
    if (outcome.counts) limit.fail();
    return render({ status: outcome.status, error: outcome.message, values });
  });
}
