/**
 * After V8's transitions from the empty object are used up, request headers objects whose first header is one of
 * the usual names still share maps when `keepHeaderMaps` ran before (and do not when it did not: the control).
 * Runs node with `--allow-natives-syntax` for `%HaveSameMap`.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

function sharedMaps(keep: boolean): string {
  const script = `
    import { keepHeaderMaps } from './src/http/header-maps.ts';
    const same = new Function('a', 'b', 'return %HaveSameMap(a, b)');
    if (${keep}) keepHeaderMaps();
    // What compiling many schemas does: an empty object given a new first property name, 2,000 times.
    for (let i = 0; i < 2000; i++) { const o = {}; o['filler_' + i] = 1; }
    // As Node builds req.headers: an empty object, then each header.
    const headers = () => { const o = {}; o['x-real-ip'] = '10.0.0.1'; o['authorization'] = 'Bearer x'; return o; };
    process.stdout.write(String(same(headers(), headers())));
  `;
  const r = spawnSync(
    process.execPath,
    ['--allow-natives-syntax', '--import', 'tsx', '--input-type=module', '-e', script],
    { cwd: ROOT, encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout;
}

describe('keepHeaderMaps', () => {
  it('keeps headers objects of a usual first header on one map once the transitions are used up', () => {
    expect(sharedMaps(false)).toBe('false');
    expect(sharedMaps(true)).toBe('true');
  });
});
