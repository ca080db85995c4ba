/**
 * The sandbox company: a deterministic function of (seed, size, asOf[, churn, epoch]). Every entity draws from its
 * own sub-seed (`seed/employee/42`, `seed/payrun/…`), so one employee or one payrun's payslips can be produced
 * without the rest, and adding employee 51 never changes employees 0–50.
 *
 * Heavy, rarely read parts (time-off, timesheets, payslips) are derived lazily in their own modules from the
 * dataset built here.
 */
import type {
  Company,
  CompensationHistorySchema,
  EmploymentHistorySchema,
  Employee,
  Group,
  Identity,
  Location,
  Payrun,
} from '../../model/index.js';
import type { Static } from '@sinclair/typebox';
import { fromDay, monthEnd, monthStart, nextWorkingDay, previousWorkingDay, toDay } from './dates.js';
import {
  BANKS,
  COMPANY_WORDS,
  COUNTRY_INFO,
  type CountryInfo,
  countryInfo,
  DEPARTMENTS,
  type Department,
  HOME_COUNTRIES,
  LANGUAGES,
  T_SHIRT_SIZES,
} from './locale-data.js';
import { englishFaker } from './english-faker.js';
import { opaqueId, Rng, seedOf } from './random.js';

export {
  deepFreeze,
  type EmployeeFacts,
  MAX_EMPLOYEES,
  type SandboxDataset,
  type SandboxOptions,
  worksOn,
} from './dataset.js';
import type { EmployeeFacts, SandboxDataset, SandboxOptions } from './dataset.js';
import { deepFreeze, MAX_EMPLOYEES } from './dataset.js';

type CompensationEntry = Static<typeof CompensationHistorySchema>;
type EmploymentEntry = Static<typeof EmploymentHistorySchema>;

// One instance for the whole module: generation is synchronous, so nothing interleaves between seed() and use.
const faker = englishFaker();

/**
 * `123 Maple Avenue`: faker's `location.streetAddress()` shape (building number, a name and a street suffix) drawn
 * from its word lists directly; its template engine cost a fifth of generating an employee.
 */
function streetAddress(): string {
  const number = faker.number.int({ min: 1, max: faker.datatype.boolean(0.3) ? 99_999 : 9_999 });
  const name = faker.datatype.boolean() ? faker.person.firstName() : faker.person.lastName();
  return `${number} ${name} ${faker.helpers.arrayElement(faker.definitions.location.street_suffix)}`;
}

interface Plan {
  status: Employee['employment_status'];
  type: NonNullable<Employee['employment_type']>;
  /** Index into the dataset's department list (0 = Leadership). */
  dept: number;
}

interface DeptGroups {
  department: Department;
  group: Group;
  teams: Group[];
  costCentre: Group;
}

interface Builder {
  seed: string;
  n: number;
  asOfDay: number;
  foundedDay: number;
  domain: string;
  home: CountryInfo;
  locations: Location[];
  locationWeights: [number, number][];
  depts: DeptGroups[];
  payGroups: Map<string, Group>;
  employees: Employee[];
  facts: EmployeeFacts[];
  /** Per department, indices of employees who can manage others, senior first. */
  leads: number[][];
  emails: Set<string>;
}

const LEADERSHIP: Department = {
  name: 'Leadership',
  code: '100',
  head: 'Chief Executive Officer',
  teams: ['Executive'],
  titles: ['Chief of Staff', 'Executive Assistant', 'Strategy Lead', 'Chief of Staff'],
  baseSalary: 90_000,
};

/** Builds the whole company. Prefer `getDataset` (memoised); call this directly only to measure. */
export function generateDataset(input: SandboxOptions): SandboxDataset {
  const options: Required<SandboxOptions> = { churn: 0, epoch: 0, ...input };
  const { seed, employees: n, asOf } = options;
  if (!Number.isInteger(n) || n < 1 || n > MAX_EMPLOYEES) {
    throw new RangeError(`employees must be an integer in 1..${MAX_EMPLOYEES}`);
  }
  const asOfDay = toDay(asOf);

  const rng = Rng.of(seed, 'company');
  faker.seed(seedOf(seed, 'company'));
  const home = countryInfo(rng.pick(HOME_COUNTRIES));
  const displayName = `${faker.person.lastName()} ${rng.pick(COMPANY_WORDS)}`;
  const slug = displayName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  const foundedDay = asOfDay - rng.int(6, 14) * 365 - rng.int(0, 364);
  const hqCity = rng.pick(home.cities);
  const company: Company = {
    id: opaqueId('com', seed, 'company'),
    remote_id: '1',
    legal_name: `${displayName} ${home.legalSuffix}`,
    display_name: displayName,
    tax_id: faker.helpers.replaceSymbols(home.companyTaxId),
    address: {
      street_address: streetAddress(),
      locality: hqCity[0],
      administrative_area: hqCity[1],
      country: home.code,
      post_code: faker.helpers.replaceSymbols(home.postCode),
    },
  };

  const locations = buildLocations(seed, n, home, hqCity, company);
  const locationWeights: [number, number][] = locations.map((loc, i) => [
    i,
    i === 0 ? 45 : loc.type === 'remote' ? 10 : 20,
  ]);

  const deptCount = Math.max(1, Math.min(DEPARTMENTS.length, Math.ceil(n / 12), n - 1));
  const groups: Group[] = [];
  let groupNo = 0;
  const group = (type: NonNullable<Group['type']>, name: string): Group => {
    const g: Group = { id: opaqueId('grp', seed, type, name), remote_id: String(++groupNo), name, type };
    groups.push(g);
    return g;
  };
  const deptList = [LEADERSHIP, ...DEPARTMENTS.slice(0, deptCount)];
  const depts: DeptGroups[] = deptList.map((department, d) => {
    const expected = d === 0 ? 1 : n / deptCount;
    const teamCount = Math.max(1, Math.min(department.teams.length, Math.ceil(expected / 10)));
    return {
      department,
      group: group('department', department.name),
      teams: department.teams.slice(0, teamCount).map((t) => group('team', t)),
      costCentre: group('cost_centre', `CC-${department.code} ${department.name}`),
    };
  });
  const payGroups = new Map<string, Group>();
  const currencies = [
    ...new Set(locations.map((l) => countryInfo(l.address?.country ?? home.code).currency)),
  ];
  for (const cur of currencies) {
    payGroups.set(`${cur}:salaried`, group('pay_group', `${cur.toUpperCase()} Monthly Salaried`));
    payGroups.set(`${cur}:hourly`, group('pay_group', `${cur.toUpperCase()} Monthly Hourly`));
  }
  payGroups.set('contractors', group('pay_group', 'Contractors'));

  const b: Builder = {
    seed,
    n,
    asOfDay,
    foundedDay,
    domain: `${slug}.example.com`,
    home,
    locations,
    locationWeights,
    depts,
    payGroups,
    employees: [],
    facts: [],
    leads: depts.map(() => []),
    emails: new Set(),
  };

  const plans = planEmployees(seed, n, deptCount);
  for (let i = 0; i < n; i++) {
    const plan = plans[i];
    if (!plan) throw new Error('unreachable: a plan per index');
    addEmployee(b, i, plan, null);
  }
  applyChurn(b, options.churn, options.epoch);

  const identity = buildIdentity(b);
  const payruns = buildPayruns(seed, asOfDay);

  return deepFreeze({
    options,
    asOfDay,
    company,
    locations,
    groups,
    employees: b.employees,
    facts: b.facts,
    identity,
    payruns,
  });
}

function buildLocations(
  seed: string,
  n: number,
  home: CountryInfo,
  hqCity: readonly [string, string | null],
  company: Company,
): Location[] {
  const rng = Rng.of(seed, 'locations');
  faker.seed(seedOf(seed, 'locations'));
  const count = Math.min(8, Math.max(3, 3 + Math.floor(Math.log2(n / 25 + 1))));
  const withRemote = rng.chance(0.5);
  const offices = withRemote ? count - 1 : count;
  const used = new Set<string>([hqCity[0]]);
  const locations: Location[] = [
    {
      id: opaqueId('loc', seed, 0),
      remote_id: '1',
      name: `${hqCity[0]} HQ`,
      type: 'office',
      address: company.address ? { ...company.address } : null,
    },
  ];
  const abroad = Object.values(COUNTRY_INFO).filter((c) => c.code !== home.code);
  for (let k = 1; k < offices; k++) {
    let country = rng.chance(0.6) ? home : rng.pick(abroad);
    let choices = country.cities.filter((c) => !used.has(c[0]));
    if (choices.length === 0) {
      country = rng.pick(abroad);
      choices = country.cities.filter((c) => !used.has(c[0]));
    }
    const city = rng.pick(choices.length > 0 ? choices : country.cities);
    used.add(city[0]);
    locations.push({
      id: opaqueId('loc', seed, k),
      remote_id: String(k + 1),
      name: `${city[0]} Office`,
      type: 'office',
      address: {
        street_address: streetAddress(),
        locality: city[0],
        administrative_area: city[1],
        country: country.code,
        post_code: faker.helpers.replaceSymbols(country.postCode),
      },
    });
  }
  if (withRemote) {
    locations.push({
      id: opaqueId('loc', seed, offices),
      remote_id: String(offices + 1),
      name: 'Remote',
      type: 'remote',
      address: {
        street_address: null,
        locality: null,
        administrative_area: null,
        country: home.code,
        post_code: null,
      },
    });
  }
  return locations;
}

const STATUS_WEIGHTS = [
  ['active', 86],
  ['inactive', 9],
  ['leave', 4],
] as const;
const TYPE_WEIGHTS = [
  ['full_time', 76],
  ['part_time', 12],
  ['contractor', 8],
  ['other', 4],
] as const;
const DEPT_WEIGHTS = [8, 6, 3, 2, 3, 3, 4, 4, 1];

/**
 * Statuses, types and departments for every index, decided first so managers can be chosen among people known to
 * be around, and so every enum value shows up even in a 10-person company.
 */
function planEmployees(seed: string, n: number, deptCount: number): Plan[] {
  const pendingCount = n >= 4 ? Math.max(1, Math.round(n * 0.03)) : 0;
  const deptTable = DEPT_WEIGHTS.slice(0, deptCount).map((w, d) => [d + 1, w] as const);
  const plans: Plan[] = [];
  for (let i = 0; i < n; i++) {
    const rng = Rng.of(seed, 'plan', i);
    if (i === 0) {
      plans.push({ status: 'active', type: 'full_time', dept: 0 });
    } else if (i <= deptCount) {
      // Department heads: permanent, present, and the root of their department's tree.
      plans.push({ status: 'active', type: 'full_time', dept: i });
    } else {
      const status: Plan['status'] =
        i >= n - pendingCount
          ? 'pending'
          : n >= 100 && rng.chance(0.01)
            ? null
            : rng.weighted(STATUS_WEIGHTS);
      plans.push({ status, type: rng.weighted(TYPE_WEIGHTS), dept: rng.weighted(deptTable) });
    }
  }
  // Guarantee coverage where the company is big enough to have room for it.
  const free = (i: number) => i > deptCount && i < n - pendingCount;
  const ensure = (has: (p: Plan) => boolean, at: number, set: (p: Plan) => void) => {
    if (plans.some(has)) return;
    const p = plans[at];
    if (p && free(at)) set(p);
  };
  ensure(
    (p) => p.status === 'inactive',
    Math.floor(n / 2),
    (p) => (p.status = 'inactive'),
  );
  ensure(
    (p) => p.status === 'leave',
    Math.floor(n / 3),
    (p) => (p.status = 'leave'),
  );
  ensure(
    (p) => p.type === 'part_time',
    Math.floor((n * 3) / 5),
    (p) => (p.type = 'part_time'),
  );
  ensure(
    (p) => p.type === 'contractor',
    Math.floor((n * 2) / 3),
    (p) => (p.type = 'contractor'),
  );
  ensure(
    (p) => p.type === 'other',
    Math.floor((n * 3) / 4),
    (p) => (p.type = 'other'),
  );
  // A part-timer paid by the hour makes timesheets non-empty; index chosen to be a part-timer above.
  return plans;
}

const GENDER_WEIGHTS = [
  ['female', 48],
  ['male', 48],
  ['not_specified', 3],
  [null, 1],
] as const;
const ETHNICITY_WEIGHTS = [
  ['white', 50],
  ['asian', 14],
  ['black', 10],
  ['hispanic', 12],
  ['mixed', 5],
  ['other', 2],
  ['not_specified', 4],
  [null, 3],
] as const;
const MARITAL_WEIGHTS = [
  ['single', 40],
  ['married', 42],
  ['divorced', 8],
  ['other', 2],
  ['not_specified', 5],
  [null, 3],
] as const;
const RUNG_WEIGHTS = [
  [0, 45],
  [1, 33],
  [2, 16],
  [3, 6],
] as const;
const RELATIONSHIPS = ['spouse', 'partner', 'parent', 'sibling', 'friend'] as const;

function asciiLocal(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/**
 * Generates employee `i` and appends it (and its facts) to the builder. `override` is used by churn to hire
 * someone who starts on the reference date.
 */
function addEmployee(b: Builder, i: number, plan: Plan, override: { startDay: number } | null): void {
  const { seed, asOfDay } = b;
  const rng = Rng.of(seed, 'employee', i);
  faker.seed(seedOf(seed, 'employee', i));
  const id = opaqueId('emp', seed, i);
  const dept = b.depts[plan.dept] ?? b.depts[0];
  if (!dept) throw new Error('unreachable: Leadership always exists');
  const isCeo = i === 0;
  // Indices 1…departments are the department heads (see planEmployees); churn hires come after `n`.
  const isHead = i >= 1 && i < b.depts.length;

  // Location and the country that follows from it.
  const locIndex = isCeo || isHead ? 0 : rng.weighted(b.locationWeights);
  const location = b.locations[locIndex] ?? b.locations[0];
  if (!location) throw new Error('unreachable: HQ always exists');
  const country = countryInfo(location.address?.country ?? b.home.code);

  // Dates: indices are roughly in hiring order, so employee numbers grow with start dates.
  let startDay: number;
  let termDay: number | null = null;
  const span = Math.max(30, asOfDay - 14 - b.foundedDay);
  if (override) {
    startDay = override.startDay;
  } else if (isCeo) {
    startDay = b.foundedDay;
  } else if (plan.status === 'pending') {
    startDay = nextWorkingDay(asOfDay + rng.int(3, 60));
  } else {
    const frac = Math.min(0.999, (i + rng.next()) / b.n);
    startDay = nextWorkingDay(b.foundedDay + Math.floor(frac ** 0.7 * span));
    if (startDay > asOfDay - 7) startDay = previousWorkingDay(asOfDay - 7);
  }
  if (plan.status === 'inactive') {
    if (startDay > asOfDay - 90) startDay = previousWorkingDay(asOfDay - rng.int(120, 400));
    termDay = rng.int(startDay + 30, asOfDay - 1);
  }
  const createdDay = Math.min(startDay - rng.int(3, 40), asOfDay);

  // Identity.
  const gender = rng.weighted(GENDER_WEIGHTS);
  const sex = gender === 'male' || gender === 'female' ? gender : rng.chance(0.5) ? 'female' : 'male';
  const firstName = faker.person.firstName(sex);
  const lastName = faker.person.lastName();
  let local = `${asciiLocal(firstName)}.${asciiLocal(lastName)}`;
  if (b.emails.has(local)) local = `${local}${i}`;
  b.emails.add(local);
  const workEmail = `${local}@${b.domain}`;

  // Job.
  const rung = rng.weighted(RUNG_WEIGHTS);
  const contractor = plan.type === 'contractor';
  let jobTitle = isCeo
    ? LEADERSHIP.head
    : isHead
      ? dept.department.head
      : (dept.department.titles[rung] ?? '');
  if (contractor) jobTitle = `${jobTitle} (Contractor)`;
  const team = isCeo || isHead ? dept.teams[0] : rng.pick(dept.teams);
  if (!team) throw new Error('unreachable: every department has a team');

  // Manager: the CEO has none; heads report to the CEO; others to a lead of their department.
  let managerIndex: number | null = null;
  if (!isCeo) {
    const leads = b.leads[plan.dept] ?? [];
    if (isHead || leads.length === 0) managerIndex = 0;
    else
      managerIndex =
        leads[Math.floor(rng.next() * Math.min(leads.length, 1 + Math.floor(leads.length / 4)))] ?? 0;
  }
  const manager = managerIndex === null ? null : b.employees[managerIndex];

  // Pay.
  const hourly =
    contractor || (plan.type === 'part_time' && (rng.chance(0.5) || i === Math.floor((b.n * 3) / 5)));
  const seniority = isCeo ? 2.6 : isHead ? 2.0 : 1.22 ** rung;
  const baseSalary = isCeo ? 120_000 : dept.department.baseSalary;
  const annual = baseSalary * seniority * (0.9 + rng.next() * 0.2) * country.salaryFactor;
  const partFactor = plan.type === 'part_time' ? 0.6 : 1;
  const currentRate = hourly
    ? Math.round((annual / (contractor ? 1600 : 2080)) * 4) / 4
    : Math.round((annual * partFactor) / 500) * 500;
  const dailyHours = plan.type === 'part_time' ? rng.pick([4, 5, 6]) : 8;
  const workDays =
    plan.type === 'part_time'
      ? rng.pick([
          [1, 2, 3],
          [2, 3, 4, 5],
          [1, 3, 5],
          [1, 2, 4, 5],
        ])
      : [1, 2, 3, 4, 5];

  // History: 1–3 steps, older ones a rung lower and paid less.
  const tenureYears = ((override ? asOfDay : Math.min(asOfDay, termDay ?? asOfDay)) - startDay) / 365;
  const steps = Math.max(
    1,
    Math.min(3, 1 + (tenureYears > 1.5 ? 1 : 0) + (tenureYears > 3 && rng.chance(0.6) ? 1 : 0)),
  );
  const lastDay = termDay ?? asOfDay;
  const stepDays: number[] = [startDay];
  for (let s = 1; s < steps; s++) {
    const from = startDay + Math.floor(((lastDay - startDay) * s) / steps);
    stepDays.push(nextWorkingDay(Math.min(lastDay - 1, from + rng.int(0, 60))));
  }
  const employment: EmploymentEntry[] = [];
  const compensation: CompensationEntry[] = [];
  const comp: { day: number; rate: number; period: 'year' | 'hour' }[] = [];
  const payFrequency = contractor ? 'other' : 'monthly';
  for (let s = 0; s < steps; s++) {
    const behind = steps - 1 - s;
    const day = stepDays[s] ?? startDay;
    const title =
      behind === 0 || isCeo
        ? jobTitle
        : `${dept.department.titles[Math.max(0, rung - behind)] ?? jobTitle}${contractor ? ' (Contractor)' : ''}`;
    const rate = hourly
      ? Math.round((currentRate / 1.06 ** behind) * 4) / 4
      : Math.round(currentRate / 1.07 ** behind / 500) * 500;
    employment.push({
      job_title: title,
      effective_date: fromDay(day),
      group_id: dept.group.id,
      group_remote_id: dept.group.remote_id,
      group_name: dept.group.name,
      manager_id: manager?.id ?? null,
      manager_remote_id: manager?.remote_id ?? null,
    });
    compensation.push({
      pay_rate: rate,
      pay_period: hourly ? 'hour' : 'year',
      pay_frequency: payFrequency,
      employment_type: plan.type,
      currency: country.currency,
      effective_date: fromDay(day),
      notes:
        s === 0
          ? contractor
            ? 'Contract rate'
            : 'Starting salary'
          : title !== employment[s - 1]?.job_title
            ? 'Promotion'
            : 'Annual review',
    });
    comp.push({ day, rate, period: hourly ? 'hour' : 'year' });
  }

  const payGroup = contractor
    ? b.payGroups.get('contractors')
    : b.payGroups.get(`${country.currency}:${hourly ? 'hourly' : 'salaried'}`);
  const memberOf = [dept.group, team, dept.costCentre, ...(payGroup ? [payGroup] : [])];

  const homeCity = rng.chance(0.8) && location.address?.locality ? null : rng.pick(country.cities);
  const marital = rng.weighted(MARITAL_WEIGHTS);
  const dependents: { name: string; relationship: string }[] = [];
  if (marital === 'married')
    dependents.push({ name: `${faker.person.firstName()} ${lastName}`, relationship: 'spouse' });
  const children = rng.weighted([
    [0, 55],
    [1, 20],
    [2, 18],
    [3, 7],
  ] as const);
  for (let c = 0; c < children; c++) {
    dependents.push({ name: `${faker.person.firstName()} ${lastName}`, relationship: 'child' });
  }
  const contacts = rng.chance(0.7) ? 1 : 2;
  const emergency = [];
  for (let c = 0; c < contacts; c++) {
    const relationship = c === 0 && marital === 'married' ? 'spouse' : rng.pick(RELATIONSHIPS);
    emergency.push({
      first_name: faker.person.firstName(),
      last_name: relationship === 'friend' ? faker.person.lastName() : lastName,
      relationship,
      mobile_phone_number: faker.helpers.replaceSymbols(country.phone),
      primary_contact: c === 0,
    });
  }

  const nationality = rng.chance(0.88) ? country.demonym : rng.pick(Object.values(COUNTRY_INFO)).demonym;
  const age = rng.int(22, 63);
  const bankName = rng.pick(BANKS[country.code] ?? ['Sandbox Bank']);

  const employee: Employee = {
    id,
    remote_id: String(100_000 + i),
    employee_number: String(i + 1),
    first_name: firstName,
    last_name: lastName,
    display_full_name: `${firstName} ${lastName}`,
    nationality,
    job_title: jobTitle,
    work_email: workEmail,
    personal_email: `${local}${rng.int(1, 99)}@${rng.pick(['example.org', 'example.net'])}`,
    mobile_phone_number: faker.helpers.replaceSymbols(country.phone),
    tax_id: faker.helpers.replaceSymbols(country.personalTaxId),
    gender,
    ethnicity: rng.weighted(ETHNICITY_WEIGHTS),
    marital_status: marital,
    date_of_birth: fromDay(asOfDay - age * 365 - rng.int(0, 364)),
    employment_status: plan.status,
    employment_type: plan.type,
    start_date: fromDay(startDay),
    remote_created_at: fromDay(createdDay),
    termination_date: termDay === null ? null : fromDay(termDay),
    avatar: rng.chance(0.8) ? `https://avatars.example.com/sandbox/${id}.png` : null,
    home_location: {
      street_address: streetAddress(),
      locality: homeCity ? homeCity[0] : (location.address?.locality ?? null),
      administrative_area: homeCity ? homeCity[1] : (location.address?.administrative_area ?? null),
      country: country.code,
      post_code: faker.helpers.replaceSymbols(country.postCode),
    },
    work_location: location,
    manager: manager
      ? {
          id: manager.id,
          remote_id: manager.remote_id,
          first_name: manager.first_name,
          last_name: manager.last_name,
          work_email: manager.work_email,
        }
      : null,
    bank_account: country.iban
      ? {
          account_number: null,
          bank_name: bankName,
          bic: faker.finance.bic(),
          holder_name: `${firstName} ${lastName}`,
          iban: faker.finance.iban({ formatted: false, countryCode: country.code }),
        }
      : {
          account_number: faker.helpers.replaceSymbols('##########'),
          bank_name: bankName,
          bic: null,
          holder_name: `${firstName} ${lastName}`,
          iban: null,
        },
    employment_history: employment,
    compensation_history: compensation,
    custom_fields: {
      t_shirt_size: rng.pick(T_SHIRT_SIZES),
      preferred_language: rng.pick(LANGUAGES),
      remote_eligible: rng.chance(0.4),
    },
    groups: memberOf,
    dependents,
    emergency_contacts: emergency,
  };

  b.employees.push(employee);
  b.facts.push({
    index: i,
    startDay,
    termDay,
    country,
    currency: country.currency,
    hourly,
    contractor,
    dailyHours,
    workDays,
    comp,
  });
  // Present, permanent people can lead; earlier (more senior) ones first.
  if (
    (plan.status === 'active' || plan.status === 'leave') &&
    !contractor &&
    (isCeo || isHead || rung >= 1)
  ) {
    b.leads[plan.dept]?.push(i);
  }
}

/**
 * Churn, cumulative over epochs: epoch k applies round k on top of rounds 1…k-1, so two consecutive polls differ by
 * about `churn × employees` changes. Cost grows with epoch × churn × size; fine for demos and tests.
 */
function applyChurn(b: Builder, churn: number, epoch: number): void {
  if (churn <= 0 || epoch <= 0) return;
  const perRound = Math.max(1, Math.round(churn * b.n));
  let hires = 0;
  for (let k = 1; k <= epoch; k++) {
    const rng = Rng.of(b.seed, 'churn', k);
    for (let e = 0; e < perRound; e++) {
      const kind = rng.weighted([
        ['hire', 30],
        ['leave', 30],
        ['edit', 40],
      ] as const);
      if (kind === 'hire' || b.employees.length < 3) {
        const index = b.n + hires++;
        const dept = rng.int(1, b.depts.length - 1) || 0;
        addEmployee(b, index, { status: 'active', type: 'full_time', dept }, { startDay: b.asOfDay });
        continue;
      }
      const target = rng.int(1, b.employees.length - 1);
      const current = b.employees[target];
      const facts = b.facts[target];
      if (
        !current ||
        !facts ||
        current.employment_status === 'inactive' ||
        current.employment_status === 'pending'
      ) {
        continue;
      }
      if (kind === 'leave') {
        b.employees[target] = {
          ...current,
          employment_status: 'inactive',
          termination_date: fromDay(b.asOfDay),
        };
        b.facts[target] = { ...facts, termDay: b.asOfDay };
      } else {
        const phone = faker.helpers.replaceSymbols(facts.country.phone);
        b.employees[target] = {
          ...current,
          mobile_phone_number: phone,
          custom_fields: { ...current.custom_fields, desk: `${rng.pick(['A', 'B', 'C'])}-${rng.int(1, 60)}` },
        };
      }
    }
  }
}

function buildIdentity(b: Builder): Identity {
  // The admin who connected: the head of People when there is one, else the CEO.
  const peopleDept = b.depts.findIndex((d) => d.department.name === 'People');
  const adminIndex = peopleDept > 0 ? (b.leads[peopleDept]?.[0] ?? 0) : 0;
  const admin = b.employees[adminIndex] ?? b.employees[0];
  if (!admin) throw new Error('unreachable: at least one employee');
  return {
    name: admin.display_full_name ?? `${admin.first_name} ${admin.last_name}`,
    email: admin.work_email ?? `admin@${b.domain}`,
    phone_number: admin.mobile_phone_number,
  };
}

/** 24 monthly regular payruns up to the reference month, plus a bonus run and a correction. */
function buildPayruns(seed: string, asOfDay: number): Payrun[] {
  const payruns: Payrun[] = [];
  let remote = 5000;
  for (let m = -23; m <= 0; m++) {
    const start = monthStart(asOfDay, m);
    const end = monthEnd(start);
    const payment = previousWorkingDay(start + 24);
    payruns.push({
      id: payrunId(seed, 'regular', fromDay(start).slice(0, 7)),
      remote_id: String(++remote),
      state: payment <= asOfDay ? 'paid' : 'pending',
      type: 'regular',
      start_date: fromDay(start),
      end_date: fromDay(end),
      payment_date: fromDay(payment),
    });
  }
  const bonusStart = monthStart(asOfDay, -6);
  const bonusPay = nextWorkingDay(bonusStart + 14);
  payruns.push({
    id: payrunId(seed, 'off_cycle', fromDay(bonusStart).slice(0, 7)),
    remote_id: String(++remote),
    state: 'paid',
    type: 'off_cycle',
    start_date: fromDay(bonusStart),
    end_date: fromDay(monthEnd(bonusStart)),
    payment_date: fromDay(bonusPay),
  });
  // A correction of the previous month's regular run, paid early in the following month.
  const corrected = monthStart(asOfDay, -4);
  const correctionPay = nextWorkingDay(monthStart(asOfDay, -3) + 9);
  payruns.push({
    id: payrunId(seed, 'correction', fromDay(corrected).slice(0, 7)),
    remote_id: String(++remote),
    state: 'paid',
    type: 'correction',
    start_date: fromDay(corrected),
    end_date: fromDay(monthEnd(corrected)),
    payment_date: fromDay(correctionPay),
  });
  return payruns.sort((a, b) => (a.payment_date ?? '').localeCompare(b.payment_date ?? ''));
}

export function payrunId(seed: string, type: string, month: string): string {
  return opaqueId('pr', seed, 'payrun', type, month);
}

// ---- memoisation ----

const CACHE_SIZE = 8;
const cache = new Map<string, SandboxDataset>();

/**
 * The dataset for these options, from a small LRU so repeated adapter calls do not regenerate. The result is
 * deeply frozen: callers share it.
 */
export function getDataset(options: SandboxOptions): SandboxDataset {
  const key = JSON.stringify([
    options.seed,
    options.employees,
    options.asOf,
    options.churn ?? 0,
    options.epoch ?? 0,
  ]);
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const data = generateDataset(options);
  cache.set(key, data);
  if (cache.size > CACHE_SIZE) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  return data;
}
