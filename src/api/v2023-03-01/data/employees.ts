import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { EmployeeSchema, EmploymentStatusQuery } from '../../../model/index.js';
import type { Services } from '../../../services.js';
import { registerDataRoute } from './define.js';

export function registerEmployees(app: FastifyInstance, services: Services): void {
  registerDataRoute(app, services, {
    resource: 'employees',
    path: '/employees',
    summary: 'Employees',
    querystring: Type.Object({ employment_status: Type.Optional(EmploymentStatusQuery) }),
    response: Type.Array(EmployeeSchema),
    method: 'employees',
    fetch: async (adapter, query) => {
      const all = await adapter.employees!();
      // Individuals whose status is null are left out when a status is asked for (the contract says so).
      return query.employment_status
        ? all.filter((e) => e.employment_status === query.employment_status)
        : all;
    },
  });
}
