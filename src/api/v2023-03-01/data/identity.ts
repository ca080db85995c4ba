import type { FastifyInstance } from 'fastify';
import { IdentitySchema } from '../../../model/index.js';
import type { Services } from '../../../services.js';
import { registerDataRoute } from './define.js';

export function registerIdentity(app: FastifyInstance, services: Services): void {
  registerDataRoute(app, services, {
    resource: 'identity',
    path: '/identity',
    summary: 'Identity',
    response: IdentitySchema,
    accepted: false,
    fetch: (adapter) => adapter.identity(),
  });
}
