/**
 * Seeded data for the Factorial emulator, shaped as the published spec's schemas (every required property present,
 * nothing the schema does not list, absent values omitted rather than null since the spec has no nullable types).
 * Every reference resolves: employees' managers, locations and legal entities; teams' members; contract versions',
 * leaves', allowance stats' and shifts' employees; leaves' types; allowances' leave types.
 *
 * Semantics the data exercises on purpose: hourly and daily leaves, half days, pending leaves, an hours allowance
 * whose counter runs negative, part-time contracts, salary raises (several versions), a future hire, terminated
 * employees, shifts past midnight, breaks (`workable: false`) and shifts without a workplace (the employee's own
 * location gives the time zone).
 */
import { base, en, Faker } from '@faker-js/faker';
import type {
  FactorialAllowance,
  FactorialAllowanceStat,
  FactorialContractVersion,
  FactorialEmployee,
  FactorialLeave,
  FactorialLeaveType,
  FactorialLegalEntity,
  FactorialLocation,
  FactorialShift,
  FactorialTeam,
} from '../raw.js';

/** The emulator's "today": data is dated relative to it so runs are reproducible. */
export const EMULATOR_TODAY = '2025-06-30';
export const COMPANY_ID = '1';

/** Spec-required contract-version fields our adapter does not read. */
export type EmulatorContractVersion = FactorialContractVersion & {
  bank_holiday_treatment: 'workable' | 'non_workable';
  fr_forfait_jours: boolean;
};
/** Spec-required allowance and stat fields our adapter does not read. */
export type EmulatorAllowance = FactorialAllowance & Record<string, unknown>;
export type EmulatorAllowanceStat = FactorialAllowanceStat & Record<string, unknown>;
export type EmulatorLeaveType = FactorialLeaveType & Record<string, unknown>;

export interface FactorialEmulatorData {
  legalEntities: FactorialLegalEntity[];
  locations: FactorialLocation[];
  teams: FactorialTeam[];
  employees: FactorialEmployee[];
  contractVersions: EmulatorContractVersion[];
  leaveTypes: EmulatorLeaveType[];
  allowances: EmulatorAllowance[];
  /** Per employee and allowance; built on first use (10,000 employees make 20,000 of them). */
  readonly allowanceStats: EmulatorAllowanceStat[];
  leaves: FactorialLeave[];
  shifts: FactorialShift[];
}

export interface FactorialDataOptions {
  employees?: number;
  seed?: number;
  /**
   * The day before the first shift: shifts are dated back from it. Defaults to the real today, because a timesheet
   * listing without dates covers the last year up to now, whatever the emulator's fixed EMULATOR_TODAY.
   */
  shiftsUntil?: string;
}

const ENTITIES = [
  { country: 'es', currency: 'EUR', name: 'Acme Software S.L.', city: 'Barcelona', state: 'Barcelona' },
  { country: 'gb', currency: 'GBP', name: 'Acme Software Ltd', city: 'London', state: 'England' },
  { country: 'us', currency: 'USD', name: 'Acme Software Inc.', city: 'New York', state: 'NY' },
] as const;
const LOCATIONS = [
  { name: 'Barcelona HQ', entity: 0, timezone: 'Europe/Madrid', main: true },
  { name: 'Madrid Office', entity: 0, timezone: 'Europe/Madrid', main: false },
  { name: 'London Office', entity: 1, timezone: 'Europe/London', main: false },
  { name: 'New York Office', entity: 2, timezone: 'America/New_York', main: false },
] as const;
const TEAMS = ['Engineering', 'Product', 'Sales', 'People', 'Finance', 'Customer Success', 'Design', 'Data'];
const LEAVE_TYPES = [
  { id: '1', name: 'Holidays', identifier: 'holiday', allowances: ['1'], payable: true },
  { id: '2', name: 'Sick leave', identifier: 'sick_leave', allowances: [], payable: true },
  { id: '3', name: 'Personal hours', identifier: 'personal', allowances: ['2'], payable: true },
  { id: '4', name: 'Unpaid leave', identifier: 'unpaid_leave', allowances: [], payable: false },
] as const;
const FREQUENCIES = ['yearly', 'yearly', 'yearly', 'monthly'] as const;

const day = (d: Date) => d.toISOString().slice(0, 10);
function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return day(d);
}
const stamp = (date: string, hour = 9) => `${date}T${String(hour).padStart(2, '0')}:00:00.000Z`;
const units = (n: number) => n.toFixed(1);
const clock = (minutes: number) =>
  `${String(Math.floor(minutes / 60) % 24).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

export function generateFactorialData(options: FactorialDataOptions = {}): FactorialEmulatorData {
  const count = Math.max(1, Math.min(20_000, options.employees ?? 100));
  const faker = new Faker({ locale: [en, base] });
  faker.seed(options.seed ?? 42);

  const legalEntities: FactorialLegalEntity[] = ENTITIES.map((e, i) => ({
    id: String(i + 1),
    company_id: COMPANY_ID,
    country: e.country,
    legal_name: e.name,
    currency: e.currency,
    tin: `${e.country.toUpperCase()}${faker.string.numeric(9)}`,
    city: e.city,
    state: e.state,
    postal_code: faker.location.zipCode('#####'),
    address_line_1: faker.location.streetAddress(),
  }));
  const locations: FactorialLocation[] = LOCATIONS.map((l, i) => {
    const entity = ENTITIES[l.entity] ?? ENTITIES[0];
    return {
      id: String(i + 1),
      company_id: COMPANY_ID,
      name: l.name,
      timezone: l.timezone,
      country: entity.country,
      state: entity.state,
      city: entity.city,
      address_line_1: faker.location.streetAddress(),
      ...(i === 0 ? { address_line_2: 'Floor 3' } : {}),
      postal_code: faker.location.zipCode('#####'),
      phone_number: faker.string.numeric(9),
      main: l.main,
      latitude: faker.location.latitude(),
      longitude: faker.location.longitude(),
      radius: 5,
    };
  });

  const employees: FactorialEmployee[] = [];
  const contractVersions: EmulatorContractVersion[] = [];
  const teamMembers: string[][] = TEAMS.map(() => []);
  let versionId = 0;
  for (let i = 0; i < count; i++) {
    const id = String(i + 1);
    const locationIndex = i % LOCATIONS.length;
    const location = LOCATIONS[locationIndex] ?? LOCATIONS[0];
    const entity = ENTITIES[location.entity] ?? ENTITIES[0];
    const first = faker.person.firstName();
    const last = faker.person.lastName();
    const email = `${first}.${last}.${id}@acme.example.com`.toLowerCase().replace(/[^a-z0-9.@]/g, '');
    const roll = faker.number.int({ min: 1, max: 100 });
    // The first employee is always an active, hourly-paid part-timer with a raise: the adapter tests rely on it.
    const terminated = i > 1 && roll > 92;
    const futureHire = i === 1;
    const startsOn = futureHire
      ? addDays(EMULATOR_TODAY, 20)
      : day(faker.date.between({ from: '2017-01-01', to: '2024-12-31' }));
    const created = stamp(addDays(startsOn, -faker.number.int({ min: 5, max: 40 })));
    const terminatedOn = terminated
      ? addDays(EMULATOR_TODAY, -faker.number.int({ min: 5, max: 300 }))
      : undefined;
    const manager = i > 0 ? String(faker.number.int({ min: 1, max: Math.min(i, 25) })) : undefined;
    const gender = faker.helpers.arrayElement(['male', 'female', 'female', 'male', 'non_binary']);
    const hasAddress = roll % 5 !== 0;
    const employee: FactorialEmployee = {
      id,
      access_id: String(1000 + i),
      first_name: first,
      last_name: last,
      full_name: `${first} ${last}`,
      gender,
      identifier: faker.string.alphanumeric({ length: 9, casing: 'upper' }),
      identifier_type: faker.helpers.arrayElement(['dni', 'nie', 'passport']),
      email,
      login_email: email,
      birthday_on: day(faker.date.birthdate({ min: 20, max: 64, mode: 'age', refDate: EMULATOR_TODAY })),
      nationality: entity.country,
      ...(hasAddress
        ? {
            address_line_1: faker.location.streetAddress(),
            postal_code: faker.location.zipCode('#####'),
            city: faker.location.city(),
            state: faker.location.state(),
            country: entity.country,
          }
        : {}),
      bank_number:
        entity.country === 'us'
          ? faker.finance.accountNumber(12)
          : `${entity.country.toUpperCase()}${faker.string.numeric(22)}`,
      swift_bic: faker.finance.bic(),
      bank_number_format: entity.country === 'us' ? 'routing_number_and_account_number' : 'iban',
      company_id: COMPANY_ID,
      legal_entity_id: String(location.entity + 1),
      location_id: String(locationIndex + 1),
      created_at: created,
      updated_at: stamp(addDays(EMULATOR_TODAY, -faker.number.int({ min: 0, max: 90 }))),
      is_terminating: false,
      ...(terminatedOn ? { terminated_on: terminatedOn, termination_reason: 'Resignation' } : {}),
      ...(manager ? { manager_id: manager } : {}),
      phone_number: faker.string.numeric(9),
      company_identifier: `E${String(i + 1).padStart(5, '0')}`,
      ...(roll % 3 === 0
        ? { contact_name: faker.person.fullName(), contact_number: faker.string.numeric(9) }
        : {}),
      ...(roll % 2 === 0 ? { personal_email: `${first}${id}@mail.example.org`.toLowerCase() } : {}),
      active: !terminated,
      attendable: true,
    };
    employees.push(employee);
    teamMembers[i % TEAMS.length]?.push(id);
    if (i % 11 === 0) teamMembers[(i + 3) % TEAMS.length]?.push(id);

    // One to three contract versions: a hire, then raises or a move to part time.
    const versions = i === 0 ? 2 : faker.number.int({ min: 1, max: 100 }) <= 55 ? 1 : 2;
    const frequency = i === 0 ? 'yearly' : faker.helpers.arrayElement(FREQUENCIES);
    let salary =
      frequency === 'monthly'
        ? faker.number.int({ min: 2_000, max: 6_000 }) * 100
        : faker.number.int({ min: 24, max: 120 }) * 1000 * 100;
    let effective = startsOn;
    const jobTitle = faker.person.jobTitle();
    for (let v = 0; v < versions; v++) {
      versionId++;
      const partTime = i === 0 ? v === 1 : roll % 7 === 0;
      contractVersions.push({
        id: String(versionId),
        company_id: COMPANY_ID,
        employee_id: id,
        effective_on: effective,
        country: entity.country,
        job_title: v === 0 ? jobTitle : `Senior ${jobTitle}`,
        starts_on: startsOn,
        ...(terminatedOn ? { ends_on: terminatedOn } : {}),
        has_payroll: entity.country === 'es',
        salary_amount: salary,
        salary_frequency: frequency,
        working_hours: partTime ? 2000 : 4000,
        working_hours_frequency: 'week',
        working_time_percentage_in_cents: partTime ? 5000 : 10_000,
        bank_holiday_treatment: 'non_workable',
        fr_forfait_jours: false,
        created_at: stamp(effective),
        updated_at: stamp(effective),
      });
      // A raise a year or two later, never after today (so `current` is the last one).
      const next = addDays(effective, faker.number.int({ min: 300, max: 700 }));
      if (next > EMULATOR_TODAY) break;
      effective = next;
      salary = Math.round((salary * 1.08) / 100) * 100;
    }
  }

  const teams: FactorialTeam[] = TEAMS.map((name, i) => ({
    id: String(i + 1),
    name,
    description: `${name} team`,
    employee_ids: teamMembers[i] ?? [],
    lead_ids: (teamMembers[i] ?? []).slice(0, 1),
    company_id: COMPANY_ID,
  }));

  const leaveTypes: EmulatorLeaveType[] = LEAVE_TYPES.map((t) => ({
    id: t.id,
    name: t.name,
    identifier: t.identifier,
    color: faker.color.human(),
    active: true,
    approval_required: true,
    attachment: t.identifier === 'sick_leave',
    visibility: true,
    workable: false,
    payable: t.payable,
    company_id: COMPANY_ID,
    allowance_ids: [...t.allowances],
    details_required: false,
  }));
  const allowances: EmulatorAllowance[] = [
    {
      id: '1',
      name: 'Holiday allowance',
      allowance_type: 'days',
      available_days: 'all_days',
      count_holiday_as_workable: false,
      leave_type_ids: ['1'],
      negative_counter_type: 'negative_counter_disabled',
      proration_type: 'proration_enabled',
      rounding: 'half_day',
      tenure_periods: [],
      timeoff_cycle: 'jan_dec',
      timeoff_policy_id: '1',
    },
    {
      id: '2',
      name: 'Personal hours',
      allowance_type: 'hours',
      available_days: 'all_days',
      count_holiday_as_workable: false,
      leave_type_ids: ['3'],
      negative_counter_type: 'negative_counter_enabled',
      proration_type: 'proration_disabled',
      rounding: 'decimals',
      tenure_periods: [],
      timeoff_cycle: 'jan_dec',
      timeoff_policy_id: '1',
    },
  ];

  // Leaves and shifts for the first few hundred / few dozen employees: enough for every case, small at 10,000.
  const leaves: FactorialLeave[] = [];
  const withLeaves = employees.slice(0, Math.min(count, 300));
  for (const e of withLeaves) {
    const n = faker.number.int({ min: 0, max: 3 });
    for (let k = 0; k < n; k++) {
      const type = faker.helpers.arrayElement(LEAVE_TYPES);
      const start = addDays(EMULATOR_TODAY, faker.number.int({ min: -200, max: 60 }));
      const hourly = type.identifier === 'personal';
      const half = !hourly && faker.number.int({ min: 1, max: 6 }) === 1;
      const length = hourly || half ? 1 : faker.number.int({ min: 1, max: 5 });
      const id = String(leaves.length + 1);
      const approved = faker.number.int({ min: 1, max: 4 }) !== 1;
      leaves.push({
        id,
        company_id: COMPANY_ID,
        employee_id: e.id ?? '',
        start_on: start,
        finish_on: addDays(start, length - 1),
        ...(half ? { half_day: 'beginning_of_day' } : {}),
        ...(faker.datatype.boolean() ? { description: faker.lorem.sentence(4) } : {}),
        leave_type_id: type.id,
        leave_type_name: type.name,
        approved,
        employee_full_name: e.full_name,
        ...(hourly
          ? { start_time: '09:00', hours_amount_in_cents: faker.helpers.arrayElement([150, 200, 350, 800]) }
          : {}),
        created_at: stamp(addDays(start, -10)),
        updated_at: stamp(addDays(start, -9)),
        days_taken: hourly ? 0 : half ? 0.5 : length,
      });
    }
  }

  const shifts: FactorialShift[] = [];
  const shiftsUntil = options.shiftsUntil ?? day(new Date());
  const withShifts = employees.slice(0, Math.min(count, 40));
  for (const [index, e] of withShifts.entries()) {
    for (let d = 1; d <= 6; d++) {
      const date = addDays(shiftsUntil, -d);
      const night = index % 9 === 4 && d === 1;
      const inMin = night ? 22 * 60 : faker.number.int({ min: 7 * 60, max: 10 * 60 });
      const worked = faker.number.int({ min: 3 * 60, max: 5 * 60 });
      const id = String(shifts.length + 1);
      const workplace = index % 5 === 3 ? {} : { workplace_id: e.location_id };
      shifts.push({
        id,
        employee_id: e.id ?? '',
        date,
        reference_date: date,
        clock_in: clock(inMin),
        clock_out: clock(inMin + worked),
        clock_in_with_seconds: `${clock(inMin)}:00`,
        location_type: 'office',
        workable: true,
        created_at: stamp(date, 20),
        ...workplace,
        company_id: COMPANY_ID,
        updated_at: stamp(date, 20),
        minutes: worked,
      });
      // A lunch break after the morning block: a shift that is not worked time.
      if (d % 2 === 0) {
        shifts.push({
          id: String(shifts.length + 1),
          employee_id: e.id ?? '',
          date,
          reference_date: date,
          clock_in: clock(inMin + worked),
          clock_out: clock(inMin + worked + 30),
          workable: false,
          created_at: stamp(date, 20),
          ...workplace,
          company_id: COMPANY_ID,
          updated_at: stamp(date, 20),
          minutes: 30,
        });
      }
    }
  }

  let stats: EmulatorAllowanceStat[] | undefined;
  const buildStats = (): EmulatorAllowanceStat[] => {
    const out: EmulatorAllowanceStat[] = [];
    const statFaker = new Faker({ locale: [en, base] });
    statFaker.seed((options.seed ?? 42) + 1);
    for (const e of employees) {
      for (const a of allowances) {
        const hours = a.allowance_type === 'hours';
        const total = hours ? 16 : 23;
        const used = statFaker.number.int({ min: 0, max: hours ? 40 : 20 }) / (hours ? 2 : 1);
        const outstanding = hours ? 0 : statFaker.number.int({ min: 0, max: 2 });
        // The hours counter may go below zero (`negative_counter_enabled`); the days one may not.
        const available = hours ? total - used : Math.max(0, total - used - outstanding);
        out.push({
          id: `${e.id}/${a.id}/${EMULATOR_TODAY}`,
          allowance_id: a.id,
          employee_id: e.id,
          year: 2025,
          cycles: [{ id: `${a.id}/2025-01-01/2025-12-31`, start_at: '2025-01-01', end_at: '2025-12-31' }],
          cycle_carry_overs: [],
          accumulated_carry_over: '0.0',
          available_days: units(available),
          total_accrued_units: units(total),
          total: units(total),
          incidences: '0.0',
          accrued_incidences: '0.0',
          available_incidences: '0.0',
          policy_allowance: units(total),
          prorated_allowance_days: units(total),
          used_carry_over: '0.0',
          used_days: units(hours ? used / 8 : used),
          used_units_until_reference_date: units(used),
          outstanding_units: units(outstanding),
        });
      }
    }
    return out;
  };

  return {
    legalEntities,
    locations,
    teams,
    employees,
    contractVersions,
    leaveTypes,
    allowances,
    get allowanceStats() {
      stats ??= buildStats();
      return stats;
    },
    leaves,
    shifts,
  };
}
