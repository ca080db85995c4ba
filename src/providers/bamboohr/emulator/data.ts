/**
 * Seeded data for the BambooHR emulator, stored in BambooHR's own wire shapes (raw-types.ts) so tests can compare
 * the adapter's unified output with these records field by field. Every foreign key resolves: managers, departments,
 * divisions, locations and time-off types all exist.
 */
import { Faker, en } from '@faker-js/faker';
import type {
  BhCompanyInformation,
  BhEmployee,
  BhListField,
  BhLocation,
  BhTimeOffBalance,
  BhTimeOffRequest,
  BhTimesheetEntry,
} from '../raw.js';

export interface DataOptions {
  /** Number of employees (up to 10,000 and beyond; default 50). */
  employees?: number;
  seed?: number;
  companyDomain?: string;
  /** The emulator's "today" (`YYYY-MM-DD`); timesheets sit in the 365 days before it. Default: the real today. */
  today?: string;
}

export interface TimeOffType {
  id: number;
  name: string;
  units: 'hours' | 'days';
}

export interface EmulatorRecords {
  companyDomain: string;
  today: string;
  company: BhCompanyInformation;
  departments: Array<{ id: number; name: string }>;
  divisions: Array<{ id: number; name: string }>;
  /** Archived options stay in the lists (BambooHR keeps them for history) but are not current groups. */
  archivedDepartments: Array<{ id: number; name: string }>;
  locations: BhLocation[];
  /** Full employee records, every optional list-employees field filled in; ids ascending. */
  employees: BhEmployee[];
  /** Fields written at creation that list-employees does not return (ssn, gender, address…), by employee id. */
  extraFields: Map<string, Record<string, unknown>>;
  timeOffTypes: TimeOffType[];
  timeOffRequests: BhTimeOffRequest[];
  /** Calculator rows by employee id. */
  balances: Map<string, BhTimeOffBalance[]>;
  timesheetEntries: BhTimesheetEntry[];
}

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const DEPARTMENTS = [
  'Engineering',
  'Sales',
  'Marketing',
  'Customer Success',
  'Finance',
  'People',
  'Operations',
];
const DIVISIONS = ['North America', 'Europe', 'Asia Pacific'];
const JOB_TITLES = [
  'Software Engineer',
  'Senior Software Engineer',
  'Engineering Manager',
  'Account Executive',
  'Sales Manager',
  'Marketing Specialist',
  'Support Specialist',
  'Accountant',
  'HR Generalist',
  'Operations Analyst',
];
const EMPLOYMENT_STATUSES = [
  { id: '1', name: 'Full-Time', weight: 75 },
  { id: '2', name: 'Part-Time', weight: 15 },
  { id: '3', name: 'Contractor', weight: 7 },
  { id: '4', name: 'Intern', weight: 3 },
];
const TIME_OFF_TYPES: TimeOffType[] = [
  { id: 77, name: 'Vacation', units: 'hours' },
  { id: 78, name: 'Sick', units: 'hours' },
  { id: 79, name: 'Bereavement', units: 'days' },
  { id: 80, name: 'Jury Duty', units: 'days' },
  { id: 81, name: 'Comp/In Lieu Time', units: 'hours' },
];
const REQUEST_STATUSES = [
  'approved',
  'approved',
  'approved',
  'requested',
  'denied',
  'canceled',
  'superceded',
];

export function generateRecords(options: DataOptions = {}): EmulatorRecords {
  const count = Math.max(1, Math.floor(options.employees ?? 50));
  const faker = new Faker({ locale: [en] });
  faker.seed(options.seed ?? 42);
  const companyDomain = options.companyDomain ?? 'acme';
  const today = options.today ?? isoDay(Date.now());
  const todayMs = Date.parse(`${today}T00:00:00Z`);

  const companyName = faker.company.name();
  const company: BhCompanyInformation = {
    legalName: `${companyName} Inc.`,
    displayName: companyName,
    address: {
      line1: faker.location.streetAddress(),
      line2: 'Suite 200',
      city: faker.location.city(),
      state: faker.location.state({ abbreviated: true }),
      zip: faker.location.zipCode('#####'),
    },
    phone: faker.phone.number({ style: 'national' }),
  };

  const departments = DEPARTMENTS.map((name, i) => ({ id: 18_000 + i, name }));
  const archivedDepartments = [{ id: 18_100, name: 'Legacy Projects' }];
  const divisions = DIVISIONS.map((name, i) => ({ id: 19_000 + i, name }));

  const locationCount = 5;
  const locations: BhLocation[] = Array.from({ length: locationCount }, (_, i) => {
    const remote = i === locationCount - 1;
    const state = faker.location.state({ abbreviated: true });
    return {
      id: String(500 + i),
      label: remote ? 'Remote' : `${faker.location.city()} Office`,
      archived: false,
      manageable: true,
      address: remote
        ? {
            address1: null,
            address2: null,
            city: null,
            stateId: null,
            zipcode: null,
            countryId: null,
            timezone: 'America/Denver',
            remoteLocation: true,
          }
        : {
            address1: faker.location.streetAddress(),
            address2: i % 2 === 0 ? `Floor ${i + 2}` : null,
            city: faker.location.city(),
            stateId: String(40 + i),
            state: { id: String(40 + i), name: state, abbreviation: state },
            zipcode: faker.location.zipCode('#####'),
            countryId: '1',
            country: { id: '1', name: 'United States', isoCode: 'US' },
            timezone: 'America/Denver',
            remoteLocation: false,
          },
      createdAt: new Date(todayMs - (1000 + i * 30) * DAY_MS).toISOString(),
      archivedAt: null,
    };
  });

  const employees: BhEmployee[] = [];
  const managerPool = Math.max(1, Math.ceil(count / 10));
  for (let i = 0; i < count; i++) {
    const id = String(100 + i);
    const firstName = faker.person.firstName();
    const lastName = faker.person.lastName();
    const dept = faker.helpers.arrayElement(departments);
    const div = faker.helpers.arrayElement(divisions);
    const loc = faker.helpers.arrayElement(locations);
    const manager =
      i === 0 ? undefined : employees[faker.number.int({ min: 0, max: Math.min(i, managerPool) - 1 })];
    const employment = faker.helpers.weightedArrayElement(
      EMPLOYMENT_STATUSES.map((s) => ({ value: s, weight: s.weight })),
    );
    const jobTitle = faker.helpers.arrayElement(JOB_TITLES);
    const hire = todayMs - faker.number.int({ min: 30, max: 3_500 }) * DAY_MS;
    const birth = Date.UTC(
      faker.number.int({ min: 1960, max: 2002 }),
      faker.number.int({ min: 0, max: 11 }),
      15,
    );
    const preferred = faker.number.int({ min: 0, max: 9 }) === 0 ? faker.person.firstName() : null;
    employees.push({
      employeeId: id,
      firstName,
      lastName,
      preferredName: preferred,
      photoUrl: i % 3 === 0 ? null : `https://${companyDomain}.bamboohr.com/images/photo_person_${id}.jpg`,
      jobTitleName: jobTitle,
      status: faker.number.int({ min: 0, max: 9 }) === 0 && i !== 0 ? 'Inactive' : 'Active',
      _restrictedFields: [],
      workEmail: `${firstName}.${lastName}.${id}@${companyDomain}.example.com`
        .toLowerCase()
        .replace(/[^a-z0-9.@-]/g, ''),
      homeEmail: faker.internet.email({ firstName, lastName }).toLowerCase(),
      bestEmail: null,
      middleName: faker.number.int({ min: 0, max: 3 }) === 0 ? faker.person.middleName() : null,
      workPhone: faker.phone.number({ style: 'national' }),
      workPhoneExtension: null,
      mobilePhone: faker.phone.number({ style: 'national' }),
      homePhone: null,
      birthDate: isoDay(birth),
      hireDate: isoDay(hire),
      divisionName: div.name,
      divisionId: String(div.id),
      departmentName: dept.name,
      departmentId: String(dept.id),
      locationName: loc.label ?? null,
      locationId: loc.id,
      jobTitleId: String(JOB_TITLES.indexOf(jobTitle) + 1),
      employmentStatusName: employment.name,
      employmentStatusId: employment.id,
      reportsToName: manager ? `${manager.firstName} ${manager.lastName}` : null,
      reportsToId: manager ? manager.employeeId : null,
    });
  }

  const timeOffRequests: BhTimeOffRequest[] = [];
  const balances = new Map<string, BhTimeOffBalance[]>();
  let requestId = 1_000;
  for (const e of employees) {
    const n = faker.number.int({ min: 0, max: 2 });
    for (let k = 0; k < n; k++) {
      const type = faker.helpers.arrayElement(TIME_OFF_TYPES);
      const startMs = todayMs + faker.number.int({ min: -300, max: 200 }) * DAY_MS;
      const days = faker.number.int({ min: 1, max: 5 });
      const dates: Record<string, number> = {};
      for (let d = 0; d < days; d++) dates[isoDay(startMs + d * DAY_MS)] = type.units === 'hours' ? 8 : 1;
      const status = faker.helpers.arrayElement(REQUEST_STATUSES);
      const created = startMs - faker.number.int({ min: 3, max: 40 }) * DAY_MS;
      timeOffRequests.push({
        id: requestId++,
        employeeId: Number(e.employeeId),
        name: `${e.firstName} ${e.lastName}`,
        start: isoDay(startMs),
        end: isoDay(startMs + (days - 1) * DAY_MS),
        created: isoDay(created),
        status: { lastChanged: isoDay(created + DAY_MS), lastChangedByUserId: 2, status },
        type: { id: type.id, name: type.name, icon: 'palm-trees' },
        amount: { unit: type.units, amount: type.units === 'hours' ? days * 8 : days },
        actions: { view: true, edit: false, cancel: false, approve: false, deny: false, bypass: false },
        dates,
        notes: k === 0 ? { employee: faker.lorem.sentence(), manager: '' } : {},
      });
    }
    balances.set(
      e.employeeId,
      TIME_OFF_TYPES.slice(0, 3).map((t) => ({
        timeOffType: String(t.id),
        name: t.name,
        units: t.units,
        balance: (faker.number.int({ min: 0, max: 1600 }) / 10).toFixed(2),
        end: today,
        policyType: t.name === 'Bereavement' ? ('discretionary' as const) : ('accruing' as const),
        usedYearToDate: (faker.number.int({ min: 0, max: 800 }) / 10).toFixed(2),
      })),
    );
  }

  const timesheetEntries: BhTimesheetEntry[] = [];
  let entryId = 50_000;
  for (const e of employees.slice(0, Math.min(employees.length, 200))) {
    for (let k = 0; k < 4; k++) {
      const dayMs = todayMs - faker.number.int({ min: 1, max: 300 }) * DAY_MS;
      const date = isoDay(dayMs);
      const clock = k % 2 === 0;
      const startMs = dayMs + (13 + faker.number.int({ min: 0, max: 3 })) * 3_600_000;
      const minutes = faker.number.int({ min: 4, max: 9 }) * 60 + faker.helpers.arrayElement([0, 15, 30, 45]);
      const created = new Date(startMs + minutes * 60_000 + 60_000).toISOString();
      timesheetEntries.push({
        id: entryId++,
        employeeId: Number(e.employeeId),
        type: clock ? 'clock' : 'hour',
        date,
        start: clock ? new Date(startMs).toISOString() : null,
        end: clock ? new Date(startMs + minutes * 60_000).toISOString() : null,
        timezone: 'America/Denver',
        hours: Math.round((minutes / 60) * 100) / 100,
        note: k === 1 ? 'Client workshop' : null,
        projectInfo: k === 1 ? { project: { id: 3, name: 'Onboarding' }, task: null } : null,
        approvedAt: k === 0 ? created : null,
        approved: k === 0,
        createdAt: created,
        updatedAt: k === 2 ? new Date(Date.parse(created) + DAY_MS).toISOString() : null,
      });
    }
  }

  return {
    companyDomain,
    today,
    company,
    departments,
    divisions,
    archivedDepartments,
    locations,
    employees,
    extraFields: new Map(),
    timeOffTypes: TIME_OFF_TYPES,
    timeOffRequests,
    balances,
    timesheetEntries,
  };
}

/** GET /api/v1/meta/lists as BambooHR shapes it. */
export function listFields(records: EmulatorRecords): BhListField[] {
  const created = `${records.today}T00:00:00+00:00`;
  return [
    {
      fieldId: '4',
      name: 'Department',
      alias: 'department',
      manageable: 'yes',
      multiple: 'no',
      options: [
        ...records.departments.map((d) => ({
          id: d.id,
          name: d.name,
          archived: 'no',
          createdDate: created,
          archivedDate: null,
        })),
        ...records.archivedDepartments.map((d) => ({
          id: d.id,
          name: d.name,
          archived: 'yes',
          createdDate: created,
          archivedDate: created,
        })),
      ],
    },
    {
      fieldId: '1355',
      name: 'Division',
      alias: 'division',
      manageable: 'yes',
      multiple: 'no',
      options: records.divisions.map((d) => ({
        id: d.id,
        name: d.name,
        archived: 'no',
        createdDate: created,
        archivedDate: null,
      })),
    },
    {
      fieldId: '3',
      name: 'Location',
      alias: 'location',
      manageable: 'yes',
      multiple: 'no',
      options: records.locations.map((l) => ({
        id: Number(l.id),
        name: l.label ?? '',
        archived: 'no',
        createdDate: created,
        archivedDate: null,
      })),
    },
    {
      fieldId: '1360',
      name: 'Employment Status',
      alias: 'employmentHistoryStatus',
      manageable: 'yes',
      multiple: 'no',
      options: EMPLOYMENT_STATUSES.map((s) => ({
        id: Number(s.id),
        name: s.name,
        archived: 'no',
        createdDate: created,
        archivedDate: null,
      })),
    },
  ];
}

export { EMPLOYMENT_STATUSES };
