import { describe, expect, it } from 'vitest';
import { runModuleScript } from '../testing/processes.js';

describe('serve start-up imports', () => {
  // playwright-core costs a node about 90 MB of RSS when loaded (P2's peak RSS rose by that much when it was imported
  // at start): only a browser login loads it, on first launch of the browser pool.
  it('does not load playwright-core until a browser login needs it', () => {
    const out = runModuleScript([
      "await import('./src/cli/serve.ts');",
      "await import('./src/services.ts');",
      "const { createRequire } = await import('node:module');",
      "const cache = createRequire(process.cwd() + '/index.js').cache;",
      "console.log(JSON.stringify(Object.keys(cache).filter((k) => k.includes('/node_modules/playwright-core/'))));",
    ]);
    expect(out.status, out.stderr).toBe(0);
    expect(JSON.parse(out.lastLine)).toEqual([]);
  }, 130_000);

  // The sandbox's generator (faker and its English locale) costs a node about 25 MB of RSS: only a sandbox
  // connection's first read loads it. A resolve hook refuses faker, so importing it at start fails the import.
  it('does not load faker until a sandbox company is generated', () => {
    const hooks = `export async function resolve(specifier, context, next) {
      const r = await next(specifier, context);
      if (r.url.includes('/node_modules/@faker-js/faker/')) throw new Error('faker loaded at start-up: ' + context.parentURL);
      return r;
    }`;
    const out = runModuleScript([
      "const { register } = await import('node:module');",
      `register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hooks)}));`,
      "await import('./src/cli/serve.ts');",
      "await import('./src/services.ts');",
      "console.log('ok');",
    ]);
    expect(out.stderr).not.toContain('faker loaded at start-up');
    expect(out.status, out.stderr).toBe(0);
    expect(out.lastLine).toBe('ok');
  }, 130_000);
  // A node generates companies in its generator thread (src/providers/sandbox/generator-pool.ts): faker, and the
  // heap generating grows, stay in that thread; the serving thread parses the document it answers and never loads faker.
  it('generates a sandbox company in the generator thread without loading faker on the serving thread', () => {
    const hooks = `export async function resolve(specifier, context, next) {
      const r = await next(specifier, context);
      if (r.url.includes('/node_modules/@faker-js/faker/')) throw new Error('faker loaded on the serving thread: ' + context.parentURL);
      return r;
    }`;
    const out = runModuleScript([
      "const { register } = await import('node:module');",
      `register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hooks)}));`,
      "const { CompanyGenerator, makeCompany } = await import('./src/providers/sandbox/generator-pool.ts');",
      'const generator = new CompanyGenerator();',
      "const made = await makeCompany(generator, { seed: 's', employees: 20, asOf: '2026-11-01', churn: 0, epoch: 0 });",
      'await generator.close();',
      'console.log(JSON.stringify({ employees: made.data.employees.length }));',
    ]);
    expect(out.stderr).not.toContain('faker loaded on the serving thread');
    expect(out.status, out.stderr).toBe(0);
    expect(JSON.parse(out.lastLine)).toEqual({ employees: 20 });
  }, 130_000);
  // faker's main entry evaluates all of its ~70 locales (16.4 MB of heap, 37 MB of RSS a node keeps once it generated
  // a sandbox company); the sandbox needs English only, from `@faker-js/faker/locale/en` (2.8 MB, 8.4 MB).
  it('generates a sandbox company without loading the other locales of faker', () => {
    const hooks = `export async function resolve(specifier, context, next) {
      const r = await next(specifier, context);
      if (r.url.endsWith('/node_modules/@faker-js/faker/dist/index.js')) throw new Error('all of faker loaded: ' + context.parentURL);
      return r;
    }`;
    const out = runModuleScript([
      "const { register } = await import('node:module');",
      `register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hooks)}));`,
      "const { getDataset } = await import('./src/providers/sandbox/generate.ts');",
      "const d = getDataset({ seed: 's', employees: 20, asOf: '2026-11-30', churn: 0.2, epoch: 3 });",
      'console.log(JSON.stringify({ employees: d.employees.length }));',
    ]);
    expect(out.stderr).not.toContain('all of faker loaded');
    expect(out.status, out.stderr).toBe(0);
    const result = JSON.parse(out.lastLine) as { employees: number };
    expect(result.employees).toBeGreaterThan(0);
  }, 130_000);
});
