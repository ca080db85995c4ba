/** The emulator's seeded US company: members (faker en_US) and a year of semi-monthly payrolls with pay stubs. */
import { fakerEN_US } from '@faker-js/faker';
import type { JwMember, JwPayroll, JwPaystub } from '../raw.js';

export interface JwData {
  members: Array<JwMember & { member_uuid: string }>;
  payrolls: Array<JwPayroll & { uuid: string }>;
  paystubs: Map<string, JwPaystub[]>;
  admin: { member_uuid: string; email: string };
}

const iso = (d: Date) => d.toISOString().slice(0, 10);
const money = (cents: number) => (cents / 100).toFixed(2);

export function generate(options: { employees: number; seed: number; today?: Date }): JwData {
  const faker = fakerEN_US;
  faker.seed(options.seed);
  const today = options.today ?? new Date();
  const members: JwData['members'] = [];
  const salary = new Map<string, number>();
  for (let i = 0; i < options.employees; i++) {
    const first = faker.person.firstName();
    const last = faker.person.lastName();
    const start = faker.date.past({ years: 6, refDate: today });
    const gone = i > 1 && faker.number.int({ min: 1, max: 12 }) === 1;
    const uuid = faker.string.uuid();
    members.push({
      member_uuid: uuid,
      first_name: first,
      last_name: last,
      preferred_name: null,
      work_email: faker.internet
        .email({ firstName: first, lastName: last, provider: 'acme.example.com' })
        .toLowerCase(),
      personal_email: faker.internet.email({ firstName: first, lastName: last }).toLowerCase(),
      phone: faker.phone.number({ style: 'national' }),
      title: faker.person.jobTitle(),
      department: faker.helpers.arrayElement(['Engineering', 'Sales', 'Finance', 'People', 'Support']),
      office: faker.helpers.arrayElement(['New York', 'Remote', 'Austin']),
      status: gone ? 'terminated' : 'active',
      employment_type: faker.helpers.weightedArrayElement([
        { weight: 8, value: 'full_time' },
        { weight: 1, value: 'part_time' },
        { weight: 1, value: 'contractor' },
      ]),
      start_date: iso(start),
      end_date: gone ? iso(faker.date.between({ from: start, to: today })) : null,
      birth_date: iso(faker.date.birthdate({ min: 21, max: 64, mode: 'age', refDate: today })),
      manager_uuid: i === 0 ? null : (members[0]?.member_uuid ?? null),
    });
    salary.set(uuid, faker.number.int({ min: 45, max: 220 }) * 1_000_00);
  }
  const payrolls: JwData['payrolls'] = [];
  const paystubs = new Map<string, JwPaystub[]>();
  for (let back = 24; back >= 1; back--) {
    const half = back % 2;
    const month = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - Math.ceil(back / 2), 1));
    const start = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth(), half ? 1 : 16));
    const end = half
      ? new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth(), 15))
      : new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 0));
    const uuid = faker.string.uuid();
    payrolls.push({
      uuid,
      pay_date: iso(end),
      period_start: iso(start),
      period_end: iso(end),
      status: 'processed',
      payroll_type: 'regular',
    });
    const stubs: JwPaystub[] = [];
    for (const m of members) {
      if ((m.start_date ?? '') > iso(end) || (m.end_date && m.end_date < iso(start))) continue;
      const gross = Math.round((salary.get(m.member_uuid) ?? 60_000_00) / 24);
      const federal = Math.round(gross * 0.12);
      const ss = Math.round(gross * 0.062);
      const medicare = Math.round(gross * 0.0145);
      const k401 = Math.round(gross * 0.04);
      const health = 120_00;
      stubs.push({
        uuid: faker.string.uuid(),
        member_uuid: m.member_uuid,
        gross_pay: money(gross),
        net_pay: money(gross - federal - ss - medicare - k401 - health),
        earnings: [
          {
            name: 'Regular',
            amount: money(gross),
            hours: m.employment_type === 'part_time' ? '40.00' : null,
          },
        ],
        deductions: [
          { name: '401(k)', amount: money(k401) },
          { name: 'Medical', amount: money(health) },
        ],
        employee_taxes: [
          { name: 'Federal Income Tax', amount: money(federal) },
          { name: 'Social Security', amount: money(ss) },
          { name: 'Medicare', amount: money(medicare) },
        ],
        employer_taxes: [
          { name: 'Social Security', amount: money(ss) },
          { name: 'Medicare', amount: money(medicare) },
          { name: 'FUTA', amount: money(Math.round(gross * 0.006)) },
        ],
        reimbursements: [],
      });
    }
    paystubs.set(uuid, stubs);
  }
  const admin = members[0] ?? { member_uuid: 'admin', work_email: 'admin@acme.example.com' };
  return {
    members,
    payrolls,
    paystubs,
    admin: { member_uuid: admin.member_uuid, email: admin.work_email ?? 'admin@acme.example.com' },
  };
}
