import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestNode } from '../../testing/node.js';
import { CompanyGenerator, makeCompany } from './generator-pool.js';
import { keptEmployeeTexts } from './kept-company.js';
import { payslipsFor } from './payslips.js';
import { timeOffFor } from './time-off.js';

const options = { seed: 'worker', employees: 120, asOf: '2025-06-01', churn: 0, epoch: 0 };
const sha = (v: unknown) => createHash('sha256').update(JSON.stringify(v)).digest('hex');

/** A generator whose worker a test can end as a crash would. */
class Crashable extends CompanyGenerator {
  crash(): Promise<number> | undefined {
    return this.worker?.terminate();
  }
}

const generators: CompanyGenerator[] = [];
const made = <T extends CompanyGenerator>(g: T): T => {
  generators.push(g);
  return g;
};
afterEach(async () => {
  for (const g of generators.splice(0)) await g.close();
});

describe('sandbox generator thread', () => {
  it('makes the same company, byte for byte, as generating it on this thread', async () => {
    const here = await makeCompany(undefined, options);
    const there = await makeCompany(made(new CompanyGenerator()), options);
    expect(there.data).not.toBe(here.data);
    // Field by field (an unpacked company lists its fields in another order, as every company read back does).
    for (const key of Object.keys(here.data) as (keyof typeof here.data)[]) {
      if (key === 'options') expect(there.data.options).toEqual(here.data.options);
      else expect(sha(there.data[key]), key).toBe(sha(here.data[key]));
    }
    expect(there.packed).toBe(here.packed);
    // What the reads derive from it too, and the employees' texts the fetch path is handed.
    const payrun = here.data.payruns[0]?.id ?? '';
    expect(sha(payslipsFor(there.data, payrun))).toBe(sha(payslipsFor(here.data, payrun)));
    expect(sha(timeOffFor(there.data))).toBe(sha(timeOffFor(here.data)));
    expect(keptEmployeeTexts(there.data)).toEqual(there.data.employees.map((e) => JSON.stringify(e)));
    expect(Object.isFrozen(there.data.employees[0])).toBe(true);
  });

  it('answers concurrent jobs, each its own company', async () => {
    const g = made(new CompanyGenerator());
    const seeds = ['a', 'b', 'c', 'd'];
    const got = await Promise.all(seeds.map((seed) => makeCompany(g, { ...options, seed, employees: 30 })));
    const want = await Promise.all(
      seeds.map((seed) => makeCompany(undefined, { ...options, seed, employees: 30 })),
    );
    expect(got.map((m) => m.packed)).toEqual(want.map((m) => m.packed));
    expect(g.started).toBe(1);
  });

  it('ends its thread once idle and starts another for the next company', async () => {
    const g = made(new CompanyGenerator(50));
    await g.generate({ ...options, employees: 5 });
    expect(g.running).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    expect(g.running).toBe(false);
    const again = await makeCompany(g, { ...options, employees: 5 });
    expect(again.data.employees).toHaveLength(5);
    expect(g.started).toBe(2);
  });

  it('replaces a thread that dies and still answers the job it had', async () => {
    const g = made(new Crashable());
    const job = g.generate(options);
    await g.crash();
    const form = await job;
    expect(form.packed).toBe((await makeCompany(undefined, options)).packed);
    expect(g.started).toBe(2);
  });

  it('fails a job the thread cannot do, and keeps working', async () => {
    const g = made(new CompanyGenerator());
    await expect(g.generate({ ...options, employees: -1 })).rejects.toThrow(/sandbox generation failed/);
    expect((await g.generate({ ...options, employees: 3 })).text).toContain('"employees":[');
  });
});

describe('a node generates sandbox companies in its generator thread', () => {
  it('answers a sandbox read with the company the thread made', async () => {
    const node = await startTestNode({ store: 'sqlite' });
    try {
      const token = await node.token({ employees: 40 });
      const res = await node.app.inject({
        method: 'GET',
        url: '/2023-03-01/xhr/employees',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json() as unknown[]).toHaveLength(40);
      expect(node.services.sandboxGenerator.started).toBe(1);
    } finally {
      await node.close();
    }
    expect(node.services.sandboxGenerator.running).toBe(false);
  });
});
