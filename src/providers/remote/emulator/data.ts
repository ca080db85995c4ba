/**
 * Seeded data for the Remote emulator, shaped as the published spec's schemas (every required property present).
 * Every reference resolves: employments' departments and managers, time off's and balances' employments.
 *
 * Semantics the data exercises on purpose: employments in every lifecycle state (onboarding, active, archived),
 * contractors, employments without a department or a salary, yearly salaries in cents, half days (4 hours), every
 * time-off status (cancelled and declined included), balances with hours as well as days and a negative remainder.
 */
import { base, en, Faker } from '@faker-js/faker';
import type {
  RemoteCompany,
  RemoteCountry,
  RemoteDepartment,
  RemoteEmployment,
  RemoteTimeoff,
  RemoteTimeoffBalance,
} from '../raw.js';

/** The emulator's "today": data is dated relative to it so runs are reproducible. */
export const EMULATOR_TODAY = '2025-06-30';

/** Remote's countries as `/v1/countries` lists them (alpha-3 `code`, alpha-2 beside it) and their currency. */
export const COUNTRIES: ReadonlyArray<
  RemoteCountry & { code: string; alpha_2_code: string; currency: string }
> = [
  { code: 'PRT', alpha_2_code: 'PT', name: 'Portugal', currency: 'EUR' },
  { code: 'DEU', alpha_2_code: 'DE', name: 'Germany', currency: 'EUR' },
  { code: 'GBR', alpha_2_code: 'GB', name: 'United Kingdom', currency: 'GBP' },
  { code: 'CAN', alpha_2_code: 'CA', name: 'Canada', currency: 'CAD' },
  { code: 'AUS', alpha_2_code: 'AU', name: 'Australia', currency: 'AUD' },
  { code: 'USA', alpha_2_code: 'US', name: 'United States', currency: 'USD' },
];

const STATUSES = [
  'active',
  'active',
  'active',
  'active',
  'created',
  'invited',
  'review',
  'archived',
] as const;
const TYPES = ['employee', 'employee', 'employee', 'contractor', 'global_payroll_employee'] as const;
const TIMEOFF_TYPES = [
  'paid_time_off',
  'paid_time_off',
  'sick_leave',
  'unpaid_leave',
  'parental_leave',
] as const;
const TIMEOFF_STATUSES = ['approved', 'approved', 'taken', 'requested', 'declined', 'cancelled'] as const;

export interface RemoteEmulatorData {
  company: RemoteCompany & Record<string, unknown>;
  departments: RemoteDepartment[];
  /** Full records, as `GET /v1/employments/{id}` gives them; the list answers their minimal part. */
  employments: Array<RemoteEmployment & Record<string, unknown>>;
  timeoffs: Array<RemoteTimeoff & Record<string, unknown>>;
  /** By employment id; employments without a leave policy (contractors) have none (404). */
  balances: Map<string, RemoteTimeoffBalance & Record<string, unknown>>;
}

function uuid(f: Faker): string {
  return f.string.uuid();
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

const TASKS = [
  'address_details',
  'administrative_details',
  'bank_account_details',
  'billing_address_details',
  'contract_details',
  'emergency_contact_details',
  'employment_document_details',
  'personal_details',
  'pricing_plan_details',
] as const;

export function generateRemoteData(options: { employees?: number; seed?: number } = {}): RemoteEmulatorData {
  const count = options.employees ?? 100;
  const f = new Faker({ locale: [en, base], seed: options.seed ?? 42 });
  const companyId = uuid(f);
  const company = {
    id: companyId,
    name: `${f.company.name()} Ltd`,
    country_code: 'GBR',
    desired_currency: 'GBP',
    company_owner_email: f.internet.email().toLowerCase(),
    company_owner_name: f.person.fullName(),
    status: 'active',
    tax_number: `GB${f.string.numeric(9)}`,
    registration_number: f.string.numeric(8),
    external_id: null,
    address_details: {
      address: f.location.streetAddress(),
      address_line_2: 'Floor 2',
      city: 'London',
      postal_code: 'EC1A 1BB',
      state: 'England',
    },
    created_at: '2021-10-29T12:39:13Z',
    updated_at: '2024-01-15T09:00:00Z',
    terms_of_service_accepted_at: '2021-10-29T12:39:15Z',
  };
  const departments: RemoteDepartment[] = ['Engineering', 'Sales', 'Marketing', 'People', 'Finance'].map(
    (name) => ({
      id: uuid(f),
      name,
      company_id: companyId,
    }),
  );

  const employments: RemoteEmulatorData['employments'] = [];
  for (let i = 0; i < count; i++) {
    const country = COUNTRIES[i % COUNTRIES.length] ?? COUNTRIES[0];
    if (!country) throw new Error('no countries');
    const first = f.person.firstName();
    const last = i % 9 === 0 ? `${f.person.lastName()} ${f.person.lastName()}` : f.person.lastName();
    const status = STATUSES[i % STATUSES.length] ?? 'active';
    const type = TYPES[i % TYPES.length] ?? 'employee';
    const department = i % 7 === 6 ? null : (departments[i % departments.length] ?? null);
    const start = addDays(
      EMULATOR_TODAY,
      status === 'active' || status === 'archived' ? -30 - i * 3 : 10 + i,
    );
    // Yearly salary in cents; some employments (contractors) have none in their contract details.
    const salary =
      type === 'contractor'
        ? undefined
        : (30_000 + f.number.int({ min: 0, max: 900 }) * 100) * 100 + (i % 3) * 50;
    const managerId =
      i > 0 && i % 4 !== 0 ? employments[f.number.int({ min: 0, max: i - 1 })]?.id : undefined;
    employments.push({
      id: uuid(f),
      full_name: `${first} ${last}`,
      job_title: f.person.jobTitle(),
      personal_email: f.internet.email({ firstName: first, lastName: last }).toLowerCase(),
      status,
      type,
      country: { code: country.code, alpha_2_code: country.alpha_2_code, name: country.name },
      department: department?.name ?? null,
      department_id: department?.id ?? null,
      company_id: companyId,
      created_at: `${addDays(start, -20)}T10:00:00Z`,
      updated_at: `${addDays(start, -2)}T10:00:00Z`,
      provisional_start_date: start,
      ...(managerId ? { manager: managerId } : {}),
      employment_lifecycle_stage:
        status === 'active' ? 'onboarded' : status === 'archived' ? 'offboarded' : 'employment_creation',
      user_status: status === 'archived' ? 'inactive' : 'active',
      files: [],
      onboarding_tasks: Object.fromEntries(TASKS.map((t) => [t, { status: 'completed' }])),
      pricing_plan_details: { frequency: 'monthly' },
      basic_information: {
        name: `${first} ${last}`,
        email: f.internet.email({ firstName: first, lastName: last }).toLowerCase(),
        ...(i % 5 === 1
          ? {}
          : { work_email: `${first}.${last.replace(/\s+/g, '')}@example.com`.toLowerCase() }),
        job_title: 'ignored: the employment job_title wins',
        provisional_start_date: start,
      },
      personal_details: {
        birth_date: f.date.birthdate({ min: 1960, max: 2000, mode: 'year' }).toISOString().slice(0, 10),
      },
      contract_details:
        salary === undefined
          ? {}
          : {
              annual_gross_salary: salary,
              salary_currency: country.currency,
              contract_duration_type: 'indefinite',
            },
      address_details: {
        address: f.location.streetAddress(),
        ...(i % 2 === 0 ? { address_line_2: `Apt ${i + 1}` } : {}),
        city: f.location.city(),
        postal_code: f.location.zipCode(),
      },
      administrative_details: {},
      billing_address_details: {},
      bank_account_details: [],
      emergency_contact_details:
        i % 3 === 0
          ? {}
          : { name: f.person.fullName(), relationship: 'Partner', phone_number: f.phone.number() },
    });
  }

  const timeoffs: RemoteEmulatorData['timeoffs'] = [];
  const balances: RemoteEmulatorData['balances'] = new Map();
  employments.forEach((e, i) => {
    if (e.type === 'contractor') return;
    const id = e.id ?? '';
    for (let k = 0; k < 2; k++) {
      const start = addDays(EMULATOR_TODAY, -200 + ((i * 11 + k * 97) % 320));
      const days = 1 + ((i + k) % 4);
      const half = (i + k) % 5 === 0;
      const status = TIMEOFF_STATUSES[(i + k) % TIMEOFF_STATUSES.length] ?? 'approved';
      timeoffs.push({
        id: uuid(f),
        employment_id: id,
        start_date: start,
        end_date: addDays(start, days - 1),
        status,
        timeoff_type: TIMEOFF_TYPES[(i + k) % TIMEOFF_TYPES.length] ?? 'paid_time_off',
        timeoff_days: Array.from({ length: days }, (_, d) => ({
          day: addDays(start, d),
          hours: half && d === 0 ? 4 : 8,
        })),
        notes: k === 0 ? 'Family trip' : null,
        timezone: 'Europe/Lisbon',
        approved_at: status === 'approved' || status === 'taken' ? `${addDays(start, -5)}T09:00:00Z` : null,
        approver_id: null,
        cancelled_at: status === 'cancelled' ? `${addDays(start, -1)}T09:00:00Z` : null,
      });
    }
    const taken = i % 6;
    const extraTaken = i % 10 === 0 ? 5 : 0;
    balances.set(id, {
      contractual_entitled: 25,
      contractual_leave_entitlement_type: 'working_days',
      working_hours_per_day: 8,
      total_entitled_days: 28,
      taken: { days: taken + extraTaken, hours: i % 2 === 0 ? 4 : 0 },
      upcoming_approved: { days: 1, hours: 0 },
      upcoming_requested: { days: 0, hours: 0 },
      timeoff_entitlements: [
        {
          name: 'Annual paid time off',
          type: 'annual_paid_timeoff',
          can_expire: true,
          expiry_date: '2025-12-31',
          entitled: { days: 25, hours: 0 },
          taken: { days: taken, hours: i % 2 === 0 ? 4 : 0 },
          remaining: { days: 25 - taken - (i % 2 === 0 ? 1 : 0), hours: i % 2 === 0 ? 4 : 0 },
        },
        {
          name: 'Carry over',
          type: 'carryover_pto',
          can_expire: true,
          expiry_date: '2025-03-31',
          entitled: { days: 3, hours: 0 },
          taken: { days: extraTaken, hours: 0 },
          // More taken than carried over: the remainder runs negative.
          remaining: { days: 3 - extraTaken, hours: 0 },
        },
      ],
    });
  });
  return { company, departments, employments, timeoffs, balances };
}
