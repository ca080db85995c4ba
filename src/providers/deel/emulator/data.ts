/**
 * Seeded data for the Deel emulator, shaped exactly as the published spec's response objects. Every foreign key
 * resolves: people's managers, departments, teams, contracts, legal entities and working locations; time offs'
 * recipients and types; timesheets' contracts and reporters; G2N rows' contracts.
 */
import { base, en, Faker } from '@faker-js/faker';
import type {
  DeelEmployment,
  DeelEntitlement,
  DeelGroup,
  DeelGrossToNet,
  DeelLegalEntity,
  DeelMe,
  DeelPayrollReport,
  DeelPerson,
  DeelPolicy,
  DeelTimeOff,
  DeelTimesheet,
  DeelWorkingLocation,
} from '../raw.js';

export interface DeelDataOptions {
  employees?: number;
  seed?: number;
}

export interface EmulatorDepartment {
  id: number;
  name: string;
  parent: string | null;
}

export interface DeelEmulatorData {
  organization: { id: string; name: string };
  me: DeelMe;
  legalEntities: DeelLegalEntity[];
  departments: EmulatorDepartment[];
  groups: DeelGroup[];
  workingLocations: DeelWorkingLocation[];
  people: DeelPerson[];
  policies: DeelPolicy[];
  timeOffs: DeelTimeOff[];
  timesheets: DeelTimesheet[];
  /** Payroll events per legal entity id. */
  payrollReports: Map<string, DeelPayrollReport[]>;
  /** G2N rows per payroll event id. */
  grossToNet: Map<string, DeelGrossToNet[]>;
  /** Entitlements of a person (computed on demand to keep 10,000-person data small). */
  entitlements(profileId: string): DeelEntitlement[] | undefined;
}

/** The emulator's "today": data is dated relative to it so runs are reproducible. */
export const EMULATOR_TODAY = '2025-06-30';

const ENTITIES = [
  { country: 'US', currency: 'USD', name: 'Acme US Inc.' },
  { country: 'GB', currency: 'GBP', name: 'Acme UK Ltd' },
  { country: 'DE', currency: 'EUR', name: 'Acme Deutschland GmbH' },
] as const;
const DEPARTMENTS = [
  ['Engineering', null],
  ['Product', null],
  ['Sales', null],
  ['Human Resources', null],
  ['Finance', null],
  ['Platform', 'Engineering'],
  ['Mobile', 'Engineering'],
  ['Customer Success', 'Sales'],
] as const;
const LOCATIONS = ['Remote', 'New York Office', 'London Office', 'Berlin Office', 'Lisbon Hub'];
const HIRING_TYPES = ['contractor', 'eor', 'global_payroll', 'hris_direct_employee'] as const;
const POLICY_DEFS = [
  { name: 'Vacation', type: 'Vacation', unit: 'BUSINESS_DAY', allowance: 25 },
  { name: 'Sick leave', type: 'Sick leave', unit: 'BUSINESS_DAY', allowance: 10 },
  { name: 'Personal leave', type: 'Personal leave', unit: 'HOUR', allowance: 16 },
] as const;
const TIME_OFF_STATUSES = ['APPROVED', 'APPROVED', 'USED', 'REQUESTED', 'REJECTED', 'CANCELED'] as const;
const SENIORITIES = [
  'Junior (Individual Contributor Level 1)',
  'Mid (Individual Contributor Level 2)',
  'Senior',
];

const iso = (date: string) => `${date}T00:00:00.000Z`;
const day = (d: Date) => d.toISOString().slice(0, 10);
const money = (n: number) => n.toFixed(2);
function addDays(date: string, days: number): string {
  const d = new Date(iso(date));
  d.setUTCDate(d.getUTCDate() + days);
  return day(d);
}
function lastDayOfMonth(year: number, month: number): string {
  return day(new Date(Date.UTC(year, month + 1, 0)));
}

export function generateDeelData(options: DeelDataOptions = {}): DeelEmulatorData {
  const count = Math.max(1, Math.min(10_000, options.employees ?? 100));
  const faker = new Faker({ locale: [en, base] });
  faker.seed(options.seed ?? 42);

  const organization = { id: faker.string.uuid(), name: 'Acme Global' };
  const legalEntities: DeelLegalEntity[] = ENTITIES.map((e) => ({
    id: faker.string.uuid(),
    name: e.name,
    vat_id: `${e.country}${faker.string.numeric(9)}`,
    country: e.country,
    entity_type: 'company',
    entity_subtype: 'corporation',
    registrationNumber: faker.string.alphanumeric({ length: 8, casing: 'upper' }),
  }));
  const departments: EmulatorDepartment[] = DEPARTMENTS.map(([name, parent], i) => ({
    id: i + 1,
    name,
    parent: parent ? String(DEPARTMENTS.findIndex(([n]) => n === parent) + 1) : null,
  }));
  // A person's department carries a uuid (the spec's format) that /departments does not expose.
  const departmentUuids = departments.map(() => faker.string.uuid());
  const teamCount = Math.max(12, Math.ceil(count / 8));
  const groups: DeelGroup[] = Array.from({ length: teamCount }, (_, i) => {
    const created = faker.date.between({ from: '2020-01-01', to: '2024-01-01' }).toISOString();
    return {
      id: faker.string.uuid(),
      name: `${faker.word.adjective()} ${faker.word.noun()} team ${i + 1}`,
      created_at: created,
      updated_at: created,
      archived_at: null,
    };
  });
  const workingLocations: DeelWorkingLocation[] = LOCATIONS.map((name) => ({
    id: faker.string.uuid(),
    name,
  }));

  const contractIds = new Set<string>();
  const contractId = () => {
    for (;;) {
      const id = faker.string.alphanumeric({ length: 7, casing: 'lower' });
      if (!contractIds.has(id)) {
        contractIds.add(id);
        return id;
      }
    }
  };

  const people: DeelPerson[] = [];
  for (let i = 0; i < count; i++) {
    const entityIndex = i % ENTITIES.length;
    const entityDef = ENTITIES[entityIndex]!;
    const entity = legalEntities[entityIndex]!;
    const first = faker.person.firstName();
    const last = faker.person.lastName();
    const full = `${first} ${last}`;
    const workEmail = `${first}.${last}.${i}@acme.example`.toLowerCase().replace(/[^a-z0-9.@]/g, '');
    const hiringType = i === 0 ? 'hris_direct_employee' : faker.helpers.arrayElement(HIRING_TYPES);
    const roll = faker.number.int({ min: 1, max: 100 });
    const hiringStatus =
      i === 0
        ? 'active'
        : roll <= 80
          ? 'active'
          : roll <= 87
            ? 'onboarding'
            : roll <= 90
              ? 'offboarding'
              : 'inactive';
    const startDate =
      hiringStatus === 'onboarding'
        ? addDays(EMULATOR_TODAY, faker.number.int({ min: 1, max: 60 }))
        : day(faker.date.between({ from: '2019-01-01', to: '2025-03-01' }));
    const endDate =
      hiringStatus === 'inactive' ? addDays(EMULATOR_TODAY, -faker.number.int({ min: 1, max: 200 })) : null;
    const deptIndex = faker.number.int({ min: 0, max: departments.length - 1 });
    const dept = departments[deptIndex]!;
    const team = faker.helpers.arrayElement(groups);
    const location = workingLocations[faker.number.int({ min: 0, max: workingLocations.length - 1 })]!;
    const jobTitle = faker.person.jobTitle();
    const seniority = faker.helpers.arrayElement(SENIORITIES);
    const contractor = hiringType === 'contractor';
    const employment: DeelEmployment = {
      id: contractId(),
      name: full,
      team: { id: team.id, name: team.name },
      email: workEmail,
      state: hiringStatus === 'inactive' ? 'Inactive' : 'Active',
      country: entityDef.country,
      payment: contractor
        ? {
            rate: faker.number.int({ min: 40, max: 150 }),
            scale: 'hourly',
            currency: entityDef.currency,
            contract_name: `${jobTitle} contract`,
          }
        : {
            rate: faker.number.int({ min: 40, max: 160 }) * 1000,
            scale: 'annual',
            currency: entityDef.currency,
            contract_name: `${jobTitle} employment`,
          },
      is_ended: hiringStatus === 'inactive',
      timezone: 'UTC',
      job_title: jobTitle,
      seniority,
      start_date: startDate,
      work_email: workEmail,
      hiring_type: hiringType,
      hiring_status: hiringStatus,
      contract_status: hiringStatus === 'inactive' ? 'completed' : 'in_progress',
      voluntarily_left: 'No',
      contract_coverage: ['no_coverage'],
      new_hiring_status: hiringStatus,
      client_legal_entity: { id: entity.id, name: entity.name },
      has_eor_termination: 'No',
      contract_is_archived: false,
      contract_has_contractor: contractor,
      is_user_contract_deleted: false,
      hris_direct_employee_invitation: 'Accepted',
    };
    if (endDate) {
      employment.completion_date = iso(endDate);
      employment.termination_last_day = iso(endDate);
    }
    const birth = day(faker.date.birthdate({ mode: 'age', min: 21, max: 64, refDate: iso(EMULATOR_TODAY) }));
    const created = iso(addDays(startDate, -faker.number.int({ min: 5, max: 40 })));
    const person: DeelPerson = {
      id: faker.string.uuid(),
      state: hiringStatus === 'inactive' ? 'Inactive' : 'Active',
      emails: [
        { type: 'work', value: workEmail },
        { type: 'personal', value: `${first}${i}@mail.example`.toLowerCase().replace(/[^a-z0-9.@]/g, '') },
      ],
      country: entityDef.country,
      timezone: 'UTC',
      addresses: [
        {
          region: faker.location.state({ abbreviated: true }),
          country: entityDef.country,
          locality: faker.location.city(),
          postalCode: faker.location.zipCode(),
          streetAddress: faker.location.streetAddress(),
        },
      ],
      full_name: full,
      job_title: jobTitle,
      last_name: last,
      seniority,
      worker_id: 100_000 + i,
      birth_date: iso(birth),
      created_at: created,
      department: {
        id: departmentUuids[deptIndex]!,
        name: dept.name,
        ...(dept.parent ? { parent: departments[Number(dept.parent) - 1]!.name } : {}),
      },
      first_name: first,
      start_date: startDate,
      updated_at: created,
      employments: [employment],
      external_id: `EXT-${100_000 + i}`,
      hiring_type: hiringType,
      hiring_status: hiringStatus,
      nationalities: [entityDef.country],
      work_location: location.name ?? 'Remote',
      direct_reports: [],
      new_hiring_status: hiringStatus,
      client_legal_entity: { id: entity.id, name: entity.name },
      preferred_first_name: first,
      preferred_last_name: last,
      direct_reports_count: 0,
    };
    if (endDate) {
      person.completion_date = iso(endDate);
      if (!contractor) person.direct_employee_termination_last_day = iso(endDate);
    }
    if (i > 0) {
      // Managers come from the first tenth of the company, so the hierarchy is a tree.
      const manager = people[faker.number.int({ min: 0, max: Math.max(0, Math.floor(i / 10)) })]!;
      person.direct_manager = {
        id: manager.id,
        first_name: manager.first_name,
        last_name: manager.last_name,
        work_email: manager.emails?.[0]?.value,
        worker_id: String(manager.worker_id),
      };
      manager.direct_reports?.push({
        id: person.id,
        first_name: first,
        last_name: last,
        work_email: workEmail,
      });
      manager.direct_reports_count = (manager.direct_reports_count ?? 0) + 1;
    }
    people.push(person);
  }

  const admin = people[0]!;
  const me: DeelMe & Record<string, unknown> = {
    id: 1,
    email: admin.emails?.[0]?.value,
    user_id: 1,
    username: admin.emails?.[0]?.value,
    full_name: admin.full_name,
    last_name: admin.last_name,
    avatar_url: null,
    first_name: admin.first_name,
    middle_name: null,
    hris_enabled: true,
    profile_type: 'client',
    slack_team_id: null,
    slack_user_id: null,
    client_country: 'US',
    organization_id: 1,
    organization_name: organization.name,
    contractor_country: null,
  };

  const policies: DeelPolicy[] = POLICY_DEFS.map((p, i) => ({
    id: faker.string.uuid(),
    name: p.name,
    created_at: '2023-01-01T00:00:00.000Z',
    updated_at: '2024-01-01T00:00:00.000Z',
    leave_type: 'SHORT_TERM_LEAVE',
    description: `${p.name} policy`,
    policy_type: { id: i + 1, name: p.type },
    tracking_unit: p.unit,
    policy_type_id: faker.string.uuid(),
    time_off_types: [{ id: faker.string.uuid(), name: p.name }],
    tracking_cadence: 'FIXED_DAY',
    tracking_start_date: '2025-01-01T00:00:00.000Z',
    tracking_unit_amount: 1,
  })) as DeelPolicy[];

  const timeOffs: DeelTimeOff[] = [];
  for (const person of people) {
    const n = faker.number.int({ min: 0, max: 2 });
    for (let k = 0; k < n; k++) {
      const policyIndex = faker.number.int({ min: 0, max: policies.length - 1 });
      const policy = policies[policyIndex]!;
      const hourly = policy.tracking_unit === 'HOUR';
      const start = day(faker.date.between({ from: '2025-01-01', to: '2025-12-15' }));
      const days = faker.number.int({ min: 1, max: 5 });
      const end = addDays(start, days - 1);
      const status = faker.helpers.arrayElement(TIME_OFF_STATUSES);
      const requested = iso(addDays(start, -faker.number.int({ min: 3, max: 30 })));
      const decided = status === 'REQUESTED' ? requested : iso(addDays(requested.slice(0, 10), 1));
      const profile = {
        hris_profile_id: person.id,
        organization_id: organization.id,
        client_profile_id: admin.id,
      };
      timeOffs.push({
        id: faker.string.uuid(),
        amount: hourly ? days * 4 : days,
        reason: faker.helpers.arrayElement(['Family trip', 'Flu', 'Moving house', 'Wedding', 'Rest']),
        status,
        is_paid: true,
        end_date: iso(end),
        start_date: iso(start),
        created_at: requested,
        updated_at: decided,
        approved_at: status === 'APPROVED' || status === 'USED' ? decided : null,
        description: faker.lorem.sentence(),
        contract_oid: person.employments?.[0]?.id,
        requested_at: requested,
        half_end_date: false,
        half_start_date: false,
        deduction_amount: hourly ? days * 4 : days,
        time_off_type_id: policy.time_off_types?.[0]?.id,
        recipient_profile: profile,
        requester_profile: profile,
        time_off_percentage: 100,
        is_end_date_estimated: false,
      } as DeelTimeOff);
    }
  }
  const timeOffsByPerson = new Map<string, DeelTimeOff[]>();
  for (const t of timeOffs) {
    const id = t.recipient_profile?.hris_profile_id ?? '';
    timeOffsByPerson.set(id, [...(timeOffsByPerson.get(id) ?? []), t]);
  }

  const timesheets: DeelTimesheet[] = [];
  for (const person of people) {
    const employment = person.employments?.[0];
    if (person.hiring_type !== 'contractor' || !employment) continue;
    const n = faker.number.int({ min: 1, max: 3 });
    for (let k = 0; k < n; k++) {
      const date = day(faker.date.between({ from: '2025-04-01', to: EMULATOR_TODAY }));
      const hours = faker.number.int({ min: 1, max: 9 });
      const minutes = faker.helpers.arrayElement([0, 15, 30, 45]);
      const status = faker.helpers.arrayElement(['approved', 'pending', 'paid'] as const);
      const month = Number(date.slice(5, 7)) - 1;
      const reviewer = person.direct_manager;
      timesheets.push({
        id: faker.string.uuid(),
        type: 'work',
        scale: 'hourly',
        status,
        contract: {
          id: employment.id,
          type: 'pay_as_you_go_time_based',
          title: employment.payment?.contract_name,
        },
        quantity: hours + minutes / 60,
        worksheet: { days: 0, hours, weeks: 0, minutes },
        attachment: null,
        created_at: iso(addDays(date, 1)),
        description: faker.lorem.sentence(),
        reported_by: { id: person.id, full_name: person.full_name },
        reviewed_by:
          status !== 'pending' && reviewer?.id
            ? {
                id: reviewer.id,
                remarks: 'Looks good',
                full_name: `${reviewer.first_name} ${reviewer.last_name}`,
                reviewed_at: iso(addDays(date, 2)),
              }
            : null,
        custom_scale: null,
        total_amount: money((hours + minutes / 60) * (employment.payment?.rate ?? 0)),
        currency_code: employment.payment?.currency,
        payment_cycle: {
          start_date: iso(`${date.slice(0, 7)}-01`),
          end_date: iso(lastDayOfMonth(2025, month)),
        },
        date_submitted: iso(date),
      } as DeelTimesheet);
    }
  }

  const payrollReports = new Map<string, DeelPayrollReport[]>();
  const grossToNet = new Map<string, DeelGrossToNet[]>();
  const deptName = (p: DeelPerson) => p.department?.name ?? null;
  for (const entity of legalEntities) {
    const reports: DeelPayrollReport[] = [];
    for (let month = 0; month < 6; month++) {
      const start = `2025-${String(month + 1).padStart(2, '0')}-01`;
      const end = lastDayOfMonth(2025, month);
      const report: DeelPayrollReport = {
        id: `clq${faker.string.alphanumeric({ length: 22, casing: 'lower' })}`,
        status: month === 5 ? 'OPEN' : 'CLOSED',
        end_date: iso(end),
        lock_date: iso(addDays(end, -6)),
        start_date: iso(start),
      };
      reports.push(report);
      const rows: DeelGrossToNet[] = [];
      for (const person of people) {
        const employment = person.employments?.[0];
        if (person.hiring_type !== 'global_payroll' || !employment) continue;
        if (employment.client_legal_entity?.id !== entity.id) continue;
        if ((person.start_date ?? '') > end) continue;
        if (employment.termination_last_day && employment.termination_last_day.slice(0, 10) < start) continue;
        const gross = (employment.payment?.rate ?? 0) / 12;
        const bonus = month === 2 ? Math.round(gross * 0.1) : null;
        rows.push({
          net_pay: money(gross * 0.68),
          ee_loans: null,
          contract_id: employment.id,
          cost_center: deptName(person),
          annual_bonus: bonus,
          car_allowance: null,
          ee_income_tax: money(gross * 0.24),
          employee_name: person.full_name,
          employer_cost: money(gross * 1.2),
          esp_deduction: null,
          funding_amount: Math.round(gross * 1.2),
          home_allowance: money(50),
          employee_number: person.worker_id,
          backdated_salary: null,
          employee_division: entity.name,
          employee_job_title: person.job_title,
          employee_department: deptName(person),
          er_occupational_risk: money(gross * 0.01),
          pension_contribution: Math.round(gross * 0.05 * 100) / 100,
          employer_contribution: money(gross * 0.15),
          employment_status_tag_internal: 'Full-time',
        });
      }
      grossToNet.set(report.id ?? '', rows);
    }
    payrollReports.set(entity.id ?? '', reports);
  }

  const peopleById = new Map(people.map((p) => [p.id, p]));
  const entitlements = (profileId: string): DeelEntitlement[] | undefined => {
    if (!peopleById.has(profileId)) return undefined;
    const mine = timeOffsByPerson.get(profileId) ?? [];
    return policies.map((policy, i) => {
      const typeId = policy.time_off_types?.[0]?.id;
      const taken = mine.filter((t) => t.time_off_type_id === typeId);
      const sum = (statuses: string[]) =>
        taken.filter((t) => statuses.includes(t.status ?? '')).reduce((a, t) => a + (t.amount ?? 0), 0);
      const allowance = POLICY_DEFS[i]!.allowance;
      const used = sum(['USED', 'APPROVED']);
      const requested = sum(['REQUESTED']);
      return {
        id: `${profileId.slice(0, 8)}-ent-${i}`,
        used: String(used),
        policy,
        accrued: String(allowance),
        approved: String(sum(['APPROVED'])),
        allowance: String(allowance),
        available: String(allowance - used),
        requested: String(requested),
        accrual_unit: policy.tracking_unit,
        tracking_period: '2025-01-01',
        total_entitlements: String(allowance),
        tracking_period_end_date: '2025-12-31',
      };
    });
  };

  return {
    organization,
    me,
    legalEntities,
    departments,
    groups,
    workingLocations,
    people,
    policies,
    timeOffs,
    timesheets,
    payrollReports,
    grossToNet,
    entitlements,
  };
}
