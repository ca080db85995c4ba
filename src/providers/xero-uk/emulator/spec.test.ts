/**
 * The emulator answers as Xero's PUBLISHED spec says: each response the adapter relies on, and each error, is
 * validated with Ajv against the schema the spec gives for that path, method and status (errors the spec does not
 * document per path against its `Problem` schema). Object schemas are closed (`additionalProperties: false`) for
 * this check, so the emulator cannot invent fields either.
 *
 * Two allowances, both from the spec's own examples, which disagree with its schemas: every example response carries
 * the envelope `id`, `providerName`, `dateTimeUTC` and `httpStatusCode` that no schema declares (checked here apart,
 * then left out of the schema check), and dates are written `2020-02-03T00:00:00` where the schema says
 * `format: date`, UTC timestamps without a zone where it says `format: date-time` (both formats accept those forms).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  providerSpec,
  readSpec,
  type SpecValidators,
  specValidators,
} from '../../../testing/provider-specs.js';
import { UNLIMITED } from '../test-support.js';
import { type XeroEmulator, startEmulator } from './server.js';

type Json = Record<string, unknown>;
const ENVELOPE = ['id', 'providerName', 'dateTimeUTC', 'httpStatusCode'] as const;

let spec: SpecValidators;

describe('Xero Payroll UK emulator vs the published spec', () => {
  let emu: XeroEmulator;
  let access = '';

  const call = async (path: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${emu.baseUrl}${path}`, {
      headers: { authorization: `Bearer ${access}`, 'xero-tenant-id': emu.credentials.tenant_id, ...headers },
    });
    return { status: res.status, body: (await res.json()) as Json, headers: res.headers };
  };

  const expectValid = async (
    template: string,
    path: string,
    status = 200,
    headers?: Record<string, string>,
  ) => {
    const res = await call(path, headers);
    expect(res.status, path).toBe(status);
    const body = { ...res.body };
    if (status === 200) {
      expect(typeof body['id']).toBe('string');
      expect(body['providerName']).toEqual(expect.any(String));
      expect(body['dateTimeUTC']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/);
      expect(body['httpStatusCode']).toBe('OK');
      for (const k of ENVELOPE) delete body[k];
    }
    const validate = spec.validator(template, 'get', status);
    expect(validate(body), `${template} ${status}: ${spec.errors(validate)}`).toBe(true);
    return res;
  };

  beforeAll(async () => {
    spec = specValidators(readSpec(providerSpec('xero-uk', 'xero-payroll-uk.yaml')), {
      formats: {
        date: /^\d{4}-\d{2}-\d{2}(T00:00:00)?$/,
        'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/,
        double: true,
      },
      // Errors the spec does not document for the path are checked against its Problem schema.
      undocumented: '#/components/schemas/Problem',
    });
    emu = await startEmulator({ employees: 250, seed: 3, knobs: UNLIMITED });
    const token = await fetch(`${emu.url}/connect/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${emu.credentials.client_id}:${emu.credentials.client_secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: emu.credentials.refresh_token,
      }),
    });
    expect(token.status).toBe(200);
    const body = (await token.json()) as Json;
    // RFC 6749 §5.1, as Xero's identity service answers (not part of the payroll spec).
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 1800 });
    expect(body['refresh_token']).not.toBe(emu.credentials.refresh_token);
    access = String(body['access_token']);
  }, 60_000);
  afterAll(() => emu?.close());

  it('GET /Employees pages, and one employee', async () => {
    const first = await expectValid('/Employees', '/Employees');
    expect(first.body['pagination']).toEqual({ page: 1, pageSize: 100, pageCount: 3, itemCount: 250 });
    const last = await expectValid('/Employees', '/Employees?page=3');
    expect((last.body['employees'] as unknown[]).length).toBe(50);
    const id = emu.records.employees[1]?.employeeID ?? '';
    await expectValid('/Employees/{EmployeeID}', `/Employees/${id}`);
  });

  it("an employee's salary and wages, leave and leave balances", async () => {
    for (const e of emu.records.employees.slice(0, 25)) {
      const id = e.employeeID ?? '';
      await expectValid('/Employees/{EmployeeID}/SalaryAndWages', `/Employees/${id}/SalaryAndWages`);
      await expectValid('/Employees/{EmployeeID}/Leave', `/Employees/${id}/Leave`);
      await expectValid('/Employees/{EmployeeID}/LeaveBalances', `/Employees/${id}/LeaveBalances`);
    }
  });

  it('settings lists: calendars, earnings rates, deductions, earnings orders, leave types', async () => {
    await expectValid('/PayRunCalendars', '/PayRunCalendars');
    await expectValid('/EarningsRates', '/EarningsRates');
    await expectValid('/Deductions', '/Deductions');
    await expectValid('/EarningsOrders', '/EarningsOrders');
    await expectValid('/LeaveTypes', '/LeaveTypes?ActiveOnly=true');
  });

  it('pay runs, one pay run with its payslip summaries, and the payslips of every kind of run', async () => {
    const runs = await expectValid('/PayRuns', '/PayRuns');
    const list = runs.body['payRuns'] as Json[];
    expect(new Set(list.map((r) => r['payRunType']))).toEqual(
      new Set(['Scheduled', 'Unscheduled', 'EarlierYearUpdate']),
    );
    expect(new Set(list.map((r) => r['payRunStatus']))).toEqual(new Set(['Draft', 'Posted']));
    await expectValid('/PayRuns', '/PayRuns?status=Posted');
    for (const run of list) {
      const id = String(run['payRunID']);
      await expectValid('/PayRuns/{PayRunID}', `/PayRuns/${id}`);
      await expectValid('/Payslips', `/Payslips?PayRunID=${id}`);
    }
  });

  it('timesheets (listed without lines) and one timesheet with its lines', async () => {
    const list = await expectValid('/Timesheets', '/Timesheets');
    const sheets = list.body['timesheets'] as Json[];
    expect(sheets.length).toBeGreaterThan(0);
    expect(sheets.every((s) => s['timesheetLines'] === undefined)).toBe(true);
    await expectValid('/Timesheets', '/Timesheets?startDate=2026-06-01&endDate=2026-06-30&status=Completed');
    const one = await expectValid(
      '/Timesheets/{TimesheetID}',
      `/Timesheets/${String(sheets[0]?.['timesheetID'])}`,
    );
    expect(((one.body['timesheet'] as Json)['timesheetLines'] as unknown[]).length).toBeGreaterThan(0);
  });

  it('every response carries the rate-limit headers', async () => {
    const res = await call('/PayRunCalendars');
    for (const h of ['x-daylimit-remaining', 'x-minlimit-remaining', 'x-appminlimit-remaining']) {
      expect(Number(res.headers.get(h)), h).toBeGreaterThanOrEqual(0);
    }
  });

  it('error bodies: 400 bad page, 401 bad token, 403 wrong tenant, 404, 429 with Retry-After, 503', async () => {
    await expectValid('/Employees', '/Employees?page=0', 400);
    await expectValid('/Employees', '/Employees', 401, { authorization: 'Bearer nope' });
    await expectValid('/Employees', '/Employees', 403, {
      'xero-tenant-id': '00000000-0000-4000-8000-000000000000',
    });
    await expectValid('/PayRuns/{PayRunID}', '/PayRuns/00000000-0000-4000-8000-000000000000', 404);
    await expectValid(
      '/Employees/{EmployeeID}/Leave',
      '/Employees/00000000-0000-4000-8000-000000000000/Leave',
      404,
    );
    emu.knobs.rateLimitEvery = 1;
    try {
      const limited = await expectValid('/Employees', '/Employees', 429);
      expect(limited.headers.get('retry-after')).toBe('1');
      expect(limited.headers.get('x-rate-limit-problem')).toBe('minute');
    } finally {
      emu.knobs.rateLimitEvery = 0;
    }
    emu.knobs.failEvery = 1;
    try {
      await expectValid('/PayRuns', '/PayRuns', 503);
    } finally {
      emu.knobs.failEvery = 0;
    }
  });

  it('the closed-schema check can fail: an invented field is rejected', () => {
    const validate = spec.validator('/PayRunCalendars', 'get', 200);
    const calendar = {
      name: 'Weekly',
      calendarType: 'Weekly',
      periodStartDate: '2026-06-29',
      paymentDate: '2026-07-06',
    };
    expect(validate({ payRunCalendars: [calendar] })).toBe(true);
    expect(validate({ payRunCalendars: [{ ...calendar, invented: true }] })).toBe(false);
    expect(validate({ payRunCalendars: [{ ...calendar, calendarType: 'Daily' }] })).toBe(false);
  });
});
