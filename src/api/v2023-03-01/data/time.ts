import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { TimeOffBalanceSchema, TimeOffEntrySchema, TimesheetSchema } from '../../../model/index.js';
import type { Services } from '../../../services.js';
import { checkRange, rangeFor } from './dates.js';
import { registerDataRoute } from './define.js';

export function registerTime(app: FastifyInstance, services: Services): void {
  registerDataRoute(app, services, {
    resource: 'timesheets',
    path: '/timesheets',
    summary: 'Timesheets',
    querystring: rangeFor,
    response: Type.Array(TimesheetSchema),
    check: (q) => void checkRange(q),
    fetch: (adapter, q) => adapter.timesheets(checkRange(q)),
  });
  registerDataRoute(app, services, {
    resource: 'time-off-entries',
    path: '/time-off-entries',
    summary: 'Time off entries',
    querystring: rangeFor,
    response: Type.Array(TimeOffEntrySchema),
    check: (q) => void checkRange(q),
    fetch: (adapter, q) => adapter.timeOffEntries(checkRange(q)),
  });
  registerDataRoute(app, services, {
    resource: 'time-off-balances',
    path: '/time-off-balances',
    summary: 'Time off balances',
    response: Type.Array(TimeOffBalanceSchema),
    fetch: (adapter) => adapter.timeOffBalances(),
  });
}
