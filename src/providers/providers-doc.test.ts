import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROVIDERS_DOC, renderProvidersDoc } from './providers-doc.js';
import { providers } from './registry.js';

describe('docs/providers.md', () => {
  it('matches the registry (run `npm run docs:providers` after changing a provider)', () => {
    expect(fs.readFileSync(PROVIDERS_DOC, 'utf8')).toBe(renderProvidersDoc());
  });

  it('has a row per provider and mode', () => {
    const doc = renderProvidersDoc();
    for (const p of providers) for (const mode of p.modes) expect(doc).toContain(`(\`${p.id}\`) | ${mode} |`);
  });
});
