/**
 * `npm run bench [-- p1]`: runs the benchmarks and writes their figures into docs/benchmarks.md, each section with
 * the command that produced it. Ratios are against a baseline measured in the same run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runP1 } from './p1-warm-employees.js';

const DOC = path.resolve(import.meta.dirname, '../docs/benchmarks.md');
const which = process.argv.slice(2);
const all = which.length === 0;

function machine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}`;
}

function replaceSection(doc: string, id: string, body: string): string {
  const start = `<!-- ${id}:start -->`;
  const end = `<!-- ${id}:end -->`;
  const block = `${start}\n${body.trim()}\n${end}`;
  const re = new RegExp(`${start}[\\s\\S]*?${end}`);
  return re.test(doc) ? doc.replace(re, block) : `${doc.trimEnd()}\n\n${block}\n`;
}

let doc = fs.existsSync(DOC) ? fs.readFileSync(DOC, 'utf8') : '# Benchmarks\n';

if (all || which.includes('p1')) {
  const r = await runP1();
  const f = (n: number) => n.toFixed(0);
  const verdict = r.ratio >= 0.8 ? 'meets' : 'MISSES';
  const body = `## P1 — warm employees, br, 32 connections

Command: \`npm run bench -- p1\` (BENCH_DURATION=${r.duration} s per server). Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}.
1,000-employee sandbox connection, warm cache, \`GET /2023-03-01/xhr/employees\` with \`Accept-Encoding: br\`
(${r.bodyBytes} bytes per response), autocannon with 32 connections from a third process; the baseline is a bare
\`node:http\` server (bench/bare-server.ts) returning the same precompressed bytes.

| server | requests/s | p50 ms | p99 ms | errors | non-2xx |
|---|---:|---:|---:|---:|---:|
| bare node:http | ${f(r.bare.rps)} | ${r.bare.p50} | ${r.bare.p99} | ${r.bare.errors} | ${r.bare.non2xx} |
| Affix | ${f(r.affix.rps)} | ${r.affix.p50} | ${r.affix.p99} | ${r.affix.errors} | ${r.affix.non2xx} |

Ratio Affix / bare: **${r.ratio.toFixed(2)}×** (target ≥ 0.8×: ${verdict}).`;
  doc = replaceSection(doc, 'p1', body);
  console.log(body);
}

fs.mkdirSync(path.dirname(DOC), { recursive: true });
fs.writeFileSync(DOC, doc);
