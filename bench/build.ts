/** Benchmarks measure the built server (`dist/`), as production runs it, not the tsx development loader. */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..');

let built = false;

/** Compiles src/ once per benchmark run; returns the entry to give `node`. */
export function builtEntry(): string {
  if (!built) {
    execFileSync(
      process.execPath,
      [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
      {
        cwd: ROOT,
        stdio: 'inherit',
      },
    );
    built = true;
  }
  return path.join(ROOT, 'dist/main.js');
}
