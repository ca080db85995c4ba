/**
 * `node --import tsx bench/sandbox-cost.ts`: CPU per employee of a sandbox company: generating it, opening the kept
 * copy (what a read costs), and one SANDBOX_CHURN round on the kept copy (open, churn 1 %, write back). Median of 5
 * companies per size; the kept copy lives in an in-memory state here (the store and the vault add one row read and
 * one AES-GCM pass over the compressed bytes, about a tenth of the JSON).
 */
import { generateDataset } from '../src/providers/sandbox/generate.js';
import { keptEmployees } from '../src/providers/sandbox/kept-company.js';
import { memoryConnectionState } from '../src/testing/memory-state.js';

const cpuMs = async (fn: () => unknown): Promise<number> => {
  const t = process.cpuUsage();
  await fn();
  const d = process.cpuUsage(t);
  return (d.user + d.system) / 1000;
};
const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)] as number;

for (const n of [200, 1000, 5000]) {
  const gen: number[] = [];
  const open: number[] = [];
  const churn: number[] = [];
  for (let k = 0; k < 5; k++) {
    const options = { seed: `cost-${n}-${k}`, employees: n, asOf: '2026-11-01', churn: 0, epoch: 0 };
    let employees: readonly import('../src/model/index.js').Employee[] = [];
    gen.push(await cpuMs(() => (employees = generateDataset(options).employees)));
    const state = memoryConnectionState();
    await keptEmployees(state, options, 0, () => employees);
    open.push(await cpuMs(() => keptEmployees(state, options, 0, () => employees)));
    churn.push(await cpuMs(() => keptEmployees(state, options, 0.01, () => employees)));
  }
  const us = (ms: number) => `${((ms / n) * 1000).toFixed(0)} µs`;
  console.log(
    `${n} employees: generate ${median(gen).toFixed(0)} ms (${us(median(gen))}/employee), ` +
      `open kept ${median(open).toFixed(1)} ms (${us(median(open))}), ` +
      `churn round ${median(churn).toFixed(1)} ms (${us(median(churn))})`,
  );
}
