import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { LocationSchema } from '../../../model/index.js';
import type { Services } from '../../../services.js';
import { registerDataRoute } from './define.js';

export function registerWorkLocations(app: FastifyInstance, services: Services): void {
  registerDataRoute(app, services, {
    resource: 'work-locations',
    path: '/work-locations',
    summary: 'Work locations',
    response: Type.Array(LocationSchema),
    fetch: (adapter) => adapter.workLocations(),
  });
}
