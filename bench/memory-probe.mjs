// Loaded into an Affix node with `node --expose-gc --import ./bench/memory-probe.mjs` (bench/p5-memory.ts): on
// SIGUSR2 it reads `$PROBE_DIR/cmd` and writes `$PROBE_DIR/<pid>-<n>.json` ('stats': process.memoryUsage(), V8 heap
// and heap-space statistics and /proc/self/smaps_rollup, before and after a full GC) or `.heapsnapshot`
// ('snapshot', after a full GC), then an empty `<pid>-<n>.done`.
import fs from 'node:fs';
import v8 from 'node:v8';

const dir = process.env.PROBE_DIR;
if (dir) {
  let n = 0;
  const stats = () => ({
    mem: process.memoryUsage(),
    heap: v8.getHeapStatistics(),
    spaces: Object.fromEntries(
      v8
        .getHeapSpaceStatistics()
        .map((s) => [
          s.space_name,
          { size: s.space_size, used: s.space_used_size, phys: s.physical_space_size },
        ]),
    ),
    smaps: fs.readFileSync('/proc/self/smaps_rollup', 'utf8'),
  });
  process.on('SIGUSR2', () => {
    const cmd = fs.readFileSync(`${dir}/cmd`, 'utf8').trim();
    const out = `${dir}/${process.pid}-${n++}`;
    if (cmd === 'snapshot') {
      globalThis.gc?.();
      v8.writeHeapSnapshot(`${out}.heapsnapshot`);
    } else {
      const before = stats();
      globalThis.gc?.();
      fs.writeFileSync(`${out}.json`, JSON.stringify({ before, after: stats() }));
    }
    fs.writeFileSync(`${out}.done`, '');
  });
}
