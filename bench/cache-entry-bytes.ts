/**
 * `node --expose-gc --import tsx bench/cache-entry-bytes.ts`: bytes per entry of the per-node caches
 * (ConnectionCache, DataKeyCache, AccessTokens' signature-check and revocation-status LRUs), measured as the heap
 * (and external) growth after garbage collection from 100,000 entries shaped like P5's (sandbox tokens with every
 * scope). docs/operations.md "Per-node caches" quotes it.
 */
import { randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { allScopes } from '../src/model/index.js';
import { generateDataset } from '../src/providers/sandbox/generate.js';
import {
  KeptCompanyMemo,
  keptCompany,
  keptEmployeeTexts,
  makeHere,
} from '../src/providers/sandbox/kept-company.js';
import { memoryConnectionState } from '../src/testing/memory-state.js';
import { ConnectionCache } from '../src/sync/connections.js';
import { DataKeyCache } from '../src/vault/data-key-cache.js';
const N = 100_000;
const gc: () => void =
  (globalThis as { gc?: () => void }).gc ??
  (() => {
    throw new Error('run with node --expose-gc');
  });
function measure(name: string, fill: () => unknown) {
  gc();
  gc();
  const before = process.memoryUsage();
  const keep = fill();
  gc();
  gc();
  const after = process.memoryUsage();
  console.log(
    name,
    'heap B/entry',
    Math.round((after.heapUsed - before.heapUsed) / N),
    'ext+ab B/entry',
    Math.round((after.external + after.arrayBuffers - before.external - before.arrayBuffers) / N),
    'rss B/entry',
    Math.round((after.rss - before.rss) / N),
  );
  return keep;
}
const id = () => `con_${randomBytes(13).toString('base64url')}`;
const keep: unknown[] = [];
keep.push(
  measure('connection', () => {
    const c = new ConnectionCache();
    for (let i = 0; i < N; i++)
      c.set({
        id: id(),
        clientId: 'cli_abcdefghijklmnopqrstu',
        provider: 'sandbox',
        mode: 'xhr',
        settings: {},
        status: 'active',
        createdAt: Date.now(),
      });
    return c;
  }),
);
keep.push(
  measure('datakey', () => {
    const c = new DataKeyCache();
    for (let i = 0; i < N; i++)
      c.set(id(), {
        dataKeyId: `dk_${randomBytes(13).toString('base64url')}`,
        kekId: 'local:v1',
        key: randomBytes(32),
      });
    return c;
  }),
);
const sample = {
  iss: 'http://127.0.0.1:3000',
  sub: id(),
  aud: ['http://127.0.0.1:3000', 'cli_abcdefghijklmnopqrstu'],
  client_id: 'cli_abcdefghijklmnopqrstu',
  jti: id(),
  iat: 1764480000,
  exp: 1764483600,
  provider: 'sandbox',
  scopes: allScopes('xhr'),
  mode: 'xhr',
};
const tokenLen =
  Buffer.from(JSON.stringify({ alg: 'ES256', kid: 'key_abcdefghijklmnopqrstu', typ: 'at+jwt' })).toString(
    'base64url',
  ).length +
  1 +
  Buffer.from(JSON.stringify(sample)).toString('base64url').length +
  1 +
  86;
console.log('token chars', tokenLen);
keep.push(
  measure('token verified+status', () => {
    // AccessTokens shares one frozen scope array among the claims that carry the same list.
    const sharedScopes = Object.freeze(allScopes('xhr'));
    const v = new LRUCache<string, object>({ max: N });
    const s = new LRUCache<string, object>({ max: N });
    for (let i = 0; i < N; i++) {
      const jti = `tok_${randomBytes(13).toString('base64url')}`;
      const t = randomBytes(tokenLen).toString('base64url').slice(0, tokenLen);
      v.set(t, {
        ...JSON.parse(
          JSON.stringify({
            iss: 'http://127.0.0.1:3000',
            sub: id(),
            aud: ['http://127.0.0.1:3000', 'cli_abcdefghijklmnopqrstu'],
            client_id: 'cli_abcdefghijklmnopqrstu',
            jti,
            iat: 1764480000,
            exp: 1764483600,
            provider: 'sandbox',
            scopes: allScopes('xhr'),
            mode: 'xhr',
          }),
        ),
        scopes: sharedScopes,
      });
      s.set(jti, { revoked: false, disconnected: false, at: Date.now() });
    }
    return [v, s];
  }),
);
// The sandbox's kept-company memo: companies of 200 employees opened from their kept rows (unpacked and parsed, as a
// node that did not generate them holds them), per employee.
const COMPANIES = 20;
const states = [];
for (let i = 0; i < COMPANIES; i++) {
  const options = { seed: `bytes-${i}`, employees: 200, asOf: '2026-11-01', churn: 0, epoch: 0 };
  const state = memoryConnectionState();
  await keptCompany(state, options, 0, () => makeHere(() => generateDataset(options)));
  states.push({ state, options });
}
gc();
gc();
const heapBefore = process.memoryUsage().heapUsed;
const memo = new KeptCompanyMemo(1 << 30);
for (const [i, { state, options }] of states.entries())
  await keptCompany(state, options, 0, () => makeHere(() => generateDataset(options)), {
    memo,
    key: `c${i}`,
  });
gc();
gc();
console.log(
  'kept company heap B/employee',
  Math.round((process.memoryUsage().heapUsed - heapBefore) / (COMPANIES * 200)),
  memo.held,
);
// The same companies once their employees were fetched (`keptEmployeeTexts`): each keeps the document its
// employees' texts are cut from (what COMPANY_BYTES_PER_EMPLOYEE counts).
memo.clear();
gc();
gc();
const heapBeforeCut = process.memoryUsage().heapUsed;
for (const [i, { state, options }] of states.entries())
  keptEmployeeTexts(
    await keptCompany(state, options, 0, () => makeHere(() => generateDataset(options)), {
      memo,
      key: `c${i}`,
    }),
  );
gc();
gc();
console.log(
  'kept company with texts cut, heap B/employee',
  Math.round((process.memoryUsage().heapUsed - heapBeforeCut) / (COMPANIES * 200)),
);
console.log(
  `${keep.length} caches of ${N} entries; load ${(await import('node:os'))
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
