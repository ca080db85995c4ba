/**
 * `node --import tsx bench/sandbox-cost.ts`: CPU per employee of a sandbox company (src/providers/sandbox): generating
 * it, keeping it (packing the whole company into the connection state on first use), opening the kept company on a
 * node that does not hold it (unpack, a read after a restart or on another node), a read of a company the node holds
 * (its memo), and one SANDBOX_CHURN round at 1 % on a held company (open, churn, the edits appended to the log and
 * written back) and on one the node does not hold. Median of 5 companies per size; the state lives in memory here
 * (the store and the vault add one row read and one AES-GCM pass over the packed bytes, about a tenth of the JSON).
 */
import type { SandboxDataset } from '../src/providers/sandbox/dataset.js';
import { generateDataset } from '../src/providers/sandbox/generate.js';
import { KeptCompanyMemo, keptCompany, makeHere } from '../src/providers/sandbox/kept-company.js';
import { memoryConnectionState } from '../src/testing/memory-state.js';

const memo = new KeptCompanyMemo();
const slot = (key: string) => ({ memo, key });

const cpuMs = async (fn: () => unknown): Promise<number> => {
  const t = process.cpuUsage();
  await fn();
  const d = process.cpuUsage(t);
  return (d.user + d.system) / 1000;
};
const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)] as number;

const sizes = (process.argv[2] ?? '200,1000,5000').split(',').map(Number);
const rows: string[] = [];
for (const n of sizes) {
  const cols = { generate: [], keep: [], coldOpen: [], read: [], churn: [], coldChurn: [] } as Record<
    string,
    number[]
  >;
  const m = (k: string, v: number) => cols[k]?.push(v);
  for (let k = 0; k < 5; k++) {
    const options = { seed: `cost-${n}-${k}`, employees: n, asOf: '2026-11-01', churn: 0, epoch: 0 };
    let generated: SandboxDataset | undefined;
    m('generate', await cpuMs(() => (generated = generateDataset(options))));
    const state = memoryConnectionState();
    const g = () => generated as SandboxDataset;
    m('keep', await cpuMs(() => keptCompany(state, options, 0, () => makeHere(g), slot('c'))));
    memo.clear();
    m('coldOpen', await cpuMs(() => keptCompany(state, options, 0, () => makeHere(g), slot('c'))));
    m('read', await cpuMs(() => keptCompany(state, options, 0, () => makeHere(g), slot('c'))));
    m('churn', await cpuMs(() => keptCompany(state, options, 0.01, () => makeHere(g), slot('c'))));
    memo.clear();
    m('coldChurn', await cpuMs(() => keptCompany(state, options, 0.01, () => makeHere(g), slot('c'))));
  }
  const us = (k: string) => `${((median(cols[k] ?? []) / n) * 1000).toFixed(1)} µs`;
  rows.push(
    `| ${n} | ${us('generate')} | ${us('keep')} | ${us('coldOpen')} | ${us('read')} | ${us('churn')} | ${us('coldChurn')} |`,
  );
}
console.log(
  '| employees | generate | keep (first use) | open, not held | read, held | churn round, held | churn round, not held |',
);
console.log('|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) console.log(r);
