/**
 * The emulator's seeded Deputy install: an Australian hospitality business (faker's en_AU locale) with a few
 * workplaces, their areas (operational units), staff with contacts, and (by default) three months of timesheets. Deterministic
 * per seed.
 */
import { fakerEN_AU } from '@faker-js/faker';
import type {
  DeputyCompany,
  DeputyContact,
  DeputyEmployee,
  DeputyOperationalUnit,
  DeputyTimesheet,
} from '../raw.js';

export interface DeputyData {
  companies: Array<DeputyCompany & { Id: number }>;
  units: Array<DeputyOperationalUnit & { Id: number }>;
  contacts: Map<number, DeputyContact>;
  employees: Array<DeputyEmployee & { Id: number }>;
  timesheets: Array<DeputyTimesheet & { Id: number; Date: string }>;
  admin: { EmployeeId: number; UserId: number; email: string; name: string };
}

const iso = (d: Date) => d.toISOString().slice(0, 10);
const stamp = (d: Date) => `${d.toISOString().slice(0, 19)}+00:00`;

export function generate(options: {
  employees: number;
  seed: number;
  today?: Date;
  /** How many days of timesheets, back from yesterday. */
  days?: number;
}): DeputyData {
  const faker = fakerEN_AU;
  faker.seed(options.seed);
  const today = options.today ?? new Date();
  const companies = ['Bondi Beach Cafe', 'Surry Hills Kitchen', 'Fitzroy Bar'].map((name, i) => ({
    Id: i + 1,
    Code: name
      .split(' ')
      .map((w) => w[0])
      .join(''),
    CompanyName: name,
    Active: true,
  }));
  const units: DeputyData['units'] = [];
  for (const c of companies) {
    for (const area of ['Front of House', 'Kitchen', 'Bar']) {
      units.push({
        Id: units.length + 1,
        Company: c.Id,
        OperationalUnitName: `${area} (${c.Code})`,
        Active: true,
      });
    }
  }
  const contacts = new Map<number, DeputyContact>();
  const employees: DeputyData['employees'] = [];
  for (let i = 0; i < options.employees; i++) {
    const sex = faker.helpers.arrayElement(['male', 'female'] as const);
    const first = faker.person.firstName(sex);
    const last = faker.person.lastName();
    const start = faker.date.past({ years: 5, refDate: today });
    const gone = i > 1 && faker.number.int({ min: 1, max: 10 }) === 1;
    const id = 100 + i;
    const contactId = 5000 + i;
    contacts.set(contactId, {
      Id: contactId,
      Email1: faker.internet
        .email({ firstName: first, lastName: last, provider: 'harbourhospitality.com.au' })
        .toLowerCase(),
      Phone1: null,
      Mobile: faker.phone.number({ style: 'national' }),
    });
    const created = faker.date.between({ from: start, to: today });
    employees.push({
      Id: id,
      Company: faker.helpers.arrayElement(companies).Id,
      FirstName: first,
      LastName: last,
      DisplayName: `${first} ${last}`,
      OtherName: null,
      Gender: sex === 'male' ? 1 : 2,
      DateOfBirth: iso(faker.date.birthdate({ min: 18, max: 60, mode: 'age', refDate: today })),
      StartDate: iso(start),
      TerminationDate: gone ? iso(faker.date.between({ from: start, to: today })) : null,
      Active: !gone,
      Position:
        i === 0
          ? 'General Manager'
          : faker.helpers.arrayElement([
              'Barista',
              'Chef',
              'Waiter',
              'Bartender',
              'Kitchen Hand',
              'Supervisor',
            ]),
      ReportTo: i === 0 ? null : 100,
      Contact: contactId,
      Created: stamp(created),
      Modified: stamp(created),
    });
  }
  const timesheets: DeputyData['timesheets'] = [];
  for (let back = options.days ?? 90; back >= 1; back--) {
    const day = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - back));
    for (const e of employees) {
      if (!e.Active || (e.StartDate ?? '') > iso(day) || faker.number.int({ min: 1, max: 7 }) > 3) continue;
      const startHour = faker.helpers.arrayElement([6, 7, 11, 16, 17]);
      const hours = faker.helpers.arrayElement([4, 5, 6, 7.5, 8]);
      const startTime = Math.floor(day.getTime() / 1000) + startHour * 3600;
      timesheets.push({
        Id: 90_000 + timesheets.length,
        Employee: e.Id,
        Date: iso(day),
        StartTime: startTime,
        EndTime: startTime + Math.round(hours * 3600) + 1800,
        TotalTime: hours,
        Discarded: false,
        IsInProgress: false,
        Created: stamp(new Date((startTime + 9 * 3600) * 1000)),
        Modified: stamp(new Date((startTime + 9 * 3600) * 1000)),
      });
    }
  }
  const first = employees[0];
  return {
    companies,
    units,
    contacts,
    employees,
    timesheets,
    admin: {
      EmployeeId: first?.Id ?? 100,
      UserId: 1,
      email: contacts.get(first?.Contact ?? 0)?.Email1 ?? 'admin@harbourhospitality.com.au',
      name: first?.DisplayName ?? 'Admin',
    },
  };
}
