/**
 * The Xero Payroll UK adapter: unified resources from the Payroll UK API (`payroll.xro/2.0`). Xero keeps salary,
 * leave and leave balances per employee only, so those resources cost one call per employee (paced at 60 a minute);
 * see README.md for the call counts.
 */
import type { Payrun, TimeOffEntry, Timesheet } from '../../model/index.js';
import { ProviderError } from '../errors.js';
import type { DateRange, ProviderContext } from '../types.js';
import { XeroClient, type XeroClientOptions } from './client.js';
import { toEmployee } from './mappers/to-employee.js';
import { toGroup } from './mappers/to-group.js';
import { toPayrun } from './mappers/to-payrun.js';
import { type PayslipRun, toPayslip } from './mappers/to-payslip.js';
import { toTimeOffBalance } from './mappers/to-time-off-balance.js';
import { toTimeOffEntry } from './mappers/to-time-off-entry.js';
import { isFinalTimesheet, toTimesheet } from './mappers/to-timesheet.js';
import { toDate, ukToday } from './mappers/values.js';
import type {
  XeroDeduction,
  XeroEarningsOrder,
  XeroEarningsRate,
  XeroEmployee,
  XeroLeave,
  XeroLeaveBalance,
  XeroLeaveType,
  XeroPayRun,
  XeroPayRunCalendar,
  XeroPayslip,
  XeroSalaryAndWage,
  XeroTimesheet,
} from './raw.js';
import type { XERO_UK_UNIFIED_RESOURCES } from './provider.js';
import type { AdapterFor } from '../resources.js';

/**
 * Salary and wages cost one call per employee. Up to this many employees, `employees()` makes them (about 100 calls,
 * under two minutes at 60 a minute, and under half the 5000-call day if the list is fetched every hour); above it,
 * `compensation_history` is null for every employee rather than a day's calls on one list.
 */
export const XERO_COMPENSATION_MAX_EMPLOYEES = 100;
/** Xero's payroll calendars go up to a year, so a timesheet overlapping a range starts at most a year before it. */
const LONGEST_PERIOD_DAYS = 366;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface XeroAdapterOptions extends XeroClientOptions {
  /** Most employees whose salary and wages `employees()` looks up (default XERO_COMPENSATION_MAX_EMPLOYEES). */
  compensationMaxEmployees?: number;
}

export interface XeroAdapter extends AdapterFor<typeof XERO_UK_UNIFIED_RESOURCES, 'passthrough'> {
  client: XeroClient;
}

function byId<T>(items: readonly T[], id: (item: T) => string | null | undefined): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) {
    const key = id(item);
    if (key && !map.has(key)) map.set(key, item);
  }
  return map;
}

function shiftDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function overlaps(start: string | null, end: string | null, range: DateRange): boolean {
  if (start !== null && start > range.end_date) return false;
  if (end !== null && end < range.start_date) return false;
  return true;
}

export function createXeroAdapter(ctx: ProviderContext, options: XeroAdapterOptions = {}): XeroAdapter {
  const client = new XeroClient(ctx, options);
  const now = () => new Date(options.now?.() ?? Date.now());
  const compensationMax = options.compensationMaxEmployees ?? XERO_COMPENSATION_MAX_EMPLOYEES;
  const same = <T>(items: T[]) => items;

  const employeeList = () =>
    client.walk<XeroEmployee, XeroEmployee>(
      '/Employees',
      'employees',
      {},
      (e) => e.employeeID,
      (page) => page.filter((e) => !!e.employeeID),
    );
  const calendars = () =>
    client.walk<XeroPayRunCalendar, XeroPayRunCalendar>(
      '/PayRunCalendars',
      'payRunCalendars',
      {},
      (c) => c.payrollCalendarID,
      same,
    );
  const perEmployee = <T>(path: (id: string) => string, key: string, ids: readonly string[]) =>
    Promise.all(ids.map(async (id) => ({ id, items: await client.list<T>(path(id), key) })));
  const employeePath = (id: string, rest: string) => `/Employees/${encodeURIComponent(id)}/${rest}`;
  const ids = (employees: readonly XeroEmployee[]) =>
    employees.map((e) => e.employeeID).filter((id): id is string => !!id);

  return {
    client,
    passthrough: (req) => client.raw(req),

    async verify() {
      try {
        await client.get('/Employees', { page: 1 });
      } catch (err) {
        if (err instanceof ProviderError && err.kind === 'authentication') {
          // A refused grant or client, or a tenant this grant cannot reach (403): all things the form asked for.
          throw ProviderError.authentication(
            'incorrect_username_or_password',
            err.options.code === 'insufficient_permission'
              ? 'Xero refused the tenant id for this app and refresh token'
              : 'Xero refused the client id, client secret or refresh token',
          );
        }
        throw err;
      }
    },

    async employees() {
      const [employees, cals] = await Promise.all([employeeList(), calendars()]);
      const calendarsById = byId(cals, (c) => c.payrollCalendarID);
      const today = ukToday(now());
      let salaries: Map<string, XeroSalaryAndWage[]> | null = null;
      if (employees.length <= compensationMax) {
        const rows = await Promise.all(
          ids(employees).map(async (id) => ({
            id,
            items: await client.walk<XeroSalaryAndWage, XeroSalaryAndWage>(
              employeePath(id, 'SalaryAndWages'),
              'salaryAndWages',
              {},
              (s) => s.salaryAndWagesID,
              same,
            ),
          })),
        );
        salaries = new Map(rows.map((r) => [r.id, r.items]));
      }
      return employees.map((e) =>
        toEmployee(e, {
          calendars: calendarsById,
          today,
          ...(salaries ? { salaryAndWages: salaries.get(e.employeeID ?? '') ?? [] } : {}),
        }),
      );
    },

    async groups() {
      return (await calendars()).map(toGroup);
    },

    async payruns(range) {
      const runs = await client.walk<XeroPayRun, Payrun>(
        '/PayRuns',
        'payRuns',
        {},
        (r) => r.payRunID,
        (page) => page.map(toPayrun),
      );
      // As the sandbox: the pay runs paid (or to be paid) within the range.
      return runs.filter(
        (r) =>
          r.payment_date !== null && r.payment_date >= range.start_date && r.payment_date <= range.end_date,
      );
    },

    async payslips(payrunId) {
      // Xero's pay run ids are uuids; anything else cannot name one (and Xero would answer 400, not 404).
      if (!UUID.test(payrunId)) return null;
      const found = await client.get<{ payRun?: XeroPayRun | null }>(
        `/PayRuns/${encodeURIComponent(payrunId)}`,
        {},
        [404],
      );
      if (found.status === 404 || !found.body?.payRun) return null;
      const run = toPayrun(found.body.payRun);
      const payment = run.payment_date ?? run.end_date;
      if (!payment) throw new ProviderError('bad_response', `Xero pay run ${payrunId} has no payment date`);
      const payslipRun: PayslipRun = {
        id: run.id || payrunId,
        remote_id: run.remote_id || payrunId,
        type: run.type,
        start_date: run.start_date ?? payment,
        end_date: run.end_date ?? payment,
        payment_date: payment,
      };
      const [slips, rates] = await Promise.all([
        client.walk<XeroPayslip, XeroPayslip>(
          '/Payslips',
          'paySlips',
          { PayRunID: payrunId },
          (s) => s.paySlipID,
          same,
        ),
        client.walk<XeroEarningsRate, XeroEarningsRate>(
          '/EarningsRates',
          'earningsRates',
          {},
          (r) => r.earningsRateID,
          same,
        ),
      ]);
      // Deduction and court order names cost a call each: only asked for when a payslip has such lines.
      const [deductions, orders] = await Promise.all([
        slips.some((s) => s.deductionLines?.length)
          ? client.walk<XeroDeduction, XeroDeduction>(
              '/Deductions',
              'deductions',
              {},
              (d) => d.deductionId,
              same,
            )
          : [],
        slips.some((s) => s.courtOrderLines?.length)
          ? client.walk<XeroEarningsOrder, XeroEarningsOrder>(
              '/EarningsOrders',
              'statutoryDeductions',
              {},
              (o) => o.id,
              same,
            )
          : [],
      ]);
      const lookups = {
        earningsRates: byId(rates, (r) => r.earningsRateID),
        deductions: byId(deductions, (d) => d.deductionId),
        earningsOrders: byId(orders, (o) => o.id),
      };
      return slips.filter((s) => !!s.employeeID).map((s) => toPayslip(s, payslipRun, lookups));
    },

    async timesheets(range) {
      // Xero filters on start date ≥ and end date ≤; widened by the longest pay period, then overlap is checked here.
      const query = range
        ? {
            startDate: shiftDays(range.start_date, -LONGEST_PERIOD_DAYS),
            endDate: shiftDays(range.end_date, LONGEST_PERIOD_DAYS),
          }
        : {};
      const listed = await client.walk<XeroTimesheet, XeroTimesheet>(
        '/Timesheets',
        'timesheets',
        query,
        (t) => t.timesheetID,
        same,
      );
      const wanted = listed.filter(
        (t) =>
          isFinalTimesheet(t.status) &&
          t.totalHours !== 0 &&
          (!range || overlaps(toDate(t.startDate), toDate(t.endDate), range)),
      );
      // The list is documented without lines: each timesheet with hours is read on its own.
      const sheets = await Promise.all(
        wanted.map(async (t) => {
          if (t.timesheetLines) return t;
          const { body } = await client.get<{ timesheet?: XeroTimesheet | null }>(
            `/Timesheets/${encodeURIComponent(t.timesheetID ?? '')}`,
          );
          return { ...t, ...body?.timesheet };
        }),
      );
      const out: Timesheet[] = [];
      for (const sheet of sheets) {
        for (const line of sheet.timesheetLines ?? []) {
          const day = toDate(line.date);
          if (range && day !== null && (day < range.start_date || day > range.end_date)) continue;
          const mapped = toTimesheet(line, sheet);
          if (mapped) out.push(mapped);
        }
      }
      return out;
    },

    async timeOffEntries(range) {
      const [employees, leaveTypes] = await Promise.all([
        employeeList(),
        client.walk<XeroLeaveType, XeroLeaveType>(
          '/LeaveTypes',
          'leaveTypes',
          {},
          (t) => t.leaveTypeID,
          same,
        ),
      ]);
      const types = byId(leaveTypes, (t) => t.leaveTypeID);
      const leave = await perEmployee<XeroLeave>((id) => employeePath(id, 'Leave'), 'leave', ids(employees));
      // Units live on the employee's leave balances: asked for only for employees with leave.
      const withLeave = leave.filter((l) => l.items.length > 0).map((l) => l.id);
      const balances = await perEmployee<XeroLeaveBalance>(
        (id) => employeePath(id, 'LeaveBalances'),
        'leaveBalances',
        withLeave,
      );
      const unitsOf = new Map(
        balances.map((b) => [b.id, new Map(b.items.map((x) => [x.leaveTypeID ?? '', x.typeOfUnits]))]),
      );
      const out: TimeOffEntry[] = [];
      for (const { id, items } of leave) {
        for (const l of items) {
          if (!l.leaveID) continue;
          const entry = toTimeOffEntry(
            l,
            id,
            types.get(l.leaveTypeID ?? ''),
            unitsOf.get(id)?.get(l.leaveTypeID ?? ''),
          );
          if (!range || overlaps(entry.start_date, entry.end_date, range)) out.push(entry);
        }
      }
      return out;
    },

    async timeOffBalances() {
      const balances = await perEmployee<XeroLeaveBalance>(
        (id) => employeePath(id, 'LeaveBalances'),
        'leaveBalances',
        ids(await employeeList()),
      );
      return balances.flatMap(({ id, items }) => items.map((b) => toTimeOffBalance(b, id)));
    },
  };
}
