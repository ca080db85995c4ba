/**
 * `npm start` and every `affix` command read the same settings: the environment first, then a `.env` file in the
 * working directory for what the environment does not set. Without that, `PORT=18480 npm start` followed by
 * `npx affix sandbox-token` makes a token for another server than the one running.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Loads `.env` (when present) under the variables already set; returns the names it supplied. */
export function loadEnvFile(dir = process.cwd()): string[] {
  const file = path.join(dir, '.env');
  if (!fs.existsSync(file)) return [];
  const before = new Set(Object.keys(process.env));
  process.loadEnvFile(file);
  return Object.keys(process.env).filter((k) => !before.has(k));
}

/** Settings an `affix` command must share with the server to act on the same data and issue valid tokens. */
const SHARED = ['PUBLIC_URL', 'PORT', 'DATA_DIR', 'DATABASE_URL'] as const;

/**
 * The prefix that makes a command typed in another shell talk to this server: the shared settings this process
 * got from its environment (not from `.env`, which the command reads itself). A database password is never
 * printed: it is named, for the user to supply.
 */
export function sameServerPrefix(env: NodeJS.ProcessEnv, fromFile: readonly string[]): string {
  const parts: string[] = [];
  for (const name of SHARED) {
    const value = env[name];
    if (!value || fromFile.includes(name)) continue;
    if (name === 'DATABASE_URL' && /\/\/[^/@]*:[^/@]*@/.test(value)) parts.push(`${name}="$${name}"`);
    else parts.push(`${name}=${/^[\w.:/@+-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`}`);
  }
  return parts.length ? `${parts.join(' ')} ` : '';
}
