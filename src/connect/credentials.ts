/**
 * The credentials step: the fields the provider declares for the mode, checked against that declaration, sealed
 * into a pending connection and verified by the adapter. Accepted goes to consent, or to the OTP step when the
 * provider asks for a code; refused shows the provider's reason and counts against the form's limits.
 *
 * Every attempt starts clean: the flow's row and pending connection are written just before the adapter is asked,
 * and a refusal (or going back to the picker) wipes both, so nothing of a sign-in that was not accepted is kept and
 * a later consent can only ever cover the provider whose sign-in was.
 */
import type { FastifyInstance } from 'fastify';
import { newId } from '../ids.js';
import type { Services } from '../services.js';
import { storeCredentials } from '../sync/connections.js';
import { PAGE_ROUTE, beginStep, fieldsOf } from './flow.js';
import { credentialsToKeep } from './keep-signed-in.js';
import { checkFormLimit } from './limits.js';
import { abandonSession, insertPendingConnection, saveStep, storeSession } from './session.js';
import { verify } from './verify.js';

export function registerCredentialsStep(scope: FastifyInstance, services: Services): void {
  scope.post('/connect/credentials', PAGE_ROUTE, async (req, reply) => {
    const ctx = await beginStep(services, req, reply);
    if (!ctx) return reply;
    const { fields, session, client, render, expired } = ctx;
    if (session.step !== 'credentials') return render();
    const provider = session.provider ? services.providers.find(session.provider) : undefined;
    if (!provider) return render();
    if (fields.action === 'back' && session.request.provider === null) {
      await abandonSession(services, session);
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
      if (!f.secret && v !== undefined) values[f.name] = v;
    }
    for (const f of declared) {
      const v = fields[f.name];
      const invalid = (error: string, errorCode: string) =>
        render({ status: 422, error, errorCode, invalidField: f.name, values });
      // A browser submits an optional field left blank as an empty string: that is "not given", not a value to
      // check against the field's pattern (the browser's own `pattern` check lets it through too).
      if (v === undefined || (v === '' && !f.required)) {
        if (f.required) return invalid(`${f.label} is required.`, 'field_required');
        continue;
      }
      if (v.length > 4096 || (f.pattern && !new RegExp(`^(?:${f.pattern})$`).test(v))) {
        return invalid(`${f.label} is not valid.`, 'field_invalid');
      }
      credentials[f.name] = v;
    }

    // Whatever an earlier attempt of this flow left (a row, a pending connection) is discarded first.
    await abandonSession(services, session);
    const connectionId = newId('connection');
    await saveStep(services, session, { connectionId });
    // The row first, naming the connection: a crash after this point leaves a flow the retention job cleans up.
    if (!(await storeSession(services, session))) return expired();
    await insertPendingConnection(services, {
      id: connectionId,
      clientId: client.id,
      provider: provider.id,
      mode: session.request.mode,
      tags: session.request.tags,
    });
    await storeCredentials(services, connectionId, credentials);
    const outcome = await verify(services, provider, connectionId, credentials);
    if (outcome === 'ok') {
      const kept = credentialsToKeep(declared, credentials);
      if (kept !== credentials) await storeCredentials(services, connectionId, kept);
      await saveStep(services, session, { step: 'consent' });
      return render();
    }
    if (outcome === 'mfa') {
      await saveStep(services, session, { step: 'otp' });
      return render();
    }
    await abandonSession(services, session);
    if (outcome.counts) limit.fail();
    // A wrong login or key: the secret is what the user types again (it is never sent back into the page).
    const secret = declared.find((f) => f.secret);
    return render({
      status: outcome.status,
      error: outcome.message,
      errorCode: outcome.code,
      ...(outcome.code === 'incorrect_username_or_password' && secret ? { invalidField: secret.name } : {}),
      values,
    });
  });
}
