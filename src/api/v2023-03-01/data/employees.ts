import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { type Employee, EmployeeSchema, EmploymentStatusQuery } from '../../../model/index.js';
import type { AdapterWith } from '../../../providers/resources.js';
import type { ListSink } from '../../../providers/types.js';
import type { Services } from '../../../services.js';
import { registerDataRoute } from './define.js';

export function registerEmployees(app: FastifyInstance, services: Services): void {
  registerDataRoute(app, services, {
    resource: 'employees',
    path: '/employees',
    summary: 'Employees',
    querystring: Type.Object({ employment_status: Type.Optional(EmploymentStatusQuery) }),
    response: Type.Array(EmployeeSchema),
    fetch: (adapter, query, _params, sink) => fetchEmployees(adapter, query.employment_status, sink),
  });
}

/**
 * `GET …/employees` from the provider: every employee, or those of one status. Webhook polls fetch through this
 * too (src/webhooks/poll.ts), under the same cache key as an unfiltered read.
 */
export async function fetchEmployees(
  adapter: AdapterWith<'employees'>,
  wanted: Employee['employment_status'] | undefined,
  sink: ListSink<unknown>,
): Promise<readonly Employee[]> {
  // Individuals whose status is null are left out when a status is asked for (the contract says so).
  const kept = (list: readonly Employee[]) =>
    wanted ? list.filter((e) => e.employment_status === wanted) : list;
  const withJson = sink.pushWithJson?.bind(sink);
  const rest = await adapter.employees({
    push: (items) => sink.push(kept(items)),
    // Items and their JSON texts stay paired through the filter.
    ...(withJson && {
      pushWithJson: (items: readonly Employee[], texts: readonly (string | undefined)[]) => {
        if (!wanted) return withJson(items, texts);
        const at: number[] = [];
        for (let i = 0; i < items.length; i++) if (items[i]?.employment_status === wanted) at.push(i);
        withJson(
          at.map((i) => items[i] as Employee),
          at.map((i) => texts[i]),
        );
      },
    }),
    ...(sink.restart ? { restart: () => sink.restart?.() } : {}),
    // The provider's total counts every status: only a size hint when nothing is filtered out.
    ...(wanted ? {} : { expect: (total: number) => sink.expect?.(total) }),
  });
  return kept(rest);
}
