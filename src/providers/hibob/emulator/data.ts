/**
 * Seeded data for the HiBob emulator. Employees are kept as HiBob keeps them: one machine value per field id (list
 * fields hold named-list item ids) plus the human-readable names of list fields, so the server can answer any field
 * selection in both forms. Every reference resolves: departments, sites and other list values to `/company/
 * named-lists`, managers to employees, salaries, requests and balances to employees and policy types.
 *
 * Time off is dated around `today` (the real date unless given), so the adapter's default window always finds it.
 */
import { base, en, Faker } from '@faker-js/faker';
import type {
  HibobBalance,
  HibobField,
  HibobListItem,
  HibobNamedList,
  HibobOut,
  HibobSalaryEntry,
} from '../raw.js';

export interface HibobDataOptions {
  employees?: number;
  seed?: number;
  /** `YYYY-MM-DD`; default today (UTC). */
  today?: string;
}

/** One employee as the emulator stores it. */
export interface EmulatorEmployee {
  id: string;
  /** Only active employees are found without `showInactive`, and only they are "out". */
  active: boolean;
  /** Field id (`work.department`) → machine value. */
  machine: Record<string, unknown>;
  /** Field id → name, for list fields. */
  human: Record<string, unknown>;
}

export interface EmulatorPolicyType {
  name: string;
  activity: 'paidTimeoff' | 'unpaidTimeoff' | 'workTime';
  unit: 'days' | 'hours';
  allowance: number;
}

export interface HibobEmulatorData {
  companyId: number;
  today: string;
  fields: HibobField[];
  lists: HibobNamedList[];
  employees: EmulatorEmployee[];
  /** Employee id → salary entries, oldest first. */
  salaries: Map<string, HibobSalaryEntry[]>;
  policyTypes: EmulatorPolicyType[];
  /** Who's-out requests (active employees), each within one range. */
  requests: HibobOut[];
  /** The balance of (employee, policy type); undefined when the employee has no policy of that type. */
  balance(employeeId: string, policyType: string): HibobBalance | undefined;
}

/** The machine values of these fields are named-list item ids; the list each draws from. */
export const LIST_FIELDS: Readonly<Record<string, string>> = {
  'work.department': 'department',
  'personal.gender': 'gender',
  'personal.nationality': 'nationalities',
  'internal.lifecycleStatus': 'lifecycleStatus',
  'payroll.employment.type': 'payrollEmploymentType',
  'payroll.employment.contract': 'payrollContract',
  'address.country': 'country',
};

const DEPARTMENTS: Array<[string, string[]]> = [
  ['Engineering', ['Platform', 'Mobile']],
  ['Product', []],
  ['Sales', ['Customer Success']],
  ['People', []],
  ['Finance', []],
];
const SITES: Array<{ name: string; country: string; currency: string }> = [
  { name: 'London', country: 'United Kingdom', currency: 'GBP' },
  { name: 'New York', country: 'United States', currency: 'USD' },
  { name: 'Tel Aviv', country: 'Israel', currency: 'ILS' },
  { name: 'Berlin', country: 'Germany', currency: 'EUR' },
];
const NATIONALITIES = ['British', 'American', 'Israeli', 'German', 'French'];
const SIMPLE_LISTS: Record<string, string[]> = {
  gender: ['Male', 'Female', 'Non-binary'],
  lifecycleStatus: ['Employed', 'Hired', 'Terminated', 'Garden leave'],
  payrollEmploymentType: ['Permanent', 'Temporary', 'Contractor', 'Apprentice'],
  payrollContract: ['Full-Time', 'Part-Time', 'Shifts'],
};
const POLICY_TYPES: EmulatorPolicyType[] = [
  { name: 'Holiday', activity: 'paidTimeoff', unit: 'days', allowance: 25 },
  { name: 'Sick', activity: 'paidTimeoff', unit: 'days', allowance: 10 },
  { name: 'Time off in lieu', activity: 'paidTimeoff', unit: 'hours', allowance: 16 },
];
const PAY_FREQUENCIES = ['Monthly', 'Semi Monthly', 'Bi-Weekly', 'Weekly'];
const RAISE_REASONS = ['Annual review', 'Promotion', 'Market adjustment'];

/** The fields the emulator knows, as `GET /company/people/fields` lists them. */
const FIELD_DEFS: Array<{ id: string; name: string; type: string }> = [
  { id: 'root.id', name: 'Employee ID', type: 'text' },
  { id: 'root.firstName', name: 'First name', type: 'text' },
  { id: 'root.surname', name: 'Last name', type: 'text' },
  { id: 'root.email', name: 'Email', type: 'text' },
  { id: 'root.displayName', name: 'Display name', type: 'text' },
  { id: 'root.fullName', name: 'Full name', type: 'text' },
  { id: 'root.creationDateTime', name: 'Creation date', type: 'date' },
  { id: 'root.avatarUrl', name: 'Avatar URL', type: 'text' },
  { id: 'root.companyId', name: 'Company ID', type: 'number' },
  { id: 'work.title', name: 'Job title', type: 'text' },
  { id: 'work.department', name: 'Department', type: 'hierarchy-list' },
  { id: 'work.site', name: 'Site', type: 'text' },
  { id: 'work.siteId', name: 'Site ID', type: 'number' },
  { id: 'work.startDate', name: 'Start date', type: 'date' },
  { id: 'work.reportsTo', name: 'Reports to', type: 'employee-reference' },
  { id: 'work.employeeIdInCompany', name: 'Employee ID in company', type: 'number' },
  { id: 'work.mobilePhone', name: 'Work mobile', type: 'text' },
  { id: 'internal.status', name: 'Status', type: 'text' },
  { id: 'internal.terminationDate', name: 'Termination date', type: 'date' },
  { id: 'internal.lifecycleStatus', name: 'Lifecycle status', type: 'list' },
  { id: 'personal.gender', name: 'Gender', type: 'list' },
  { id: 'personal.birthDate', name: 'Date of birth', type: 'date' },
  { id: 'personal.nationality', name: 'Nationality', type: 'multi-list' },
  { id: 'home.mobilePhone', name: 'Personal mobile', type: 'text' },
  { id: 'home.privateEmail', name: 'Personal email', type: 'text' },
  { id: 'address.line1', name: 'Address line 1', type: 'text' },
  { id: 'address.line2', name: 'Address line 2', type: 'text' },
  { id: 'address.city', name: 'City', type: 'text' },
  { id: 'address.postCode', name: 'Postal code', type: 'text' },
  { id: 'address.country', name: 'Country', type: 'list' },
  { id: 'payroll.employment.type', name: 'Employment type', type: 'list' },
  { id: 'payroll.employment.contract', name: 'Contract', type: 'list' },
  { id: 'work.custom.field_1711886937296', name: 'Shirt size', type: 'text' },
  { id: 'work.custom.field_1711886951123', name: 'Parking spot', type: 'number' },
];

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** HiBob's ids are 19-digit numeric strings; list item ids are 9-digit numbers. */
function backendId(faker: Faker): string {
  return `33328${faker.string.numeric(14)}`;
}

export function generateHibobData(options: HibobDataOptions = {}): HibobEmulatorData {
  const count = Math.max(1, Math.min(20_000, options.employees ?? 50));
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const faker = new Faker({ locale: [en, base] });
  faker.seed(options.seed ?? 42);
  const companyId = faker.number.int({ min: 100_000, max: 999_999 });

  let nextItemId = 209_192_100;
  const item = (value: string, children: HibobListItem[] = []): HibobListItem => ({
    id: nextItemId++,
    value,
    name: value,
    archived: false,
    children,
  });
  const departmentList: HibobListItem[] = DEPARTMENTS.map(([name, subs]) =>
    item(
      name,
      subs.map((s) => item(s)),
    ),
  );
  const siteItems = SITES.map((s) => item(s.name));
  const lists: HibobNamedList[] = [
    { name: 'department', items: departmentList },
    { name: 'site', items: siteItems },
    { name: 'nationalities', items: NATIONALITIES.map((n) => item(n)) },
    { name: 'country', items: SITES.map((s) => item(s.country)) },
    ...Object.entries(SIMPLE_LISTS).map(([name, values]) => ({ name, items: values.map((v) => item(v)) })),
  ];
  const listItems = (name: string) => {
    const found = lists.find((l) => l.name === name)?.items ?? [];
    const all: HibobListItem[] = [];
    const walk = (items: HibobListItem[]) => {
      for (const i of items) {
        all.push(i);
        walk(i.children ?? []);
      }
    };
    walk(found);
    return all;
  };
  const byValue = (list: string, value: string) => {
    const found = listItems(list).find((i) => i.value === value);
    if (!found) throw new Error(`no ${value} in list ${list}`);
    return found;
  };
  const fields: HibobField[] = FIELD_DEFS.map((f) => {
    const [category = 'root'] = f.id.split('.');
    const listId = LIST_FIELDS[f.id];
    return {
      id: f.id,
      categoryId: category,
      category,
      name: f.name,
      jsonPath: f.id,
      type: f.type,
      ...(listId ? { typeData: { listId } } : {}),
      historical: f.id.startsWith('work.') || f.id.startsWith('payroll.'),
    };
  });

  const employees: EmulatorEmployee[] = [];
  const salaries = new Map<string, HibobSalaryEntry[]>();
  const departments = listItems('department');
  for (let i = 0; i < count; i++) {
    const id = backendId(faker);
    const first = faker.person.firstName();
    const last = faker.person.lastName();
    const email = `${first}.${last}.${i}@acme.example`.toLowerCase().replace(/[^a-z0-9.@]/g, '');
    const siteIndex = i % SITES.length;
    const site = SITES[siteIndex] ?? SITES[0]!;
    const siteItem = siteItems[siteIndex] ?? siteItems[0]!;
    const dept = faker.helpers.arrayElement(departments);
    const roll = faker.number.int({ min: 1, max: 100 });
    // The first employee (everyone's manager) is always employed; the next three cover the other statuses.
    const lifecycle =
      (['Employed', 'Terminated', 'Hired', 'Garden leave'] as const)[i] ??
      (roll <= 80 ? 'Employed' : roll <= 87 ? 'Hired' : roll <= 93 ? 'Terminated' : 'Garden leave');
    const active = lifecycle !== 'Terminated';
    const startDate =
      lifecycle === 'Hired'
        ? addDays(today, faker.number.int({ min: 1, max: 60 }))
        : addDays(today, -faker.number.int({ min: 120, max: 2_500 }));
    const termination = active ? null : addDays(today, -faker.number.int({ min: 1, max: 100 }));
    const type = faker.helpers.weightedArrayElement([
      { value: 'Permanent', weight: 7 },
      { value: 'Temporary', weight: 1 },
      { value: 'Contractor', weight: 1 },
      { value: 'Apprentice', weight: 1 },
    ]);
    const contract = faker.helpers.weightedArrayElement([
      { value: 'Full-Time', weight: 7 },
      { value: 'Part-Time', weight: 2 },
      { value: 'Shifts', weight: 1 },
    ]);
    const gender = faker.helpers.arrayElement(SIMPLE_LISTS['gender'] ?? []);
    const nationality = NATIONALITIES[siteIndex] ?? 'British';
    const manager = i === 0 ? null : employees[faker.number.int({ min: 0, max: Math.min(i - 1, 9) })];
    const created = `${addDays(startDate, -faker.number.int({ min: 5, max: 40 }))}T09:12:21.680867`;
    const machine: Record<string, unknown> = {
      'root.id': id,
      'root.firstName': first,
      'root.surname': last,
      'root.email': email,
      'root.displayName': `${first} ${last}`,
      'root.fullName': `${first} ${last}`,
      'root.creationDateTime': created,
      'root.avatarUrl': `https://images.hibob.example/avatars/${id}.png`,
      'root.companyId': companyId,
      'work.title': faker.person.jobTitle(),
      'work.department': String(dept.id),
      'work.site': site.name,
      'work.siteId': siteItem.id,
      'work.startDate': startDate,
      'work.reportsTo': manager
        ? {
            id: manager.id,
            firstName: manager.machine['root.firstName'],
            surname: manager.machine['root.surname'],
            email: manager.machine['root.email'],
            displayName: manager.machine['root.displayName'],
          }
        : null,
      'work.employeeIdInCompany': i + 1,
      'work.mobilePhone': i % 3 === 0 ? faker.phone.number({ style: 'international' }) : null,
      'internal.status': active ? 'Active' : 'Inactive',
      'internal.terminationDate': termination,
      'internal.lifecycleStatus': String(byValue('lifecycleStatus', lifecycle).id),
      'personal.gender': String(byValue('gender', gender).id),
      'personal.birthDate': faker.date
        .birthdate({ mode: 'age', min: 21, max: 64, refDate: `${today}T00:00:00Z` })
        .toISOString()
        .slice(0, 10),
      'personal.nationality': [String(byValue('nationalities', nationality).id)],
      'home.mobilePhone': faker.phone.number({ style: 'international' }),
      'home.privateEmail': `${first}${i}@mail.example`.toLowerCase().replace(/[^a-z0-9.@]/g, ''),
      'address.line1': faker.location.streetAddress(),
      'address.line2': i % 4 === 0 ? `Flat ${faker.number.int({ min: 1, max: 40 })}` : null,
      'address.city': site.name,
      'address.postCode': faker.location.zipCode(),
      'address.country': String(byValue('country', site.country).id),
      'payroll.employment.type': String(byValue('payrollEmploymentType', type).id),
      'payroll.employment.contract': String(byValue('payrollContract', contract).id),
      'work.custom.field_1711886937296': faker.helpers.arrayElement(['S', 'M', 'L', 'XL']),
      'work.custom.field_1711886951123': i % 5 === 0 ? faker.number.int({ min: 1, max: 200 }) : null,
    };
    const human: Record<string, unknown> = {
      'work.department': dept.value,
      'internal.lifecycleStatus': lifecycle,
      'personal.gender': gender,
      'personal.nationality': [nationality],
      'address.country': site.country,
      'payroll.employment.type': type,
      'payroll.employment.contract': contract,
    };
    employees.push({ id, active, machine, human });

    // 1 to 3 salary entries; the newest is current. Hourly contractors, salaried everyone else.
    const hourly = type === 'Contractor';
    const entries: HibobSalaryEntry[] = [];
    let rate = hourly
      ? faker.number.int({ min: 3_000, max: 12_000 }) / 100
      : faker.number.int({ min: 35, max: 150 }) * 1_000;
    let effective = startDate;
    const n = faker.number.int({ min: 1, max: 3 });
    const frequency = hourly ? 'Weekly' : faker.helpers.arrayElement(PAY_FREQUENCIES);
    for (let k = 0; k < n; k++) {
      entries.push({
        id: faker.number.int({ min: 10_000_000, max: 99_999_999 }),
        effectiveDate: effective,
        isCurrent: k === n - 1,
        base: { value: rate, currency: site.currency },
        payPeriod: hourly ? 'Hourly' : 'Annual',
        payFrequency: frequency,
        change: {
          reason: k === 0 ? 'New hire' : faker.helpers.arrayElement(RAISE_REASONS),
          changedBy: 'Service User',
          changedById: '3332883804594373380',
        },
        creationDate: effective,
        modificationDate: effective,
        canBeDeleted: true,
        customColumns: {},
      });
      const previous = entries[k - 1];
      if (previous) previous.endEffectiveDate = addDays(effective, -1);
      effective = addDays(effective, faker.number.int({ min: 180, max: 400 }));
      if (effective > today) break;
      rate = Math.round(rate * (1 + faker.number.int({ min: 2, max: 12 }) / 100) * 100) / 100;
    }
    salaries.set(id, entries);
  }

  // Requests of every duration type the spec describes, around today, for active employees.
  const requests: HibobOut[] = [];
  let requestId = 27_500_000;
  for (const e of employees) {
    if (!e.active) continue;
    const name = e.machine['root.displayName'] as string;
    const k = faker.number.int({ min: 0, max: 3 });
    for (let r = 0; r < k; r++) {
      const start = addDays(today, faker.number.int({ min: -150, max: 150 }));
      const kind = faker.helpers.arrayElement([
        'days',
        'halfStart',
        'halfDay',
        'portion',
        'hours',
        'hoursRange',
      ]);
      const policy =
        kind === 'hours' || kind === 'hoursRange'
          ? 'Time off in lieu'
          : faker.helpers.arrayElement(['Holiday', 'Sick']);
      const common = {
        requestId: requestId++,
        employeeId: e.id,
        policyType: policy,
        policyTypeDisplayName: policy,
        status: start < today || faker.datatype.boolean() ? 'Approved' : 'Pending',
        employeeDisplayName: name,
        visibility: 'Public' as const,
      };
      const length = faker.number.int({ min: 1, max: 5 });
      switch (kind) {
        case 'days':
          requests.push({
            ...common,
            type: 'days',
            startDate: start,
            startPortion: 'all_day',
            endDate: addDays(start, length - 1),
            endPortion: 'all_day',
          });
          break;
        case 'halfStart':
          requests.push({
            ...common,
            type: 'days',
            startDate: start,
            startPortion: 'afternoon',
            endDate: addDays(start, length),
            endPortion: 'all_day',
          });
          break;
        case 'halfDay':
          requests.push({
            ...common,
            type: 'days',
            startDate: start,
            startPortion: 'morning',
            endDate: start,
            endPortion: 'morning',
          });
          break;
        case 'portion':
          requests.push({
            ...common,
            type: 'portionOnRange',
            startDate: start,
            endDate: addDays(start, length - 1),
            dayPortion: 'afternoon',
          });
          break;
        case 'hours':
          requests.push({
            ...common,
            type: 'hours',
            date: start,
            hoursOnDate: faker.number.int({ min: 1, max: 6 }),
            minutes: faker.helpers.arrayElement([0, 15, 30, 45]),
          });
          break;
        default:
          requests.push({
            ...common,
            type: 'hoursOnRange',
            startDate: start,
            endDate: addDays(start, length - 1),
            dailyHours: faker.helpers.arrayElement([1.5, 2, 4]),
          });
      }
    }
  }

  // Balances are derived from the ids, so 10,000 employees cost nothing until asked for.
  const ids = new Map(employees.map((e, index) => [e.id, { e, index }]));
  const balance = (employeeId: string, policyType: string): HibobBalance | undefined => {
    const found = ids.get(employeeId);
    const type = POLICY_TYPES.find((p) => p.name === policyType);
    if (!found || !type || !found.e.active) return undefined;
    // Every seventh employee has no time-off-in-lieu policy.
    if (type.unit === 'hours' && found.index % 7 === 3) return undefined;
    // Mostly within the allowance; every so often beyond it, which HiBob shows as a negative balance.
    const taken = ((found.index * 7 + type.allowance) % (2 * type.allowance + 8)) / 2;
    const adjustments = found.index % 5 === 0 ? -2 : 0;
    const starting = type.unit === 'hours' ? 0 : 2;
    const total = starting + type.allowance + adjustments - taken;
    return {
      employeeId,
      totalBalanceAsOfDate: total,
      totalRoundedBalanceAsOfDate: Math.round(total * 2) / 2,
      pointInTime: today,
      startingBalance: starting,
      startingBalanceAsOf: `${today.slice(0, 4)}-01-01`,
      totalTaken: taken,
      totalAdminAdjustments: adjustments,
      totalSystemAdjustments: 0,
      annualAllowance: type.allowance,
      policy: `${policyType} ${type.unit === 'hours' ? 'TOIL' : 'UK'} policy`,
    };
  };

  return {
    companyId,
    today,
    fields,
    lists,
    employees,
    salaries,
    policyTypes: POLICY_TYPES,
    requests,
    balance,
  };
}
