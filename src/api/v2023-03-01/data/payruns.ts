import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { errors } from '../../../http/errors.js';
import { PayrunSchema, PayslipSchema } from '../../../model/index.js';
import type { Services } from '../../../services.js';
import { RequiredRange, checkRange } from './dates.js';
import { registerDataRoute } from './define.js';

export function registerPayruns(app: FastifyInstance, services: Services): void {
  registerDataRoute(app, services, {
    resource: 'payruns',
    path: '/payruns',
    summary: 'Payruns',
    querystring: RequiredRange,
    response: Type.Array(PayrunSchema),
    check: (q) => void checkRange(q),
    fetch: (adapter, q) => adapter.payruns({ start_date: q.start_date, end_date: q.end_date }),
  });
  registerDataRoute(app, services, {
    resource: 'payruns/:payrun_id',
    path: '/payruns/:payrun_id',
    summary: 'Payslips of a payrun',
    params: Type.Object({ payrun_id: Type.String({ minLength: 1, maxLength: 200 }) }),
    response: Type.Array(PayslipSchema),
    fetch: async (adapter, _q, p) => {
      const slips = await adapter.payslips(p.payrun_id);
      if (slips === null) throw errors.notFound(p.payrun_id, 'payrun not found');
      return slips;
    },
  });
}
