/**
 * Names the JIT code of a callgrind dump of node: callgrind shows V8's generated code as bare addresses
 * (`0x000000000d3ae800`); node started with `--perf-basic-prof` writes /tmp/perf-<pid>.map (start, size, name of
 * each code object), and this rewrites the dump's function names from it, so `callgrind_annotate` shows JS
 * functions. `node --import tsx bench/callgrind-names.ts <dump> <perf map> > named.out` (bench/p4-callgrind.ts).
 */
import fs from 'node:fs';

const [dump, map] = process.argv.slice(2);
if (!dump || !map) throw new Error('usage: callgrind-names.ts <callgrind dump> <perf-PID.map>');

const ranges = fs
  .readFileSync(map, 'utf8')
  .split('\n')
  .map((line) => /^([0-9a-f]+) ([0-9a-f]+) (.*)$/i.exec(line))
  .filter((m): m is RegExpExecArray => m !== null)
  .map((m) => ({ start: BigInt(`0x${m[1]}`), size: BigInt(`0x${m[2]}`), name: m[3] ?? '' }))
  .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));

/** The last code object starting at or before `addr` that contains it (later entries win: code is reused). */
function nameOf(addr: bigint): string | undefined {
  let lo = 0;
  let hi = ranges.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((ranges[mid]?.start ?? 0n) <= addr) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  const r = ranges[found];
  return r && addr < r.start + r.size ? r.name : undefined;
}

const out = fs
  .readFileSync(dump, 'utf8')
  .replace(/^((?:c?fn)=\(\d+\)) (0x[0-9a-f]+)$/gm, (line, head: string, addr: string) => {
    const name = nameOf(BigInt(addr));
    return name ? `${head} ${name.replace(/\s+/g, '_')} ${addr}` : line;
  });
process.stdout.write(out);
