/**
 * SANDBOX_CHURN: one round of changes to a kept sandbox company, as edits to its employee list (never a
 * regeneration). A round touches `max(1, round(fraction × employees))` people, each change drawn from
 * `seed/live-churn/<round>`, so the same company and round always change the same way:
 *
 * - hire (30 %): a new active employee starting on the company's reference date, modelled on a colleague (same
 *   department, location, manager, pay)              → `added` in a webhook
 * - leave (25 %): an active or on-leave employee becomes `inactive` with `termination_date` = the reference date
 *                                                     → `updated` (employment_status, termination_date)
 * - edit (35 %): a new mobile number and desk        → `updated` (mobile_phone_number, custom_fields.desk)
 * - purge (10 %): an inactive employee is deleted from the system (an edit when there is none) → `removed`
 */
import type { Employee } from '../../model/index.js';
import { englishFaker } from './english-faker.js';
import { opaqueId, Rng, seedOf } from './random.js';

const faker = englishFaker();

/** Remote ids of churn hires start here, apart from generated (100000 + i) and API-created (500000 + n) ones. */
const HIRE_REMOTE_BASE = 300_000;

export interface ChurnRound {
  seed: string;
  /** 1, 2, …: the round being applied. */
  round: number;
  fraction: number;
  /** `YYYY-MM-DD`: the company's "today" (start of hires, end of leavers). */
  today: string;
  /** Hires made by earlier rounds (numbers the new ones). */
  hiresSoFar: number;
}

/**
 * One change of a round as an edit to the kept company (kept-company.ts logs these instead of rewriting the list):
 * `add` a hire modelled on the employee `like` (whose payroll facts it copies, starting on the hire's start date,
 * numbered `index` for its payslip and time-off streams), `set` fields of an employee, `remove` one.
 */
export type ChurnEdit =
  | { op: 'add'; employee: Employee; like: string; index: number }
  | { op: 'set'; id: string; patch: Partial<Employee> }
  | { op: 'remove'; id: string };

/** Payroll index of churn hire n (apart from generated employees' 0 … 9,999). */
export const hireIndex = (n: number) => HIRE_REMOTE_BASE + n;

export interface ChurnResult {
  employees: Employee[];
  /** The round as edits, in order: applying them to the input gives `employees`. */
  edits: ChurnEdit[];
  hired: string[];
  left: string[];
  edited: string[];
  purged: string[];
}

/** Applies one round to `employees` (not modified; unchanged records are shared with the result). */
export function applyChurnRound(employees: readonly Employee[], r: ChurnRound): ChurnResult {
  const list = [...employees];
  const out: ChurnResult = { employees: list, edits: [], hired: [], left: [], edited: [], purged: [] };
  if (!(r.fraction > 0) || list.length === 0) return out;
  const rng = Rng.of(r.seed, 'live-churn', r.round);
  const changes = Math.max(1, Math.round(r.fraction * list.length));
  // Index 0 is the CEO: never leaves or goes.
  const pickWhere = (ok: (e: Employee) => boolean): number | undefined => {
    const candidates: number[] = [];
    for (let i = 1; i < list.length; i++) if (ok(list[i] as Employee)) candidates.push(i);
    return candidates.length === 0 ? undefined : rng.pick(candidates);
  };
  const present = (e: Employee) => e.employment_status === 'active' || e.employment_status === 'leave';
  const touched = new Set<string>();
  for (let c = 0; c < changes; c++) {
    let kind = rng.weighted([
      ['hire', 30],
      ['leave', 25],
      ['edit', 35],
      ['purge', 10],
    ] as const);
    const fresh = (e: Employee) => !touched.has(e.id);
    if (kind === 'purge' && pickWhere((e) => e.employment_status === 'inactive' && fresh(e)) === undefined) {
      kind = 'edit';
    }
    if (kind === 'hire') {
      const templateAt = pickWhere(present) ?? 0;
      const template = list[templateAt] as Employee;
      const hire = hireFrom(template, r, out.hired.length, rng);
      list.push(hire);
      out.edits.push({
        op: 'add',
        employee: hire,
        like: template.id,
        index: hireIndex(r.hiresSoFar + out.hired.length + 1),
      });
      out.hired.push(hire.id);
      touched.add(hire.id);
      continue;
    }
    const at = pickWhere(
      kind === 'purge'
        ? (e) => e.employment_status === 'inactive' && fresh(e)
        : kind === 'leave'
          ? (e) => present(e) && fresh(e)
          : fresh,
    );
    if (at === undefined) continue;
    const current = list[at] as Employee;
    touched.add(current.id);
    if (kind === 'purge') {
      list.splice(at, 1);
      out.edits.push({ op: 'remove', id: current.id });
      out.purged.push(current.id);
    } else if (kind === 'leave') {
      const patch = { employment_status: 'inactive', termination_date: r.today } as const;
      list[at] = { ...current, ...patch };
      out.edits.push({ op: 'set', id: current.id, patch });
      out.left.push(current.id);
    } else {
      const patch = {
        mobile_phone_number: redial(current.mobile_phone_number, rng),
        custom_fields: {
          ...current.custom_fields,
          desk: `${rng.pick(['A', 'B', 'C', 'D'])}-${rng.int(1, 80)}`,
        },
      };
      list[at] = { ...current, ...patch };
      out.edits.push({ op: 'set', id: current.id, patch });
      out.edited.push(current.id);
    }
  }
  return out;
}

/** The same number's shape with new digits (keeps the country's format). */
function redial(phone: string | null, rng: Rng): string {
  const shape = phone ?? '+1 555 ### ####';
  let n = 0;
  return shape.replace(/\d|#/g, (d) => (n++ < 2 && d !== '#' ? d : String(rng.int(0, 9))));
}

function hireFrom(template: Employee, r: ChurnRound, k: number, rng: Rng): Employee {
  faker.seed(seedOf(r.seed, 'live-churn', r.round, 'hire', k));
  const female = rng.chance(0.5);
  const first = faker.person.firstName(female ? 'female' : 'male');
  const last = faker.person.lastName();
  const n = r.hiresSoFar + k + 1;
  const id = opaqueId('emp', r.seed, 'live-hire', n);
  const domain = template.work_email?.split('@')[1] ?? 'example.com';
  const local = `${first}.${last}`
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z.]/g, '');
  const job = template.employment_history?.at(-1);
  const pay = template.compensation_history?.at(-1);
  return {
    ...template,
    id,
    remote_id: String(HIRE_REMOTE_BASE + n),
    employee_number: `H${n}`,
    first_name: first,
    last_name: last,
    display_full_name: `${first} ${last}`,
    work_email: `${local}.${n}@${domain}`,
    personal_email: `${local}${rng.int(1, 99)}@example.org`,
    mobile_phone_number: redial(template.mobile_phone_number, rng),
    tax_id: null,
    gender: female ? 'female' : 'male',
    date_of_birth: `${rng.int(1965, 2002)}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`,
    employment_status: 'active',
    start_date: r.today,
    remote_created_at: r.today,
    termination_date: null,
    avatar: null,
    bank_account: null,
    employment_history: job ? [{ ...job, effective_date: r.today }] : [],
    compensation_history: pay ? [{ ...pay, effective_date: r.today, notes: 'Starting salary' }] : [],
    custom_fields: { ...template.custom_fields },
    dependents: [],
    emergency_contacts: [],
  };
}
