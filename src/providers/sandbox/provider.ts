/**
 * The sandbox provider: a fake but realistic, fully deterministic company (see generate.ts) behind the same
 * adapter interface as every real provider. Used by `npm start`, tests and benchmarks.
 */
import { type CreateEmployeeRequest, type Employee, RESOURCES } from '../../model/index.js';
import type { ConnectField, Provider, ProviderAdapter, ProviderContext } from '../types.js';
import { buildCreatedEmployee, CREATED_EMPLOYEES_KEY } from './create-employee.js';
import { assertSessionAlive, SANDBOX_CREDENTIALS_HELP, verifySandboxCredentials } from './credentials.js';
import type { SandboxDataset } from './dataset.js';
import { filterPayruns, payslipsFor } from './payslips.js';
import { parseSandboxSettings } from './settings.js';
import { timeOffFor } from './time-off.js';
import { filterTimeOff } from './time-off.js';
import { filterTimesheets, timesheetsFor } from './timesheets.js';

const XHR_FIELDS: ConnectField[] = [
  {
    name: 'username',
    label: 'Username',
    secret: false,
    required: true,
    placeholder: 'demo@example.com',
    help: SANDBOX_CREDENTIALS_HELP,
  },
  {
    name: 'password',
    label: 'Password',
    secret: true,
    required: true,
    help: 'Any non-empty password; "wrong-password" fails.',
  },
];

const OFFICIAL_FIELDS: ConnectField[] = [
  {
    name: 'api_key',
    label: 'API key',
    secret: true,
    required: true,
    placeholder: 'sandbox-key',
    help: SANDBOX_CREDENTIALS_HELP,
  },
];

export const sandboxProvider: Provider = {
  id: 'sandbox',
  displayName: 'Sandbox',
  tags: ['hr', 'payroll', 'sandbox'],
  modes: ['official', 'xhr'],
  auth: { official: 'api_key', xhr: 'password' },
  fields: { official: OFFICIAL_FIELDS, xhr: XHR_FIELDS },
  resources: { official: RESOURCES, xhr: RESOURCES },
  limits: 'none (generated locally)',
  connect: connectSandbox,
};

function connectSandbox(ctx: ProviderContext): ProviderAdapter {
  // Parsed eagerly so a bad setting fails at connect time, not on the first read.
  const options = parseSandboxSettings(ctx.settings, ctx.connectionId);

  /**
   * Every data call: a `+expired` login fails here, then the connection's kept company is returned (generated on
   * first use, then kept in its state: kept-company.ts). `churn` > 0 (the employees fetch under SANDBOX_CHURN)
   * applies one round of churn first. A company is generated in the node's generator thread (generator-pool.ts;
   * faker is loaded there, not on the serving thread), or here, on first use, for an adapter built without one.
   */
  const data = async (churn = 0): Promise<SandboxDataset> => {
    assertSessionAlive(ctx.mode, ctx.credentials);
    const [{ keptCompany }, { makeCompany }] = await Promise.all([
      import('./kept-company.js'),
      import('./generator-pool.js'),
    ]);
    const slot = ctx.keptCompanies && { memo: ctx.keptCompanies, key: ctx.connectionId };
    return keptCompany(ctx.state, options, churn, () => makeCompany(ctx.sandboxGenerator, options), slot);
  };
  const created = async (): Promise<Employee[]> =>
    (await ctx.state.get<Employee[]>(CREATED_EMPLOYEES_KEY)) ?? [];

  return {
    async verify() {
      verifySandboxCredentials(ctx.mode, ctx.credentials);
    },
    async identity() {
      const identity = (await data()).identity;
      // The admin who connected: their login is their email when it looks like one.
      const login = ctx.credentials['username'];
      return login?.includes('@') ? { ...identity, email: login } : identity;
    },
    async company() {
      return [(await data()).company];
    },
    async employees(sink) {
      // Churned per fetch under SANDBOX_CHURN (see kept-company.ts).
      const company = await data(ctx.churn ?? 0);
      const kept = company.employees;
      const extra = await created();
      if (sink?.pushWithJson) {
        // The kept company's own JSON text of each employee it holds one for (kept-company.ts): not serialized again.
        const { keptEmployeeTexts } = await import('./kept-company.js');
        sink.pushWithJson(kept, keptEmployeeTexts(company));
        return [...extra];
      }
      return extra.length === 0 ? [...kept] : [...kept, ...extra];
    },
    async createEmployee(input: CreateEmployeeRequest) {
      const d = await data();
      const today = new Date().toISOString().slice(0, 10);
      let employee: Employee | undefined;
      // Atomic: concurrent creates on one connection each append to the list the previous one wrote.
      await ctx.state.update<Employee[]>(CREATED_EMPLOYEES_KEY, (extra = []) => {
        employee = buildCreatedEmployee(
          d,
          [...d.employees, ...extra],
          input,
          ctx.connectionId,
          extra.length + 1,
          today,
        );
        return [...extra, employee];
      });
      return employee as Employee;
    },
    async groups() {
      return [...(await data()).groups];
    },
    async workLocations() {
      return [...(await data()).locations];
    },
    async payruns(range) {
      return filterPayruns((await data()).payruns, range);
    },
    async payslips(payrunId) {
      return payslipsFor(await data(), payrunId);
    },
    async timesheets(range) {
      return filterTimesheets(timesheetsFor(await data()), range);
    },
    async timeOffEntries(range) {
      return filterTimeOff(timeOffFor(await data()).entries, range);
    },
    async timeOffBalances() {
      return [...timeOffFor(await data()).balances];
    },
  };
}
