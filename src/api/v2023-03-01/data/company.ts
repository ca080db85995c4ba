import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { CompanySchema } from '../../../model/index.js';
import type { Services } from '../../../services.js';
import { registerDataRoute } from './define.js';

export function registerCompany(app: FastifyInstance, services: Services): void {
  registerDataRoute(app, services, {
    resource: 'company',
    path: '/company',
    summary: 'Company',
    response: Type.Array(CompanySchema),
    fetch: (adapter) => adapter.company(),
  });
}
