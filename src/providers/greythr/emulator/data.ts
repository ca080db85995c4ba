/**
 * The emulator's seeded company: an Indian employer's directory (faker's en_IN locale) and twelve monthly payrolls
 * with greytHR-style payslip lines (BASIC, HRA, special allowance; PF, professional tax, TDS). Deterministic per seed.
 */
import { fakerEN_IN } from '@faker-js/faker';
import type { GreytDirectoryEntry, GreytPayslip, GreytPayslipMonth } from '../raw.js';

export interface GreytData {
  employees: Array<GreytDirectoryEntry & { employeeId: number }>;
  months: Array<GreytPayslipMonth & { id: number }>;
  /** Payslip by `${employeeId}/${monthId}`. */
  payslips: Map<string, GreytPayslip>;
  admin: { employeeId: number; employeeNo: string; name: string; email: string };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const iso = (d: Date) => d.toISOString().slice(0, 10);
const rupees = (n: number) => Math.round(n * 100) / 100;

function payslip(monthlyCtc: number, faker: typeof fakerEN_IN): GreytPayslip {
  const basic = rupees(monthlyCtc * 0.5);
  const hra = rupees(basic * 0.4);
  const special = rupees(monthlyCtc - basic - hra - 1600);
  const gross = rupees(basic + hra + special + 1600);
  const pf = rupees(Math.min(basic, 15000) * 0.12);
  const pt = 200;
  const tds = rupees(Math.max(0, (gross - 50000) * faker.number.float({ min: 0.05, max: 0.2 })));
  const deductions = rupees(pf + pt + tds);
  let id = 1;
  const line = (parent: string, name: string, description: string, value: number, salaryType: number) => ({
    item: { id: id++, parent, name, description, salaryType, show: true },
    value,
  });
  return {
    content: [
      line('INCOME', 'BASIC', 'Basic', basic, 1),
      line('INCOME', 'HRA', 'House Rent Allowance', hra, 1),
      line('INCOME', 'CONVEYANCE', 'Conveyance Allowance', 1600, 1),
      line('INCOME', 'SPECIAL', 'Special Allowance', special, 1),
      line('DEDUCT', 'PF', 'Provident Fund', pf, 2),
      line('DEDUCT', 'PROF TAX', 'Professional Tax', pt, 2),
      line('DEDUCT', 'INCOME TAX', 'Income Tax (TDS)', tds, 2),
      line('SUMMARY', 'GROSS', 'Gross Earnings', gross, 3),
      line('SUMMARY', 'TOTAL DEDUCTIONS', 'Total Deductions', deductions, 3),
      line('SUMMARY', 'NET PAY', 'Net Pay', rupees(gross - deductions), 3),
    ],
    netPayInWords: 'Rupees only',
    ctcTypeText: 'Monthly',
  };
}

export function generate(options: { employees: number; seed: number; today?: Date }): GreytData {
  const faker = fakerEN_IN;
  faker.seed(options.seed);
  const today = options.today ?? new Date();
  const departments = ['Engineering', 'Finance', 'Human Resources', 'Sales', 'Operations', 'Support'];
  const locations = ['Bengaluru', 'Chennai', 'Hyderabad', 'Pune', 'Mumbai'];
  const employees: Array<GreytDirectoryEntry & { employeeId: number }> = [];
  const ctc = new Map<number, number>();
  for (let i = 0; i < options.employees; i++) {
    const gender = faker.helpers.arrayElement(['Male', 'Female'] as const);
    const firstName = faker.person.firstName(gender === 'Male' ? 'male' : 'female');
    const lastName = faker.person.lastName();
    const join = faker.date.past({ years: 8, refDate: today });
    const resigned = i > 2 && faker.number.int({ min: 1, max: 10 }) === 1;
    const employeeId = 1000 + i * 7;
    employees.push({
      employeeId,
      employeeNo: `EMP${String(i + 1).padStart(4, '0')}`,
      name: `${firstName} ${lastName}`,
      firstName,
      lastName,
      email: faker.internet.email({ firstName, lastName, provider: 'acme.co.in' }).toLowerCase(),
      personalEmail: faker.internet.email({ firstName, lastName }).toLowerCase(),
      mobile: faker.phone.number(),
      designation: faker.person.jobTitle(),
      department: faker.helpers.arrayElement(departments),
      location: faker.helpers.arrayElement(locations),
      gender,
      dateOfBirth: iso(faker.date.birthdate({ min: 22, max: 60, mode: 'age', refDate: today })),
      dateOfJoin: iso(join),
      leavingDate: resigned ? iso(faker.date.between({ from: join, to: today })) : null,
      status: resigned ? 'Resigned' : faker.helpers.arrayElement(['Active', 'Active', 'Active', 'Probation']),
      managerId: i === 0 ? null : 1000,
    });
    ctc.set(employeeId, faker.number.int({ min: 30, max: 300 }) * 1000);
  }
  const months: GreytData['months'] = [];
  const payslips = new Map<string, GreytPayslip>();
  for (let back = 12; back >= 1; back--) {
    const from = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - back, 1));
    const to = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + 1, 0));
    const id = 40_000 + from.getUTCFullYear() * 12 + from.getUTCMonth();
    months.push({
      id,
      month: `${MONTHS[from.getUTCMonth()]} ${from.getUTCFullYear()}`,
      fromDate: iso(from),
      toDate: iso(to),
      paidOn: iso(to),
      released: true,
    });
    for (const e of employees) {
      if ((e.dateOfJoin ?? '') > iso(to) || (e.leavingDate && e.leavingDate < iso(from))) continue;
      payslips.set(`${e.employeeId}/${id}`, payslip(ctc.get(e.employeeId) ?? 50_000, faker));
    }
  }
  const first = employees[0] ?? {
    employeeId: 1000,
    employeeNo: 'EMP0001',
    name: 'Admin',
    email: 'admin@acme.co.in',
  };
  return {
    employees,
    months,
    payslips,
    admin: {
      employeeId: first.employeeId,
      employeeNo: first.employeeNo ?? 'EMP0001',
      name: first.name ?? 'Admin',
      email: first.email ?? 'admin@acme.co.in',
    },
  };
}
