import zlib from 'node:zlib';
import { generateDataset } from '../src/providers/sandbox/generate.js';
const d = generateDataset({ seed: 'br', employees: 200, asOf: '2026-11-01' });
const json = Buffer.from(JSON.stringify(d.employees));
const all = Buffer.from(
  JSON.stringify({ ...d, facts: d.facts.map((f) => ({ ...f, country: f.country.code })) }),
);
console.log('employees json', json.length, 'whole', all.length);
for (const [name, buf] of [
  ['employees', json],
  ['whole', all],
] as const)
  for (const q of [1, 3, 4, 5, 6, 9]) {
    const t = process.cpuUsage();
    let out = Buffer.alloc(0);
    for (let i = 0; i < 5; i++)
      out = zlib.brotliCompressSync(buf, {
        params: {
          [zlib.constants.BROTLI_PARAM_QUALITY]: q,
          [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
          [zlib.constants.BROTLI_PARAM_SIZE_HINT]: buf.length,
        },
      });
    const c = process.cpuUsage(t);
    const t2 = process.cpuUsage();
    for (let i = 0; i < 5; i++) zlib.brotliDecompressSync(out);
    const c2 = process.cpuUsage(t2);
    console.log(
      name,
      'q',
      q,
      out.length,
      'bytes',
      ((c.user + c.system) / 5000).toFixed(1),
      'ms compress',
      ((c2.user + c2.system) / 5000).toFixed(1),
      'ms decompress',
    );
  }
const t = process.cpuUsage();
for (let i = 0; i < 5; i++) JSON.stringify(d.employees);
const c = process.cpuUsage(t);
console.log('stringify employees ms', (c.user + c.system) / 5000);
const s = json.toString();
const t3 = process.cpuUsage();
for (let i = 0; i < 5; i++) JSON.parse(s);
const c3 = process.cpuUsage(t3);
console.log('parse employees ms', (c3.user + c3.system) / 5000);
