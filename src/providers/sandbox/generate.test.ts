import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EMPLOYMENT_STATUSES, EMPLOYMENT_TYPES, GROUP_TYPES } from '../../model/index.js';
import { generateDataset, getDataset, type SandboxDataset } from './generate.js';

const ASOF = '2025-06-01';
const sha = (v: unknown) => createHash('sha256').update(JSON.stringify(v)).digest('hex');

describe('sandbox generator: determinism', () => {
  it('same seed, size and asOf give byte-identical JSON', () => {
    const a = generateDataset({ seed: 'acme', employees: 200, asOf: ASOF });
    const b = generateDataset({ seed: 'acme', employees: 200, asOf: ASOF });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it('is identical in another process (no hidden state, no clock)', () => {
    const here = sha(generateDataset({ seed: 'acme', employees: 120, asOf: ASOF }));
    const modulePath = fileURLToPath(new URL('./generate.ts', import.meta.url));
    const script =
      `import { generateDataset } from ${JSON.stringify(modulePath)};` +
      `import { createHash } from 'node:crypto';` +
      `const d = generateDataset({ seed: 'acme', employees: 120, asOf: '${ASOF}' });` +
      `process.stdout.write(createHash('sha256').update(JSON.stringify(d)).digest('hex'));`;
    const there = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    expect(there).toBe(here);
  });

  it('a different seed or asOf gives a different company', () => {
    const a = generateDataset({ seed: 'acme', employees: 30, asOf: ASOF });
    const b = generateDataset({ seed: 'globex', employees: 30, asOf: ASOF });
    const c = generateDataset({ seed: 'acme', employees: 30, asOf: '2025-07-01' });
    expect(b.employees[5]?.id).not.toBe(a.employees[5]?.id);
    expect(sha(b.employees)).not.toBe(sha(a.employees));
    expect(sha(c.payruns)).not.toBe(sha(a.payruns));
  });

  it('growing the company keeps the first employees unchanged (sub-seeds per index)', () => {
    const small = generateDataset({ seed: 'acme', employees: 40, asOf: ASOF });
    const big = generateDataset({ seed: 'acme', employees: 400, asOf: ASOF });
    // Ids and names depend only on the index; managers may differ because departments differ with size.
    expect(big.employees.slice(0, 40).map((e) => e.id)).toEqual(small.employees.map((e) => e.id));
    expect(big.employees[0]?.first_name).toBe(small.employees[0]?.first_name);
  });

  it('memoises per options and returns frozen data', () => {
    const a = getDataset({ seed: 'memo', employees: 20, asOf: ASOF });
    expect(getDataset({ seed: 'memo', employees: 20, asOf: ASOF })).toBe(a);
    expect(getDataset({ seed: 'memo', employees: 21, asOf: ASOF })).not.toBe(a);
    expect(Object.isFrozen(a.employees[0]?.groups)).toBe(true);
  });
});

describe('sandbox generator: sizes and speed', () => {
  it.each([1, 50, 1000])('makes exactly %i employees', (n) => {
    const d = generateDataset({ seed: `size-${n}`, employees: n, asOf: ASOF });
    expect(d.employees).toHaveLength(n);
    expect(new Set(d.employees.map((e) => e.id)).size).toBe(n);
    expect(d.employees[0]?.manager).toBeNull();
    expect(d.locations.length).toBeGreaterThanOrEqual(3);
    expect(d.locations.length).toBeLessThanOrEqual(8);
  });

  it('refuses sizes outside 1..10,000', () => {
    expect(() => generateDataset({ seed: 's', employees: 0, asOf: ASOF })).toThrow(RangeError);
    expect(() => generateDataset({ seed: 's', employees: 10_001, asOf: ASOF })).toThrow(RangeError);
    expect(() => generateDataset({ seed: 's', employees: 2.5, asOf: ASOF })).toThrow(RangeError);
    expect(() => generateDataset({ seed: 's', employees: 5, asOf: '2025-02-30' })).toThrow(RangeError);
  });

  // Speed is measured in bench/ (P5 and the sandbox cost in docs/benchmarks.md), not asserted here: a timed test
  // fails on a busy machine and proves nothing on an idle one.
  it('makes the largest company, 10,000 employees', () => {
    const big = generateDataset({ seed: 'speed', employees: 10_000, asOf: ASOF });
    expect(big.employees).toHaveLength(10_000);
    expect(new Set(big.employees.map((e) => e.id)).size).toBe(10_000);
  }, 60_000);
});

function checkIntegrity(d: SandboxDataset): void {
  const byId = new Map(d.employees.map((e, i) => [e.id, i]));
  const groups = new Map(d.groups.map((g) => [g.id, g]));
  for (const [i, e] of d.employees.entries()) {
    if (i === 0) expect(e.manager).toBeNull();
    else {
      const m = byId.get(e.manager?.id ?? '');
      expect(m, `manager of ${i}`).toBeDefined();
      expect(m).toBeLessThan(i);
      const boss = d.employees[m ?? -1];
      expect(e.manager).toEqual({
        id: boss?.id,
        remote_id: boss?.remote_id,
        first_name: boss?.first_name,
        last_name: boss?.last_name,
        work_email: boss?.work_email,
      });
    }
    expect(d.locations).toContain(e.work_location);
    for (const g of e.groups ?? []) expect(groups.get(g.id)).toBe(g);
    expect((e.groups ?? []).map((g) => g.type).sort()).toEqual([...GROUP_TYPES].sort());
    for (const h of e.employment_history ?? []) {
      expect(groups.get(h.group_id)?.remote_id).toBe(h.group_remote_id);
      if (h.manager_id !== null) expect(byId.has(h.manager_id)).toBe(true);
    }
    expect(e.employment_history?.length).toBeGreaterThanOrEqual(1);
    expect(e.employment_history?.length).toBeLessThanOrEqual(3);
    expect(e.compensation_history?.length).toBe(e.employment_history?.length);
    expect(e.emergency_contacts?.filter((c) => c.primary_contact)).toHaveLength(1);
    if (e.employment_status === 'inactive') expect(e.termination_date).not.toBeNull();
    else expect(e.termination_date).toBeNull();
    if (e.employment_status === 'pending') expect(e.start_date! > d.options.asOf).toBe(true);
    else expect(e.start_date! <= d.options.asOf).toBe(true);
    expect(e.remote_created_at! <= d.options.asOf).toBe(true);
    expect(/^\d+$/.test(e.remote_id)).toBe(true);
  }
}

describe('sandbox generator: a believable company', () => {
  const d = generateDataset({ seed: 'shape', employees: 50, asOf: ASOF });

  it('has every employment status and type, and every group type', () => {
    const statuses = new Set(d.employees.map((e) => e.employment_status));
    for (const s of EMPLOYMENT_STATUSES) expect(statuses.has(s)).toBe(true);
    const types = new Set(d.employees.map((e) => e.employment_type));
    for (const t of EMPLOYMENT_TYPES) expect(types.has(t)).toBe(true);
    const groupTypes = new Set(d.groups.map((g) => g.type));
    for (const t of GROUP_TYPES) expect(groupTypes.has(t)).toBe(true);
    expect(d.employees.filter((e) => e.employment_status === 'active').length).toBeGreaterThan(30);
  });

  it('keeps references intact: managers, groups, locations, history', () => {
    checkIntegrity(d);
    checkIntegrity(generateDataset({ seed: 'shape-big', employees: 1000, asOf: ASOF }));
    checkIntegrity(generateDataset({ seed: 'shape-one', employees: 1, asOf: ASOF }));
  });

  it('pays in the currency of the work country, yearly or hourly', () => {
    const currencyOf: Record<string, string> = { US: 'usd', CA: 'cad', GB: 'gbp', SE: 'sek' };
    let hourly = 0;
    for (const e of d.employees) {
      const country = e.work_location?.address?.country ?? '';
      for (const c of e.compensation_history ?? []) {
        expect(c.currency).toBe(currencyOf[country] ?? 'eur');
        expect(['year', 'hour']).toContain(c.pay_period);
        if (c.pay_period === 'hour') {
          hourly++;
          expect(c.pay_rate).toBeLessThan(500);
        } else expect(c.pay_rate).toBeGreaterThan(5000);
      }
    }
    expect(hourly).toBeGreaterThan(0);
  });

  it('ids are prefixed and opaque', () => {
    expect(d.employees[0]?.id).toMatch(/^emp_[0-9a-z]{16}$/);
    expect(d.groups[0]?.id).toMatch(/^grp_[0-9a-z]{16}$/);
    expect(d.locations[0]?.id).toMatch(/^loc_[0-9a-z]{16}$/);
    expect(d.payruns[0]?.id).toMatch(/^pr_[0-9a-z]{16}$/);
    expect(d.employees[3]?.id.slice(4)).not.toBe(d.locations[3]?.id?.slice(4));
  });

  it('has 24 monthly regular payruns plus an off-cycle and a correction', () => {
    const regular = d.payruns.filter((p) => p.type === 'regular');
    expect(regular).toHaveLength(24);
    expect(regular.at(-1)?.start_date).toBe('2025-06-01');
    expect(regular.at(-1)?.state).toBe('pending');
    expect(regular.slice(0, -1).every((p) => p.state === 'paid')).toBe(true);
    expect(d.payruns.some((p) => p.type === 'off_cycle')).toBe(true);
    expect(d.payruns.some((p) => p.type === 'correction')).toBe(true);
  });
});

describe('sandbox generator: churn', () => {
  const base = { seed: 'churny', employees: 200, asOf: ASOF };

  it('churn 0 or epoch 0 leaves the company as it is', () => {
    const plain = sha(generateDataset(base).employees);
    expect(sha(generateDataset({ ...base, churn: 0, epoch: 7 }).employees)).toBe(plain);
    expect(sha(generateDataset({ ...base, churn: 0.1, epoch: 0 }).employees)).toBe(plain);
  });

  it('each epoch changes about churn × employees people, deterministically', () => {
    const e1 = generateDataset({ ...base, churn: 0.05, epoch: 1 });
    const e2 = generateDataset({ ...base, churn: 0.05, epoch: 2 });
    expect(sha(generateDataset({ ...base, churn: 0.05, epoch: 2 }).employees)).toBe(sha(e2.employees));
    const before = new Map(e1.employees.map((e) => [e.id, JSON.stringify(e)]));
    let changed = 0;
    for (const e of e2.employees) if (before.get(e.id) !== JSON.stringify(e)) changed++;
    expect(changed).toBeGreaterThan(0);
    expect(changed).toBeLessThanOrEqual(10);
    checkIntegrity(e2);
  });
});
