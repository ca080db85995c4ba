/**
 * Every query lives in src/store: outside it no file (tests, scripts and benchmarks included) builds SQL, imports
 * Kysely or reaches for the store's database handle; callers go through the repositories on the `Store`, and tests
 * that must look at raw rows use src/store/testing.ts. The vault depends on ports it declares, never on the store.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const STORE_DIR = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(STORE_DIR, '../..');
const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'coverage', 'data']);
const SOURCE = /\.(ts|mts|cts|js|mjs|cjs)$/;

/** What building or running SQL looks like in this code base. */
const SQL_PATTERNS: Array<{ name: string; pattern: RegExp }> = [
  {
    name: 'query builder',
    pattern: /\b(selectFrom|insertInto|updateTable|deleteFrom|mergeInto|replaceInto)\b/,
  },
  { name: 'raw sql template', pattern: /\bsql\s*(<[^>\n]*>)?\s*(`|\.raw\b)/ },
  { name: 'kysely import', pattern: /from\s+['"]kysely['"]|import\(\s*['"]kysely['"]\s*\)/ },
  { name: 'database handle', pattern: /\bstore\s*\.\s*db\b/ },
];

/** Source files under `dir`, relative to the checkout; symlinks (the shared node_modules) are not followed. */
function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && !SKIP_DIRS.has(entry.name)) out.push(...sourceFiles(full));
    else if (entry.isFile() && SOURCE.test(entry.name)) out.push(full);
  }
  return out;
}

function findings(files: string[]): string[] {
  const found: string[] = [];
  for (const file of files) {
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, i) => {
      for (const { name, pattern } of SQL_PATTERNS) {
        if (pattern.test(line)) found.push(`${path.relative(ROOT, file)}:${i + 1} (${name}): ${line.trim()}`);
      }
    });
  }
  return found;
}

const isUnder = (file: string, dir: string) => !path.relative(dir, file).startsWith('..');

describe('SQL confinement', () => {
  const all = sourceFiles(ROOT);

  it('finds the code base and recognises SQL where it belongs (src/store)', () => {
    expect(all.length).toBeGreaterThan(100);
    const inStore = findings(all.filter((f) => isUnder(f, STORE_DIR)));
    for (const { name } of SQL_PATTERNS) {
      expect(
        inStore.some((f) => f.includes(`(${name})`)),
        name,
      ).toBe(true);
    }
  });

  it('no file outside src/store builds SQL, imports Kysely or touches store.db', () => {
    expect(findings(all.filter((f) => !isUnder(f, STORE_DIR)))).toEqual([]);
  });

  it('src/vault does not import src/store', () => {
    const vault = path.join(ROOT, 'src', 'vault');
    const imports = sourceFiles(vault).filter((f) => /['"](\.\.\/)+store\//.test(fs.readFileSync(f, 'utf8')));
    expect(imports.map((f) => path.relative(ROOT, f))).toEqual([]);
  });
});
