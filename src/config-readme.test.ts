/** The README's configuration table and the config schema list the same settings. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigSchema } from './config.js';

const README = fs.readFileSync(path.resolve(import.meta.dirname, '..', 'README.md'), 'utf8');

describe('README configuration table', () => {
  const section = README.slice(
    README.indexOf('## Configuration'),
    README.indexOf('\n## ', README.indexOf('## Configuration') + 3),
  );
  const documented = [...section.matchAll(/^\| `([A-Z][A-Z0-9_<>]*)` \|/gm)].map((m) => m[1]);

  it.each(Object.keys(ConfigSchema.properties).map((k) => [k]))('documents %s', (name) => {
    expect(documented).toContain(name);
  });

  it('documents nothing the schema does not have', () => {
    const known = new Set([
      ...Object.keys(ConfigSchema.properties),
      'PROVIDER_<ID>_BASE_URL',
      'PROVIDER_<ID>_PROXY',
    ]);
    expect(documented.filter((name) => !known.has(name as string))).toEqual([]);
  });
});
