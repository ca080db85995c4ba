/**
 * Seeded Personio account for the emulator: employees in Personio's attribute-wrapper shape, their attendances,
 * time-offs and balances. Every reference resolves (supervisors, offices, departments, teams, cost centres,
 * subcompanies, time-off types), and the same seed, size and day always give the same data.
 */
import { Faker, base, de, en } from '@faker-js/faker';
import type {
  PersonioAttendance,
  PersonioAttribute,
  PersonioAttributeType,
  PersonioBalanceRow,
  PersonioEmployee,
  PersonioEmployeeAttributes,
  PersonioShortEmployee,
  PersonioTimeOff,
} from '../raw.js';

export interface EmulatorDataOptions {
  /** Number of employees, 1 … 10,000. */
  employees?: number;
  seed?: number;
  /** The emulator's "today" (`YYYY-MM-DD`); attendances and time-offs sit around it. Default: the real UTC day. */
  today?: string;
  /** Working days of attendances per tracked employee, ending yesterday. */
  attendanceDays?: number;
}

export interface TimeOffTypeRecord {
  type: 'TimeOffType';
  attributes: {
    id: number;
    name: string;
    category: string;
    unit: 'day' | 'hour';
    approval_required: boolean;
  };
}

interface Named {
  id: number;
  name: string;
}
interface Calendar extends Named {
  country: string;
  state: string;
}
interface Office extends Named {
  calendar: Calendar;
  subcompany: Named;
  currency: string;
}

export interface EmulatorData {
  employees: PersonioEmployee[];
  attendances: PersonioAttendance[];
  timeOffs: PersonioTimeOff[];
  timeOffTypes: TimeOffTypeRecord[];
  /** Employee id → balance rows, as `GET /company/employees/{id}/absences/balance` answers. */
  balances: Map<number, PersonioBalanceRow[]>;
  subcompanies: Named[];
  offices: Office[];
  departments: Named[];
  teams: Named[];
  costCenters: Named[];
  calendars: Calendar[];
  today: string;
}

export const CALENDARS: Calendar[] = [
  { id: 2, name: 'Deutschland (Bayern) Feiertage', country: 'DE', state: 'Bayern' },
  { id: 3, name: 'Deutschland (Berlin) Feiertage', country: 'DE', state: 'Berlin' },
  { id: 4, name: 'Deutschland (Hamburg) Feiertage', country: 'DE', state: 'Hamburg' },
  { id: 9, name: 'United Kingdom (England) Bank Holidays', country: 'GB', state: 'England' },
  { id: 12, name: 'España (Madrid) Festivos', country: 'ES', state: 'Madrid' },
];
const [BAYERN, BERLIN, HAMBURG, ENGLAND, MADRID] = CALENDARS as [
  Calendar,
  Calendar,
  Calendar,
  Calendar,
  Calendar,
];

export const SUBCOMPANIES: Named[] = [
  { id: 7033, name: 'Acme Demo GmbH' },
  { id: 7034, name: 'Acme Demo UK Ltd' },
];
const [GMBH, LTD] = SUBCOMPANIES as [Named, Named];

export const OFFICES: Office[] = [
  { id: 131014, name: 'Munich', calendar: BAYERN, subcompany: GMBH, currency: 'EUR' },
  { id: 131015, name: 'Berlin', calendar: BERLIN, subcompany: GMBH, currency: 'EUR' },
  { id: 131016, name: 'Hamburg', calendar: HAMBURG, subcompany: GMBH, currency: 'EUR' },
  { id: 131017, name: 'London', calendar: ENGLAND, subcompany: LTD, currency: 'GBP' },
  { id: 131018, name: 'Madrid', calendar: MADRID, subcompany: GMBH, currency: 'EUR' },
];

export const DEPARTMENTS: Named[] = [
  'Engineering',
  'Sales',
  'Marketing',
  'Customer Support',
  'Finance',
  'People',
  'Operations',
  'Product',
].map((name, i) => ({ id: 281521 + i, name }));

export const TEAMS: Named[] = [
  'Platform',
  'Payments',
  'Mobile',
  'Enterprise Sales',
  'SMB Sales',
  'Brand',
  'Growth',
  'Tier 1',
  'Tier 2',
  'Controlling',
  'Recruiting',
  'Data',
].map((name, i) => ({ id: 59026 + i, name }));

export const COST_CENTERS: Named[] = ['R&D', 'Go-to-market', 'G&A', 'Cost of sales'].map((name, i) => ({
  id: 82957 + i,
  name,
}));

export const TIME_OFF_TYPES: TimeOffTypeRecord[] = [
  {
    id: 113437,
    name: 'Paid vacation',
    category: 'paid_vacation',
    unit: 'day' as const,
    approval_required: true,
  },
  { id: 113438, name: 'Sick leave', category: 'sick_leave', unit: 'day' as const, approval_required: false },
  {
    id: 113439,
    name: 'Parental leave',
    category: 'maternity_parental_leave',
    unit: 'day' as const,
    approval_required: true,
  },
  {
    id: 113440,
    name: 'Home office',
    category: 'offsite_work',
    unit: 'day' as const,
    approval_required: true,
  },
  {
    id: 113441,
    name: 'Overtime reduction',
    category: 'other',
    unit: 'hour' as const,
    approval_required: true,
  },
].map((attributes) => ({ type: 'TimeOffType' as const, attributes }));
const [VACATION, SICK, PARENTAL, HOME_OFFICE] = TIME_OFF_TYPES as [
  TimeOffTypeRecord,
  TimeOffTypeRecord,
  TimeOffTypeRecord,
  TimeOffTypeRecord,
];

const PROJECTS = [
  { id: 567, name: 'Website relaunch' },
  { id: 568, name: 'Customer onboarding' },
  { id: 569, name: 'Internal tooling' },
];

const DAY = 86_400_000;
export const FIRST_EMPLOYEE_ID = 100_001;

function attr<V>(
  label: string,
  value: V,
  type: PersonioAttributeType,
  universalId: string | null,
): PersonioAttribute<V> {
  return { label, value, type, universal_id: universalId };
}

const offsetFmt = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Berlin', timeZoneName: 'longOffset' });

/** `+01:00` / `+02:00`: Berlin's offset on that day (Personio writes local midnight with the offset). */
export function berlinOffset(day: string, colon = true): string {
  const name = offsetFmt
    .formatToParts(new Date(`${day}T12:00:00Z`))
    .find((p) => p.type === 'timeZoneName')?.value;
  const m = /GMT([+-]\d{2}):(\d{2})/.exec(name ?? '');
  const hh = m?.[1] ?? '+00';
  const mm = m?.[2] ?? '00';
  return colon ? `${hh}:${mm}` : `${hh}${mm}`;
}

/** An instant written the way the time-off example writes it: Berlin wall time with a colon-less offset. */
export function berlinStamp(ms: number): string {
  const offset = berlinOffset(dayOf(ms));
  const sign = offset.startsWith('-') ? -1 : 1;
  const minutes = sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
  const local = new Date(ms + minutes * 60_000).toISOString().slice(0, 19);
  return `${local}${offset.replace(':', '')}`;
}

function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function dayMs(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

function isWeekend(ms: number): boolean {
  const d = new Date(ms).getUTCDay();
  return d === 0 || d === 6;
}

/** Weekdays from `start` to `end` inclusive (public holidays are ignored: the emulator has none). */
export function workdays(start: string, end: string): number {
  let n = 0;
  for (let t = dayMs(start); t <= dayMs(end); t += DAY) if (!isWeekend(t)) n++;
  return n;
}

export function shortEmployee(emp: PersonioEmployee): PersonioShortEmployee {
  const a = emp.attributes;
  return {
    type: 'Employee',
    attributes: {
      id: attr('id', a.id.value, 'integer', 'id'),
      first_name: attr('First name', a.first_name?.value ?? null, 'standard', 'first_name'),
      last_name: attr('Last name', a.last_name?.value ?? null, 'standard', 'last_name'),
      email: attr('Email', a.email?.value ?? null, 'standard', 'email'),
    },
  };
}

export interface NewEmployeeFields {
  id: number;
  firstName: string;
  lastName: string;
  preferredName?: string | null;
  email: string;
  gender?: string | null;
  status: string;
  position?: string | null;
  supervisor?: PersonioEmployee | null;
  employmentType?: 'internal' | 'external';
  weeklyHours?: string | null;
  hireDate?: string | null;
  terminationDate?: string | null;
  createdAt: string;
  office?: Office | null;
  department?: Named | null;
  team?: Named | null;
  costCenters?: Array<Named & { percentage: number }>;
  calendar?: Calendar | null;
  vacationEntitlement?: number | null;
  fixSalary?: number;
  fixSalaryInterval?: 'monthly' | 'yearly' | null;
  hourlySalary?: number;
  iban?: string | null;
  birthday?: string | null;
  title?: string | null;
}

const ref = (type: string, n: Named | null | undefined) =>
  n ? { type, attributes: { id: n.id, name: n.name } } : null;

/** One employee in the wire shape of the spec's `GET /company/employees` example. */
export function buildEmployee(f: NewEmployeeFields): PersonioEmployee {
  const currency = f.office?.currency ?? 'EUR';
  const localDate = (day: string | null | undefined) => (day ? `${day}T00:00:00${berlinOffset(day)}` : null);
  const attributes: PersonioEmployeeAttributes = {
    id: attr('ID', f.id, 'integer', 'id'),
    first_name: attr('First name', f.firstName, 'standard', 'first_name'),
    last_name: attr('Last name', f.lastName, 'standard', 'last_name'),
    preferred_name: attr('Name (preferred)', f.preferredName ?? null, 'standard', 'preferred_name'),
    email: attr('Email', f.email, 'standard', 'email'),
    gender: attr('Gender', f.gender ?? null, 'standard', 'gender'),
    status: attr('Status', f.status, 'standard', 'status'),
    position: attr('Position', f.position ?? null, 'standard', 'position'),
    supervisor: {
      label: 'Supervisor',
      value: f.supervisor ? shortEmployee(f.supervisor) : null,
      type: 'standard',
      universal_id: 'supervisor',
    },
    employment_type: attr('Employment type', f.employmentType ?? 'internal', 'standard', 'employment_type'),
    weekly_working_hours: attr('Weekly hours', f.weeklyHours ?? null, 'standard', 'weekly_working_hours'),
    hire_date: attr('Hire date', localDate(f.hireDate), 'date', 'hire_date'),
    contract_end_date: attr('Contract ends', null, 'date', 'contract_end_date'),
    termination_date: attr('Termination date', localDate(f.terminationDate), 'date', 'termination_date'),
    termination_type: attr(
      'Termination type',
      f.terminationDate ? 'resignation' : null,
      'standard',
      'termination_type',
    ),
    termination_reason: attr('Termination reason', null, 'standard', 'termination_reason'),
    probation_period_end: attr('Probation period end', null, 'date', 'probation_period_end'),
    created_at: attr('created_at', f.createdAt, 'date', 'created_at'),
    last_modified_at: attr('Last modified', f.createdAt, 'date', 'last_modified_at'),
    subcompany: attr(
      'Subcompany',
      ref('Subcompany', f.office?.subcompany),
      'standard',
      'subcompany',
    ) as PersonioEmployeeAttributes['subcompany'],
    office: attr(
      'Office',
      ref('Office', f.office),
      'standard',
      'office',
    ) as PersonioEmployeeAttributes['office'],
    department: attr(
      'Department',
      ref('Department', f.department),
      'standard',
      'department',
    ) as PersonioEmployeeAttributes['department'],
    cost_centers: attr(
      'Cost center',
      (f.costCenters ?? []).map((c) => ({
        type: 'CostCenter' as const,
        attributes: { id: c.id, name: c.name, percentage: c.percentage },
      })),
      'standard',
      'cost_centers',
    ),
    holiday_calendar: attr(
      'Public holidays',
      f.calendar ? { type: 'HolidayCalendar' as const, attributes: { ...f.calendar } } : null,
      'standard',
      'holiday_calendar',
    ),
    absence_entitlement: attr(
      'Absence entitlement',
      f.vacationEntitlement
        ? [
            {
              type: 'TimeOffType' as const,
              attributes: { ...pick(VACATION.attributes), entitlement: f.vacationEntitlement },
            },
            {
              type: 'TimeOffType' as const,
              attributes: { ...pick(HOME_OFFICE.attributes), entitlement: 20 },
            },
          ]
        : [],
      'standard',
      'absence_entitlement',
    ),
    work_schedule: attr(
      'Work schedule',
      {
        type: 'WorkSchedule',
        attributes: {
          id: 97188,
          name: 'Full-time, 40 hours without time tracking, (mon,tue,wed,thu,fri)',
          valid_from: null,
          monday: '08:00',
          tuesday: '08:00',
          wednesday: '08:00',
          thursday: '08:00',
          friday: '08:00',
          saturday: '00:00',
          sunday: '00:00',
        },
      },
      'standard',
      'work_schedule',
    ),
    fix_salary: { ...attr('Fix salary', f.fixSalary ?? 0, 'decimal', 'fix_salary'), currency },
    fix_salary_interval: attr(
      'Salary interval',
      f.fixSalaryInterval ?? null,
      'standard',
      'fix_salary_interval',
    ),
    hourly_salary: { ...attr('Hourly salary', f.hourlySalary ?? 0, 'decimal', 'hourly_salary'), currency },
    vacation_day_balance: attr(
      'Vacation day balance',
      f.vacationEntitlement ?? 0,
      'decimal',
      'vacation_day_balance',
    ),
    last_working_day: attr('Last day of work', localDate(f.terminationDate), 'date', 'last_working_day'),
    profile_picture: attr(
      'Profile Picture',
      `https://api.personio.de/v1/company/employees/${f.id}/profile-picture`,
      'standard',
      'profile_picture',
    ),
    team: attr('Team', ref('Team', f.team), 'standard', 'team') as PersonioEmployeeAttributes['team'],
    dynamic_24407: attr('Titel', f.title ?? null, 'standard', null),
    dynamic_21827: attr('IBAN', f.iban ?? null, 'standard', 'iban'),
    dynamic_180883: attr('Birthday', f.birthday ?? null, 'date', 'date_of_birth'),
  };
  // The spec types these attributes' `value` as a non-nullable object, so an employee without (say) a team has no
  // `team` attribute at all rather than `value: null`.
  for (const key of OBJECT_ATTRIBUTES) if (attributes[key]?.value === null) delete attributes[key];
  return { type: 'Employee', attributes };
}

const OBJECT_ATTRIBUTES = [
  'supervisor',
  'subcompany',
  'office',
  'department',
  'team',
  'holiday_calendar',
] as const;

function pick(a: TimeOffTypeRecord['attributes']) {
  return { id: a.id, name: a.name, category: a.category };
}

export function generateData(options: EmulatorDataOptions = {}): EmulatorData {
  const size = Math.max(1, Math.min(10_000, Math.floor(options.employees ?? 50)));
  const faker = new Faker({ locale: [de, en, base] });
  faker.seed(options.seed ?? 42);
  const today = options.today ?? dayOf(Date.now());
  const todayMs = dayMs(today);
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');

  const employees: PersonioEmployee[] = [];
  for (let i = 0; i < size; i++) {
    const id = FIRST_EMPLOYEE_ID + i;
    const gender = faker.helpers.weightedArrayElement([
      { weight: 48, value: 'male' },
      { weight: 48, value: 'female' },
      { weight: 4, value: 'diverse' },
    ]);
    const sex = gender === 'diverse' ? undefined : gender;
    const firstName = faker.person.firstName(sex);
    const lastName = faker.person.lastName();
    // The first employees are the executives, so supervisors always point at someone hired into the list earlier.
    const status =
      i < 5
        ? 'active'
        : faker.helpers.weightedArrayElement([
            { weight: 80, value: 'active' },
            { weight: 8, value: 'inactive' },
            { weight: 6, value: 'onboarding' },
            { weight: 6, value: 'leave' },
          ]);
    const hireMs =
      status === 'onboarding'
        ? todayMs + faker.number.int({ min: 1, max: 60 }) * DAY
        : todayMs - faker.number.int({ min: 30, max: 3650 }) * DAY;
    const hireDate = dayOf(hireMs);
    const terminationDate =
      status === 'inactive'
        ? dayOf(Math.min(todayMs - DAY, hireMs + faker.number.int({ min: 60, max: 900 }) * DAY))
        : null;
    const createdAt = iso(
      hireMs - faker.number.int({ min: 5, max: 60 }) * DAY + faker.number.int({ min: 0, max: DAY }),
    );
    const office = faker.helpers.arrayElement(OFFICES);
    // Most people use their office's holiday calendar, a few another one: offices still have a clear majority.
    const calendar = faker.datatype.boolean({ probability: 0.9 })
      ? office.calendar
      : faker.helpers.arrayElement(CALENDARS);
    const external = faker.datatype.boolean({ probability: 0.1 });
    const weeklyHours = external
      ? null
      : faker.helpers.arrayElement(['40', '40', '40', '38', '32', '30', '20']);
    const yearly = faker.datatype.boolean({ probability: 0.3 });
    const cc = faker.helpers.arrayElements(COST_CENTERS, { min: 1, max: 2 });
    const supervisorIndex =
      i < 1 ? null : i < 5 ? 0 : faker.number.int({ min: 0, max: Math.max(0, Math.floor(i / 8)) });
    employees.push(
      buildEmployee({
        id,
        firstName,
        lastName,
        preferredName: faker.datatype.boolean({ probability: 0.2 }) ? `${firstName} ${lastName}` : null,
        email: `${faker.helpers.slugify(`${firstName}.${lastName}`).toLowerCase()}.${id}@acme-demo.de`,
        gender,
        status,
        position: faker.person.jobTitle(),
        supervisor: supervisorIndex === null ? null : (employees[supervisorIndex] ?? null),
        employmentType: external ? 'external' : 'internal',
        weeklyHours,
        hireDate,
        terminationDate,
        createdAt,
        office,
        department: faker.helpers.arrayElement(DEPARTMENTS),
        team: faker.datatype.boolean({ probability: 0.8 }) ? faker.helpers.arrayElement(TEAMS) : null,
        costCenters: cc.map((c, k) => ({ ...c, percentage: cc.length === 1 ? 100 : k === 0 ? 60 : 40 })),
        calendar,
        vacationEntitlement: external ? null : faker.number.int({ min: 24, max: 30 }),
        fixSalary: external
          ? 0
          : yearly
            ? faker.number.int({ min: 40, max: 130 }) * 1000
            : faker.number.int({ min: 25, max: 95 }) * 100,
        fixSalaryInterval: external ? null : yearly ? 'yearly' : 'monthly',
        hourlySalary: external ? faker.number.int({ min: 40, max: 120 }) : 0,
        iban: faker.datatype.boolean({ probability: 0.85 })
          ? faker.finance.iban({ formatted: false, countryCode: office.currency === 'GBP' ? 'GB' : 'DE' })
          : null,
        birthday: dayOf(todayMs - faker.number.int({ min: 20 * 365, max: 64 * 365 }) * DAY),
        title: faker.datatype.boolean({ probability: 0.1 }) ? 'Dr' : null,
      }),
    );
  }

  // Time-offs: a few per employee around today, counted in working days, half days where they start or end.
  const timeOffs: PersonioTimeOff[] = [];
  let timeOffId = 5_000_001;
  for (const emp of employees) {
    if (emp.attributes.status?.value === 'onboarding') continue;
    const n = faker.number.int({ min: 0, max: 3 });
    for (let k = 0; k < n; k++) {
      const type = faker.helpers.weightedArrayElement([
        { weight: 60, value: VACATION },
        { weight: 25, value: SICK },
        { weight: 5, value: PARENTAL },
        { weight: 10, value: HOME_OFFICE },
      ]);
      let startMs = todayMs + faker.number.int({ min: -180, max: 90 }) * DAY;
      while (isWeekend(startMs)) startMs += DAY;
      let endMs = startMs + faker.number.int({ min: 0, max: 9 }) * DAY;
      while (isWeekend(endMs)) endMs += DAY;
      const start = dayOf(startMs);
      const end = dayOf(endMs);
      const halfStart = start !== end && faker.datatype.boolean({ probability: 0.1 });
      const halfEnd = faker.datatype.boolean({ probability: 0.1 });
      const days = workdays(start, end) - (halfStart ? 0.5 : 0) - (halfEnd ? 0.5 : 0);
      const createdMs = Math.min(startMs, todayMs) - faker.number.int({ min: 1, max: 30 }) * DAY + 36_000_000;
      const updatedMs = createdMs + faker.number.int({ min: 0, max: 5 }) * DAY;
      timeOffs.push({
        type: 'TimeOffPeriod',
        attributes: {
          id: timeOffId++,
          status: faker.helpers.weightedArrayElement([
            { weight: 70, value: 'approved' },
            { weight: 20, value: 'pending' },
            { weight: 10, value: 'rejected' },
          ]),
          start_date: `${start}T00:00:00${berlinOffset(start, false)}`,
          end_date: `${end}T00:00:00${berlinOffset(end, false)}`,
          days_count: Math.max(0.5, days),
          half_day_start: halfStart,
          half_day_end: halfEnd,
          time_off_type: { type: 'TimeOffType', attributes: pick(type.attributes) },
          employee: shortEmployee(emp),
          certificate: { status: type === SICK ? 'not-uploaded' : 'not-required' },
          created_at: berlinStamp(createdMs),
          created_by: faker.datatype.boolean({ probability: 0.3 }) ? 'API' : faker.person.fullName(),
          updated_at: berlinStamp(updatedMs),
        },
      });
    }
  }

  // Balances: entitlement minus approved days already started, and minus everything planned for the available one.
  const balances = new Map<number, PersonioBalanceRow[]>();
  for (const emp of employees) {
    const rows: PersonioBalanceRow[] = [];
    for (const ent of emp.attributes.absence_entitlement?.value ?? []) {
      let taken = 0;
      let planned = 0;
      for (const t of timeOffs) {
        const a = t.attributes;
        if (a.employee.attributes.id.value !== emp.attributes.id.value) continue;
        if (a.time_off_type?.attributes.id !== ent.attributes.id || a.status === 'rejected') continue;
        const started = dayMs((a.start_date ?? '').slice(0, 10)) <= todayMs;
        if (a.status === 'approved' && started) taken += a.days_count ?? 0;
        else planned += a.days_count ?? 0;
      }
      rows.push({
        id: ent.attributes.id,
        name: ent.attributes.name,
        category: ent.attributes.category ?? null,
        balance: ent.attributes.entitlement - taken,
        available_balance: ent.attributes.entitlement - taken - planned,
      });
    }
    balances.set(emp.attributes.id.value, rows);
  }

  // Attendances: about 40% of active staff track time, on the working days before today.
  const attendances: PersonioAttendance[] = [];
  let attendanceId = 9_000_001;
  const days: string[] = [];
  for (let t = todayMs - DAY; days.length < (options.attendanceDays ?? 10); t -= DAY)
    if (!isWeekend(t)) days.unshift(dayOf(t));
  for (const emp of employees) {
    if (emp.attributes.status?.value !== 'active' || !faker.datatype.boolean({ probability: 0.4 })) continue;
    for (const date of days) {
      const startMin = faker.number.int({ min: 28, max: 40 }) * 15;
      const endMin = startMin + faker.number.int({ min: 30, max: 40 }) * 15;
      const status = faker.helpers.weightedArrayElement([
        { weight: 85, value: 'confirmed' as const },
        { weight: 10, value: 'pending' as const },
        { weight: 5, value: 'rejected' as const },
      ]);
      const hhmm = (m: number) =>
        `${String(Math.floor(m / 60) % 24).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
      const project = faker.datatype.boolean({ probability: 0.3 })
        ? faker.helpers.arrayElement(PROJECTS)
        : null;
      attendances.push({
        id: attendanceId++,
        type: 'AttendancePeriod',
        attributes: {
          employee: emp.attributes.id.value,
          date,
          start_time: hhmm(startMin),
          end_time: status === 'pending' && faker.datatype.boolean() ? null : hhmm(endMin),
          break: faker.helpers.arrayElement([30, 45, 60]),
          comment: faker.datatype.boolean({ probability: 0.2 }) ? faker.lorem.sentence() : '',
          updated_at: `${date}T${hhmm(endMin + 5)}:00+00:00`,
          status,
          is_holiday: false,
          is_on_time_off: false,
          project: project
            ? { id: project.id, type: 'Project', attributes: { name: project.name, active: true } }
            : null,
        },
      });
    }
  }

  return {
    employees,
    attendances,
    timeOffs,
    timeOffTypes: TIME_OFF_TYPES,
    balances,
    subcompanies: SUBCOMPANIES,
    offices: OFFICES,
    departments: DEPARTMENTS,
    teams: TEAMS,
    costCenters: COST_CENTERS,
    calendars: CALENDARS,
    today,
  };
}
