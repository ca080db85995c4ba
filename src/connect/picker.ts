/**
 * The picker step: the user chooses one of the providers this authorization request may show (its mode, sandbox,
 * tags). Searching re-sends the request to `GET /connect` with `q`, so only the choice is posted here.
 */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../services.js';
import { PAGE_ROUTE, beginStep, visibleProviders } from './flow.js';
import { saveStep } from './session.js';

export function registerPickerStep(scope: FastifyInstance, services: Services): void {
  scope.post('/connect/provider', PAGE_ROUTE, async (req, reply) => {
    const ctx = await beginStep(services, req, reply);
    if (!ctx) return reply;
    const { fields, session, render } = ctx;
    if (session.step !== 'pick') return render();
    const chosen = visibleProviders(services, session.request).find((p) => p.id === fields.provider);
    if (!chosen) return render({ status: 400 });
    await saveStep(services, session, { step: 'credentials', provider: chosen.id });
    return render();
  });
}
