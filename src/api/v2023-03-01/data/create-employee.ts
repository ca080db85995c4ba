import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { requireToken } from '../../../http/auth.js';
import {
  API_VERSION,
  CreateEmployeeRequestSchema,
  EmployeeSchema,
  MODES,
  scopeFor,
} from '../../../model/index.js';
import type { Services } from '../../../services.js';
import { bodyRouteResponses, makeAdapter, resolveConnection } from './define.js';

/** `POST /2023-03-01/{mode}/employee` → 201 Employee; the connection's cached lists are dropped afterwards. */
export function registerCreateEmployee(app: FastifyInstance, services: Services): void {
  for (const mode of MODES) {
    app.withTypeProvider<TypeBoxTypeProvider>().post(
      `/${API_VERSION}/${mode}/employee`,
      {
        schema: {
          summary: 'Create employee',
          tags: [mode],
          security: [{ 'access-token': [] }],
          body: CreateEmployeeRequestSchema,
          response: bodyRouteResponses({ 201: EmployeeSchema }),
        },
        onRequest: requireToken(services, scopeFor(mode, 'employee')),
      },
      async (req, reply) => {
        const { connection, provider } = await resolveConnection(services, req, 'employee');
        const adapter = await makeAdapter(services, provider, connection, 'createEmployee');
        const created = await adapter.createEmployee(req.body);
        await services.cache.invalidateConnection(connection.id);
        return reply.code(201).send(created);
      },
    );
  }
}
