/** The BambooHR client's cursor walk: every record exactly once, streamed page by page. */
import { describe, expect, it } from 'vitest';
import type { Employee } from '../../model/index.js';
import { createBambooHrAdapter } from './adapter.js';
import { startEmulator } from './emulator/server.js';
import { contextFor } from './test-support.js';

describe('bamboohr pagination', () => {
  it('1,000 employees over 10 cursor pages: every record exactly once', async () => {
    const big = await startEmulator({ employees: 1000, seed: 11 });
    try {
      const before = big.requestCount;
      const employees = await createBambooHrAdapter(contextFor(big)).employees();
      expect(big.requestCount - before).toBe(10);
      const ids = employees.map((e) => e.id);
      expect(new Set(ids).size).toBe(1000);
      expect(ids).toEqual(big.records.employees.map((e) => e.employeeId));
    } finally {
      await big.close();
    }
  });

  it('streamed to a sink: the same list, in order, handed over page by page; a report waits for its manager', async () => {
    const big = await startEmulator({ employees: 1000, seed: 12 });
    try {
      // Employee #6 reports to the last one listed: it and everyone after it wait until that manager's page.
      const last = big.records.employees.at(-1);
      const late = big.records.employees[5];
      if (!last || !late) throw new Error('emulator has too few employees');
      late.reportsToId = last.employeeId;
      late.reportsToName = `${last.firstName} ${last.lastName}`;
      const whole = await createBambooHrAdapter(contextFor(big)).employees();
      const pushes: number[] = [];
      const pushed: Employee[] = [];
      let expected: number | undefined;
      const rest = await createBambooHrAdapter(contextFor(big)).employees({
        expect: (n) => {
          expected = n;
        },
        push: (items) => {
          pushes.push(items.length);
          pushed.push(...items);
        },
      });
      expect(expected).toBe(1000);
      expect([...pushed, ...rest]).toEqual(whole);
      // Five on the first page; the rest once the last page brings the manager.
      expect(pushes).toEqual([5, 995]);
      expect(rest).toEqual([]);
      expect(pushed[5]?.manager).toMatchObject({
        id: last.employeeId,
        first_name: last.firstName,
        last_name: last.lastName,
        work_email: last.workEmail,
      });

      // Without the forward reference every page is handed over as it arrives.
      late.reportsToId = null;
      late.reportsToName = null;
      const perPage: number[] = [];
      const tail = await createBambooHrAdapter(contextFor(big)).employees({
        push: (items) => perPage.push(items.length),
      });
      expect(perPage).toEqual(Array.from({ length: 10 }, () => 100));
      expect(tail).toEqual([]);
    } finally {
      await big.close();
    }
  });
});
