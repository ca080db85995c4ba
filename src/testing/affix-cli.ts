/** Helpers for tests that drive `affix` commands and a store shared with child processes (webhook tests). */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createPgSchema, postgresUrl } from '../store/testing.js';

const MAIN = path.resolve(import.meta.dirname, '..', 'main.ts');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** A one-shot `affix` command with only `env` (and PATH); its stdout. Throws with its stderr when it fails. */
export function affix(args: string[], env: Record<string, string>): string {
  const r = spawnSync(process.execPath, ['--import', TSX, MAIN, ...args], {
    cwd: os.tmpdir(),
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    // Generous: under a full parallel suite on two cores a cold start (tsx, migrations) takes long.
    timeout: 180_000,
  });
  if (r.status !== 0)
    throw new Error(`affix ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr}`);
  return r.stdout;
}

/** Waits until `check` holds (polled every 100 ms); throws after `ms`. */
export async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  ms: number,
): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface SharedDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A database for child processes: a SQLite file in `dir`, or a new PostgreSQL schema (undefined without one). */
export const sharedStores = [
  {
    name: 'sqlite',
    url: async (dir: string): Promise<SharedDatabase | undefined> => ({
      url: `sqlite:${path.join(dir, 'affix.db')}`,
      drop: async () => {},
    }),
  },
  {
    name: 'postgres',
    url: async (_dir: string): Promise<SharedDatabase | undefined> => {
      if (!postgresUrl) return undefined;
      const schema = await createPgSchema();
      const url = new URL(postgresUrl);
      url.searchParams.set('options', `-c search_path=${schema.name}`);
      return { url: url.toString(), drop: schema.drop };
    },
  },
] as const;
