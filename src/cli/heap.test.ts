import { describe, expect, it } from 'vitest';
import { runModuleScript } from '../testing/processes.js';
import { applyHeapGrowth } from './heap.js';

/**
 * Peak heap of one child process that walks "pages" as a provider walk does: each parsed, kept a while among the
 * last 30, then dropped, while a slowly growing set stays (what the walk has mapped so far).
 */
function peakHeapMb(percent: number): number {
  const out = runModuleScript([
    "const { applyHeapGrowth } = await import('./src/cli/heap.ts');",
    `applyHeapGrowth(${percent});`,
    "const v8 = await import('node:v8');",
    'const recent = []; const kept = []; let peak = 0;',
    'for (let i = 0; i < 600; i++) {',
    "  const page = JSON.parse(JSON.stringify(Array.from({ length: 2000 }, (_, j) => ({ id: j, name: 'x'.repeat(40) + i, tags: [i, j] }))));",
    '  recent.push(page); if (recent.length > 30) recent.shift();',
    '  kept.push(page[0], page[1]);',
    '  peak = Math.max(peak, v8.getHeapStatistics().total_heap_size);',
    '}',
    'console.log(JSON.stringify({ peak: peak / 2 ** 20, kept: kept.length }));',
  ]);
  expect(out.status, out.stderr).toBe(0);
  return (JSON.parse(out.lastLine) as { peak: number }).peak;
}

describe('HEAP_GROWING_PERCENT', () => {
  it("keeps a walk's peak heap lower than V8's own factor does", () => {
    const own = peakHeapMb(0);
    const capped = peakHeapMb(10);
    expect(capped).toBeLessThan(own * 0.85);
  }, 130_000);

  it('refuses a negative or fractional percent', () => {
    expect(() => applyHeapGrowth(-1)).toThrow(RangeError);
    expect(() => applyHeapGrowth(2.5)).toThrow(RangeError);
  });
});
