/**
 * The OTP (MFA) step, reached when the provider asked for a one-time code: the code joins the stored credentials
 * for one verification. A wrong code counts against the same limits as a wrong password.
 */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../services.js';
import { loadCredentials, storeCredentials } from '../sync/connections.js';
import { PAGE_ROUTE, beginStep, fieldsOf } from './flow.js';
import { credentialsToKeep } from './keep-signed-in.js';
import { checkFormLimit } from './limits.js';
import { saveStep } from './session.js';
import { authMessage, verify } from './verify.js';

export function registerOtpStep(scope: FastifyInstance, services: Services): void {
  scope.post('/connect/otp', PAGE_ROUTE, async (req, reply) => {
    const ctx = await beginStep(services, req, reply);
    if (!ctx) return reply;
    const { fields, session, client, render } = ctx;
    if (session.step !== 'otp' || !session.connectionId) return render();
    const provider = session.provider ? services.providers.find(session.provider) : undefined;
    if (!provider) return render();
    const limit = await checkFormLimit(
      services,
      req,
      reply,
      client,
      `otp|${session.connectionId}`,
      () => 'Too many attempts. Wait a few minutes and try again.',
    );
    if (!limit) return reply;
    const otp = fields.otp?.trim();
    if (!otp || otp.length > 12) {
      return render({
        status: 422,
        error: 'Enter the verification code.',
        errorCode: 'field_required',
        invalidField: 'otp',
      });
    }
    const connection = await services.store.connections.find(session.connectionId);
    if (!connection) return render();
    const stored = await loadCredentials(services, connection);
    // The one-time code is used for this check only and never stored.
    const outcome = await verify(services, provider, session.connectionId, { ...stored, otp });
    if (outcome === 'ok') {
      const kept = credentialsToKeep(fieldsOf(provider, session.request), stored);
      if (kept !== stored) await storeCredentials(services, connection.id, kept);
      await saveStep(services, session, { step: 'consent' });
      return render();
    }
    if (outcome === 'mfa' || outcome.code === 'incorrect_mfa_or_otp') {
      limit.fail();
      return render({
        status: 401,
        error: authMessage('incorrect_mfa_or_otp', provider),
        errorCode: 'incorrect_mfa_or_otp',
        invalidField: 'otp',
      });
    }
    if (outcome.counts) limit.fail();
    return render({ status: outcome.status, error: outcome.message, errorCode: outcome.code });
  });
}
