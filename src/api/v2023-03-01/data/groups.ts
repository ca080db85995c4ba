import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { GroupSchema } from '../../../model/index.js';
import type { Services } from '../../../services.js';
import { registerDataRoute } from './define.js';

export function registerGroups(app: FastifyInstance, services: Services): void {
  registerDataRoute(app, services, {
    resource: 'groups',
    path: '/groups',
    summary: 'Groups',
    response: Type.Array(GroupSchema),
    fetch: (adapter) => adapter.groups(),
  });
}
