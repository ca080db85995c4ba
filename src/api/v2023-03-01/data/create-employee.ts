import type { FastifyInstance } from 'fastify';
import { requireToken } from '../../../http/auth.js';
import {
  API_VERSION,
  CreateEmployeeRequestSchema,
  EmployeeSchema,
  MODES,
  scopeFor,
} from '../../../model/index.js';
import type { CreateEmployeeRequest } from '../../../model/index.js';
import type { Services } from '../../../services.js';
import { makeAdapter, resolveConnection } from './define.js';

/** `POST /2023-03-01/{mode}/employee` → 201 Employee; the connection's cached lists are dropped afterwards. */
export function registerCreateEmployee(app: FastifyInstance, services: Services): void {
  for (const mode of MODES) {
    app.post(
      `/${API_VERSION}/${mode}/employee`,
      {
        schema: {
          summary: 'Create employee',
          tags: [mode],
          security: [{ 'access-token': [] }],
          body: CreateEmployeeRequestSchema,
          response: {
            201: EmployeeSchema,
            400: { $ref: 'BadRequest#' },
            401: { $ref: 'AuthenticationError#' },
            403: { $ref: 'Message#' },
            413: { $ref: 'BadRequest#' },
            415: { $ref: 'BadRequest#' },
            429: { $ref: 'Message#' },
            500: { $ref: 'Message#' },
            501: { $ref: 'Message#' },
          },
        },
        onRequest: requireToken(services, scopeFor(mode, 'employee')),
      },
      async (req, reply) => {
        const { connection, provider } = await resolveConnection(services, req, 'employee');
        const adapter = await makeAdapter(services, provider, connection, 'createEmployee');
        const created = await adapter.createEmployee!(req.body as CreateEmployeeRequest);
        await services.cache.invalidateConnection(connection.id);
        return reply.code(201).send(created);
      },
    );
  }
}
