/**
 * docs/providers.md, generated from the registry: what each provider offers, per mode. A test fails when the file
 * and the registry disagree; `npm run docs:providers` writes it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RESOURCES } from '../model/index.js';
import { providers } from './registry.js';
import type { Provider } from './types.js';

export const PROVIDERS_DOC = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../docs/providers.md',
);

const AUTH_NAMES: Record<string, string> = {
  none: 'none',
  api_key: 'API key',
  basic: 'Basic (user id + token)',
  client_credentials: 'client credentials',
  oauth2: 'OAuth 2 tokens',
  password: 'username + password',
};

export function renderProvidersDoc(list: readonly Provider[] = providers): string {
  const rows = list.flatMap((p) =>
    p.modes.map((mode) => {
      const offered = new Set(p.resources[mode] ?? []);
      const cells = RESOURCES.map((r) => (offered.has(r) ? '✓' : '—'));
      const auth = AUTH_NAMES[p.auth[mode] ?? 'none'] ?? String(p.auth[mode]);
      return `| ${p.displayName} (\`${p.id}\`) | ${mode} | ${auth} | ${cells.join(' | ')} | ${p.limits} |`;
    }),
  );
  return `# Providers

Generated from \`src/providers/registry.ts\` by \`npm run docs:providers\`; a test fails when they disagree.
✓ = served; — = answers 501 (the provider does not offer it in that mode, or we do not map it yet).
Each provider's own README (\`src/providers/<id>/README.md\`) gives its sources, auth and field mapping.

| provider | mode | auth | ${RESOURCES.join(' | ')} | documented rate limits |
|---|---|---|${RESOURCES.map(() => ':-:').join('|')}|---|
${rows.join('\n')}
`;
}

if (process.argv.includes('--write')) {
  fs.writeFileSync(PROVIDERS_DOC, renderProvidersDoc());
  process.stdout.write(`wrote ${PROVIDERS_DOC}\n`);
}
