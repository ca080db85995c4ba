/**
 * Log hygiene: redact paths, the value scrubber (Bearer, Basic, JWT signatures, secret query values, cookie
 * headers) on objects, messages, child bindings and errors, through a real pino logger writing to a capture.
 */
import { Writable } from 'node:stream';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  LOG_FLUSH_MS,
  type RequestLineFields,
  createLogger,
  pinoNumber,
  pinoString,
  requestLineLogger,
  requestLineWriter,
} from './logger.js';
import { STRIPPED, scrubPath, scrubString } from './scrub.js';
import { newId } from '../ids.js';

function capture() {
  let out = '';
  const stream = new Writable({
    write(chunk, _enc, cb) {
      out += chunk;
      cb();
    },
  });
  return {
    stream,
    text: () => out,
    lines: () =>
      out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

const JWT =
  'eyJhbGciOiJFUzI1NiIsImtpZCI6ImsxIiwidHlwIjoiYXQrand0In0.eyJzdWIiOiJjb25fMSIsImNsaWVudF9pZCI6ImNsaV8xIn0.' +
  'SIGNATURE_canary_Zq9xW3vB7nL2mK8pR4tY6uI0oE5aS1dF';

describe('log scrubbing', () => {
  it('the request-line logger writes to the same stream at the same level, and its lines are scrubbed too', () => {
    const c = capture();
    const log = createLogger({ LOG_LEVEL: 'info' }, c.stream);
    const line = requestLineLogger(log);
    line?.info({ reqId: 'req_1', path: `/x/${JWT}?access_token=at-canary` }, 'request');
    line?.debug('not at info');
    const [only, ...rest] = c.lines();
    expect(rest).toEqual([]);
    expect(only).toMatchObject({ level: 30, reqId: 'req_1', msg: 'request' });
    expect(c.text()).not.toMatch(/SIGNATURE_canary|at-canary/);
    expect(requestLineLogger(createLogger({ LOG_LEVEL: 'warn' }, c.stream))?.isLevelEnabled('info')).toBe(
      false,
    );
  });

  it('the request line writer writes what the request-line logger writes, byte for byte, scrubbed alike', () => {
    const base: RequestLineFields = {
      reqId: 'req_0123456789abcdefghijkl',
      method: 'GET',
      path: '/2023-03-01/xhr/identity',
      status: 200,
      ms: 1.25,
      ip: '127.0.0.1',
      clientId: 'cli_1',
      connectionId: 'con_1',
      provider: 'sandbox',
    };
    const odd = [
      'plain',
      'with "quotes" and \\ backslash',
      'tab\there',
      'line\nbreak',
      'ctrl\u0001',
      'é ünïcode ✓ \ud83d\ude00',
      'lone \ud800 surrogate',
      'x'.repeat(100),
      `${'y'.repeat(101)}"`,
      `/x/${JWT}?access_token=at-canary&ok=1`,
      `Bearer ${JWT}`,
      'Basic dXNlcjpwYXNzd29yZA==',
      'cookie: sid=abc',
      '?token=t&code=c;password=p',
      '',
    ];
    const records: RequestLineFields[] = [
      base,
      { ...base, clientId: null, connectionId: null, provider: null },
      { ...base, ms: Number.NaN, status: 304 },
      { ...base, ms: 0.1 + 0.2, status: 429 },
      { ...base, ms: 1e21 },
      ...odd.flatMap((v) => [
        { ...base, path: v },
        { ...base, reqId: v, method: v, ip: v, clientId: v, connectionId: v, provider: v },
      ]),
      base, // again, after other values: the kept parts must follow the values
      // Request ids of ours (written without the scrubber) and look-alikes.
      ...Array.from({ length: 50 }, () => ({ ...base, reqId: newId('request') })),
      ...[
        'req_eyJhbGciOiJIUzI1NiJ9xx',
        'req_Bearer_AAAAAAAAAAAAAAAA',
        'req_abc',
        'req_"AAAAAAAAAAAAAAAAAAAAA',
      ].map((reqId) => ({ ...base, reqId })),
    ];
    for (const level of ['info', 'warn'] as const) {
      const viaPino = capture();
      const pinoLine = requestLineLogger(createLogger({ LOG_LEVEL: level }, viaPino.stream));
      const built = capture();
      const write = requestLineWriter(createLogger({ LOG_LEVEL: level }, built.stream));
      for (const r of records) {
        pinoLine?.info({ ...r }, 'request');
        write?.(r);
      }
      const sameTime = (text: string) => text.replace(/"time":\d+/g, '"time":0');
      expect(sameTime(built.text())).toBe(sameTime(viaPino.text()));
      if (level === 'info') expect(built.lines()).toHaveLength(records.length);
      else expect(built.text()).toBe('');
    }
    const built = capture();
    requestLineWriter(createLogger({ LOG_LEVEL: 'info' }, built.stream))?.({ ...base, path: `/x/${JWT}` });
    expect(built.text()).not.toContain('SIGNATURE_canary');
    for (const v of odd) expect(JSON.parse(pinoString(v))).toBe(v);
  });

  it('censors the redact paths at any of the first levels', () => {
    const c = capture();
    const log = createLogger({ LOG_LEVEL: 'info' }, c.stream);
    log.info({
      req: { headers: { authorization: 'Basic abc', cookie: 'sid=1' } },
      res: { headers: { 'set-cookie': 'sid=2' } },
      password: 'pw-canary',
      body: {
        client_secret: 'cs-canary',
        nested: { code_verifier: 'cv-canary', deeper: { access_token: 'at' } },
      },
      refresh_token: 'rt-canary',
    });
    const text = c.text();
    for (const secret of ['pw-canary', 'cs-canary', 'cv-canary', 'rt-canary', 'sid=1', 'sid=2', '"at"']) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('[redacted]');
  });

  it('strips JWT signatures and bearer/basic credentials from any string, message or binding', () => {
    const c = capture();
    const log = createLogger({ LOG_LEVEL: 'info' }, c.stream);
    log.info({ note: `upstream said: Authorization: Bearer ${JWT}` }, `token was ${JWT}`);
    log.child({ token: JWT, other: 'Basic dXNlcjpwYXNzd29yZA==' }).warn('child line');
    log.info('opaque Bearer 0123456789abcdef-opaque-canary');
    log.error({
      err: new Error(`login failed for ?password=hunter2-canary&user=x with Cookie: sid=ck-canary`),
    });
    const text = c.text();
    expect(text).not.toContain('SIGNATURE_canary');
    expect(text).not.toContain('dXNlcjpwYXNzd29yZA');
    expect(text).not.toContain('opaque-canary');
    expect(text).not.toContain('hunter2-canary');
    expect(text).not.toContain('ck-canary');
    // Header and payload are kept (debugging), the signature never.
    const [header, payload] = JWT.split('.');
    expect(text).toContain(`${header}.${payload}.${STRIPPED}`);
    for (const line of c.lines()) expect(line).toBeTypeOf('object'); // still valid JSON after scrubbing
  });

  it('keeps error type, message and stack but not request options hung on the error', () => {
    const c = capture();
    const log = createLogger({ LOG_LEVEL: 'info' }, c.stream);
    const err = Object.assign(new Error('provider timed out'), {
      code: 'UND_ERR_HEADERS_TIMEOUT',
      options: { headers: { 'x-api-key': 'apikey-canary' }, body: 'password=pw2-canary' },
    });
    log.error({ err }, 'request failed');
    const [line] = c.lines();
    expect(line?.err).toMatchObject({
      type: 'Error',
      message: 'provider timed out',
      code: 'UND_ERR_HEADERS_TIMEOUT',
    });
    expect(c.text()).not.toContain('apikey-canary');
    expect(c.text()).not.toContain('pw2-canary');
  });

  it('scrubs secret query values in paths, keeps the rest', () => {
    expect(scrubPath('/oauth/callback?code=abc123&state=xyz&password=p')).toBe(
      '/oauth/callback?code=[redacted]&state=xyz&password=[redacted]',
    );
    expect(scrubPath('/2023-03-01/xhr/employees?modified_after=2024-01-01')).toBe(
      '/2023-03-01/xhr/employees?modified_after=2024-01-01',
    );
    expect(scrubString('error_code=5 errorcode=6')).toBe('error_code=5 errorcode=6');
  });

  it('is idempotent (a second pass changes nothing)', () => {
    const once = scrubString(`Bearer ${JWT} and ${JWT} Basic Zm9vOmJhcg== cookie: a=b`);
    expect(scrubString(once)).toBe(once);
  });
});

describe('pinoNumber', () => {
  it('writes every number as JavaScript prints it (hundredths from their integer form)', () => {
    const samples = [
      0,
      1,
      0.5,
      0.05,
      0.1,
      0.01,
      12.3,
      99.99,
      1e6,
      21474836.47,
      21474836.48,
      1e21,
      -1.5,
      1 / 3,
    ];
    for (let h = 0; h < 1_000_000; h++) samples.push(h / 100);
    for (let i = 0; i < 100_000; i++) samples.push(Math.round(Math.random() * 2 ** 31) / 100);
    expect(samples.filter((n) => pinoNumber(n) !== String(n))).toEqual([]);
    for (const n of [Number.NaN, Number.POSITIVE_INFINITY]) expect(pinoNumber(n)).toBe('null');
  });
});

describe('the process logger on stdout (batched writes)', () => {
  /** A child process that logs `n` lines through the process logger and the request-line logger, then ends `how`. */
  function run(
    how: 'return' | 'exit' | 'throw' | 'wait',
    n = 500,
  ): { lines: string[]; status: number | null } {
    const script = `
      import { createLogger, requestLineLogger } from './src/logging/logger.ts';
      const log = createLogger({ LOG_LEVEL: 'info' });
      const line = requestLineLogger(log);
      for (let i = 0; i < ${n}; i++) (i % 2 ? line : log).info({ i }, 'line');
      const how = ${JSON.stringify(how)};
      if (how === 'exit') process.exit(0);
      if (how === 'throw') setImmediate(() => { throw new Error('uncaught in test'); });
      if (how === 'wait') setTimeout(() => { process.stderr.write(String(process.stdout.writableLength)); process.kill(process.pid, 'SIGKILL'); }, 600);
    `;
    const out = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: path.resolve(import.meta.dirname, '..', '..'),
      encoding: 'utf8',
    });
    return { lines: out.stdout.split('\n').filter((l) => l.length > 0), status: out.status };
  }

  const indexes = (lines: string[]) => lines.map((l) => (JSON.parse(l) as { i: number }).i);
  const all = (n: number) => Array.from({ length: n }, (_, i) => i);

  it.each(['return', 'exit', 'throw'] as const)(
    'loses no line when the process ends by %s, in order',
    (how) => {
      const { lines, status } = run(how);
      expect(status).toBe(how === 'throw' ? 1 : 0);
      expect(indexes(lines)).toEqual(all(500));
    },
  );

  it('writes a line within the flush interval even when the batch is not full', () => {
    // Killed (no exit handler runs) 600 ms after logging 3 lines: only the periodic flush can have written them.
    const { lines } = run('wait', 3);
    expect(indexes(lines)).toEqual(all(3));
    expect(LOG_FLUSH_MS).toBeLessThan(600);
  });
});
