import { generateDataset } from '../src/providers/sandbox/generate.js';
import { keptCompany } from '../src/providers/sandbox/kept-company.js';
import { memoryConnectionState } from '../src/testing/memory-state.js';
const t0 = process.cpuUsage();
for (let k = 0; k < 60; k++) {
  const o = { seed: `s${k}`, employees: 200, asOf: '2026-11-01', churn: 0, epoch: 0 };
  await keptCompany(memoryConnectionState(), o, 0, () => generateDataset(o), `c${k}`);
}
const d = process.cpuUsage(t0);
console.log('ms per company', (d.user + d.system) / 1000 / 60);
