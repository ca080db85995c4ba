import { describe, expect, it } from 'vitest';
import { memoryConnectionState } from '../../testing/memory-state.js';
import { applyChurnRound } from './churn.js';
import { generateDataset } from './generate.js';
import {
  COMPANY_BYTES_PER_EMPLOYEE,
  KeptCompanyMemo,
  KEPT_COMPANY_KEY,
  keptCompany,
  makeHere,
  keptEmployeeTexts,
} from './kept-company.js';
import { payslipsFor } from './payslips.js';
import { timeOffFor } from './time-off.js';

const memo = new KeptCompanyMemo();
const slot = (key: string) => ({ memo, key });

const options = { seed: 'kept', employees: 60, asOf: '2025-06-01', churn: 0, epoch: 0 };
const generate = () => generateDataset(options);

interface Row {
  v: number;
  packedRound: number;
  round: number;
  log: unknown[];
  packed: string;
}

describe('kept sandbox company', () => {
  it('is generated once, then read from the state (also by a node that does not hold it)', async () => {
    const state = memoryConnectionState();
    let generated = 0;
    const gen = () => {
      generated++;
      return generate();
    };
    const first = await keptCompany(state, options, 0, () => makeHere(gen), slot('k1'));
    expect(generated).toBe(1);
    expect(await keptCompany(state, options, 0, () => makeHere(gen), slot('k1'))).toBe(first);
    memo.clear();
    const reopened = await keptCompany(state, options, 0, () => makeHere(gen), slot('k1'));
    expect(generated).toBe(1);
    expect(reopened).not.toBe(first);
    expect(JSON.stringify(reopened.employees)).toBe(JSON.stringify(first.employees));
    expect(reopened.facts.map((f) => [f.index, f.country.code, f.startDay])).toEqual(
      first.facts.map((f) => [f.index, f.country.code, f.startDay]),
    );
    expect(reopened.company).toEqual(first.company);
    expect(reopened.payruns).toEqual(first.payruns);
    // Derived parts come out the same from the reopened company.
    const payrun = first.payruns.at(-1)?.id as string;
    expect(payslipsFor(reopened, payrun)).toEqual(payslipsFor(first, payrun));
  });

  it('applies churn as logged edits that match the round, and folds a long log', async () => {
    const state = memoryConnectionState();
    let expected = generate().employees;
    let hires = 0;
    for (let round = 1; round <= 30; round++) {
      const churned = applyChurnRound(expected, {
        seed: options.seed,
        round,
        fraction: 0.05,
        today: options.asOf,
        hiresSoFar: hires,
      });
      hires += churned.hired.length;
      expected = churned.employees;
      const got = await keptCompany(state, options, 0.05, () => makeHere(generate), slot('k2'));
      expect(JSON.stringify(got.employees)).toBe(JSON.stringify(expected));
      expect(got.facts).toHaveLength(got.employees.length);
      // Every third round, a node that does not hold it opens the same company from the row.
      if (round % 3 === 0) {
        memo.clear();
        const again = await keptCompany(state, options, 0, () => makeHere(generate), slot('k2'));
        expect(JSON.stringify(again.employees)).toBe(JSON.stringify(expected));
      }
    }
    const row = state.data.get(KEPT_COMPANY_KEY) as Row;
    expect(row.v).toBe(2);
    expect(row.round).toBe(30);
    // 3 changes a round over 30 rounds: folded at least once, the log stays short.
    expect(row.packedRound).toBeGreaterThan(0);
    expect(row.log.length).toBeLessThanOrEqual(16);
  });

  it('gives hires payroll facts and ends leavers on their termination date', async () => {
    const state = memoryConnectionState();
    let d = await keptCompany(state, options, 0, () => makeHere(generate), slot('k3'));
    for (let i = 0; i < 6; i++)
      d = await keptCompany(state, options, 0.1, () => makeHere(generate), slot('k3'));
    const hireAt = d.employees.findIndex((e) => e.employee_number?.startsWith('H'));
    expect(hireAt).toBeGreaterThan(0);
    const f = d.facts[hireAt];
    expect(f?.startDay).toBeDefined();
    expect(f?.termDay).toBeNull();
    expect(f?.index).toBeGreaterThanOrEqual(300_000);
    const leaverAt = d.employees.findIndex((e, i) => e.termination_date === options.asOf && i < 60);
    if (leaverAt >= 0) expect(d.facts[leaverAt]?.termDay).not.toBeNull();
    expect(() => timeOffFor(d)).not.toThrow();
    expect(() => payslipsFor(d, d.payruns.at(-1)?.id as string)).not.toThrow();
  });

  it('regenerates when the basis changes, and replaces a row of the earlier format', async () => {
    const state = memoryConnectionState();
    await state.set(KEPT_COMPANY_KEY, { v: 1, basis: 'x', round: 3, hires: 0, employees: '' });
    const d = await keptCompany(state, options, 0, () => makeHere(generate), slot('k4'));
    expect(d.employees).toHaveLength(60);
    const other = { ...options, employees: 61 };
    const d2 = await keptCompany(state, other, 0, () => makeHere(() => generateDataset(other)), slot('k4'));
    expect(d2.employees).toHaveLength(61);
  });

  it("hands each unchanged employee's JSON text, exactly JSON.stringify of the employee, cut out of the kept document", async () => {
    const state = memoryConnectionState();
    const first = await keptCompany(state, options, 0, () => makeHere(generate));
    // Packed on first use: every employee's text, the same as serializing the object.
    const texts = keptEmployeeTexts(first);
    expect(texts).toEqual(first.employees.map((e) => JSON.stringify(e)));
    // Asked again (a read of the company this node still holds): the same texts.
    expect(keptEmployeeTexts(first)).toEqual(texts);
    // Unpacked from the row (no memo): texts of the parsed objects.
    const opened = await keptCompany(state, options, 0, () => makeHere(generate));
    expect(opened).not.toBe(first);
    expect(keptEmployeeTexts(opened)).toEqual(opened.employees.map((e) => JSON.stringify(e)));
    // Churned (logged edits on the unpacked company): the unchanged employees have their text, edited and hired
    // ones (new objects) none until the log is folded into a new document, and no text differs from its object's JSON.
    let roundsWithout = 0;
    for (let round = 1; round <= 12; round++) {
      const churned = await keptCompany(state, options, 0.05, () => makeHere(generate));
      const got = keptEmployeeTexts(churned);
      const given = got.filter((t, i) => {
        if (t !== undefined) expect(t).toBe(JSON.stringify(churned.employees[i]));
        return t !== undefined;
      });
      expect(given.length).toBeGreaterThan(churned.employees.length / 2);
      if (given.length < churned.employees.length) roundsWithout++;
    }
    expect(roundsWithout).toBeGreaterThan(6);
    // A row packed before texts were kept (employees inside the document, no line breaks) still opens, without texts.
    const row = state.data.get(KEPT_COMPANY_KEY) as Row;
    const { brotliCompressSync, brotliDecompressSync } = await import('node:zlib');
    const doc = JSON.parse(brotliDecompressSync(Buffer.from(row.packed, 'base64')).toString('utf8'));
    row.packed = brotliCompressSync(Buffer.from(JSON.stringify(doc))).toString('base64');
    const old = await keptCompany(state, options, 0, () => makeHere(generate));
    expect(old.employees.length).toBeGreaterThan(0);
    expect(keptEmployeeTexts(old).every((t) => t === undefined)).toBe(true);
  });

  it('the memo is bounded by bytes: the least recently used company goes, a company over the bound is not kept', async () => {
    const bytes = options.employees * COMPANY_BYTES_PER_EMPLOYEE;
    const small = new KeptCompanyMemo(2 * bytes);
    const states = [0, 1, 2].map(() => memoryConnectionState());
    const opened = [];
    for (const [i, state] of states.entries())
      opened.push(
        await keptCompany(state, options, 0, () => makeHere(generate), { memo: small, key: `m${i}` }),
      );
    expect(small.held).toEqual({ companies: 2, bytes: 2 * bytes });
    // m0 went first; m1 and m2 are held (the same frozen object comes back).
    expect(
      await keptCompany(states[1] ?? memoryConnectionState(), options, 0, () => makeHere(generate), {
        memo: small,
        key: 'm1',
      }),
    ).toBe(opened[1]);
    expect(
      await keptCompany(states[0] ?? memoryConnectionState(), options, 0, () => makeHere(generate), {
        memo: small,
        key: 'm0',
      }),
    ).not.toBe(opened[0]);
    small.forget('m1');
    expect(small.held.companies).toBe(1);
    const tiny = new KeptCompanyMemo(bytes - 1);
    await keptCompany(memoryConnectionState(), options, 0, () => makeHere(generate), {
      memo: tiny,
      key: 't',
    });
    expect(tiny.held.companies).toBe(0);
  });
});
