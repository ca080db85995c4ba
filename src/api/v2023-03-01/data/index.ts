import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../services.js';
import { registerCompany } from './company.js';
import { registerCreateEmployee } from './create-employee.js';
import { registerEmployees } from './employees.js';
import { registerGroups } from './groups.js';
import { registerIdentity } from './identity.js';
import { registerPassthrough } from './passthrough.js';
import { registerPayruns } from './payruns.js';
import { registerTime } from './time.js';
import { registerWorkLocations } from './work-locations.js';

export function registerDataRoutes(app: FastifyInstance, services: Services): void {
  registerCompany(app, services);
  registerEmployees(app, services);
  registerCreateEmployee(app, services);
  registerGroups(app, services);
  registerIdentity(app, services);
  registerPayruns(app, services);
  registerPassthrough(app, services);
  registerTime(app, services);
  registerWorkLocations(app, services);
}
