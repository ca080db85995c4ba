/** The per-request logger is made on its first line only, and writes what the eager child would have. */
import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { lazyChildLogger } from './lazy-child.js';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      for (const l of String(chunk).trim().split('\n')) lines.push(JSON.parse(l));
      cb();
    },
  });
  return { stream, lines };
}

describe('lazy child logger', () => {
  it('makes no child until a line at an enabled level is written, then writes it with the bindings', () => {
    const { stream, lines } = capture();
    const parent = pino({ level: 'info' }, stream);
    let made = 0;
    const counted = new Proxy(parent, {
      get: (target, prop) =>
        prop === 'child'
          ? (...args: Parameters<typeof target.child>) => {
              made++;
              return target.child(...args);
            }
          : Reflect.get(target, prop),
    });
    const log = lazyChildLogger(counted, { reqId: 'req_1' }, {});
    expect(log.level).toBe('info');
    log.debug('below the level');
    expect(made).toBe(0);
    log.warn({ status: 503 }, 'answered');
    log.error('again');
    expect(made).toBe(1);
    expect(lines).toMatchObject([
      { level: 40, reqId: 'req_1', status: 503, msg: 'answered' },
      { level: 50, reqId: 'req_1', msg: 'again' },
    ]);
    log.level = 'debug';
    log.debug('now enabled');
    expect(lines.at(-1)).toMatchObject({ level: 20, reqId: 'req_1', msg: 'now enabled' });
    log.child({ extra: 1 }).warn('grandchild');
    expect(lines.at(-1)).toMatchObject({ reqId: 'req_1', extra: 1, msg: 'grandchild' });
  });
});
