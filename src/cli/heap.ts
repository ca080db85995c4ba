/**
 * `HEAP_GROWING_PERCENT`: V8's `--heap-growing-percent`, set from the configuration when a long-running node starts
 * (src/cli/lifecycle.ts), so `affix serve`, `affix worker`, the Docker image and `npm start` all get it without
 * node flags. V8 reads it each time it sizes the heap after a full collection, so setting it at start applies to the
 * whole life of the process; 0 leaves V8's own adaptive factor.
 */
import v8 from 'node:v8';

export function applyHeapGrowth(percent: number): void {
  if (!Number.isInteger(percent) || percent < 0) throw new RangeError(`heap growing percent: ${percent}`);
  if (percent > 0) v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
}
