/** The walk-again-once rule for announced totals, on its own (each client's walks are tested with its emulator). */
import { describe, expect, it } from 'vitest';
import { ProviderError } from './errors.js';
import { capturedLog } from '../testing/provider-context.js';
import { providerWarn, servedDespiteTotal, servedDespiteTotalStreaming, walkHandingOn } from './totals.js';

/** A walk function answering the given walks in turn, counting how often it was called. */
function walks(...answers: { count: number; total: number | null }[]) {
  let calls = 0;
  const walk = async () => {
    const answer = answers[calls++];
    if (!answer) throw new Error('walked more often than expected');
    return { ...answer, walk: calls };
  };
  return { walk, calls: () => calls };
}

describe('servedDespiteTotal', () => {
  it('a walk matching its total, or announcing none, is served after one walk, silently', async () => {
    for (const total of [3, null]) {
      const warnings: string[] = [];
      const w = walks({ count: 3, total });
      expect((await servedDespiteTotal('P list', w.walk, (m) => warnings.push(m))).walk).toBe(1);
      expect(w.calls()).toBe(1);
      expect(warnings).toEqual([]);
    }
  });

  it('a disagreeing walk is walked again; a second walk matching its own total is served silently', async () => {
    const warnings: string[] = [];
    const w = walks({ count: 2, total: 3 }, { count: 3, total: 3 });
    expect((await servedDespiteTotal('P list', w.walk, (m) => warnings.push(m))).walk).toBe(2);
    expect(warnings).toEqual([]);
  });

  it('consistently short (both walks count the same) → the second walk, with one warning', async () => {
    const warnings: string[] = [];
    const w = walks({ count: 1, total: 2 }, { count: 1, total: 2 });
    const served = await servedDespiteTotal('P list', w.walk, (m) => warnings.push(m));
    expect(served.walk).toBe(2);
    expect(warnings).toEqual([
      'P list announced 2 records and returned 1 in two walks; serving what it returned',
    ]);
  });

  it('consistently long (more records than announced) is served the same way', async () => {
    const warnings: string[] = [];
    const w = walks({ count: 5, total: 0 }, { count: 5, total: 0 });
    expect((await servedDespiteTotal('P list', w.walk, (m) => warnings.push(m))).count).toBe(5);
    expect(warnings).toHaveLength(1);
  });

  it('inconsistent walks → bad_response, never a third walk, no warning', async () => {
    const warnings: string[] = [];
    const w = walks({ count: 1, total: 3 }, { count: 2, total: 3 });
    const err = await servedDespiteTotal('P list', w.walk, (m) => warnings.push(m)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).kind).toBe('bad_response');
    expect((err as ProviderError).message).toBe('P list announced 3 records; two walks returned 1 and 2');
    expect(w.calls()).toBe(2);
    expect(warnings).toEqual([]);
  });

  it("providerWarn(ctx) sends the warning to the connection's structured logger (code AFFIX_PROVIDER_TOTAL), never as a process warning", async () => {
    const seen: Error[] = [];
    const listener = (w: Error) => seen.push(w);
    process.on('warning', listener);
    const { log, warnings, facts } = capturedLog();
    try {
      const w = walks({ count: 1, total: 2 }, { count: 1, total: 2 });
      await servedDespiteTotal('P list', w.walk, providerWarn({ log, connectionId: 'con_1' }));
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', listener);
    }
    expect(warnings).toEqual([
      'P list announced 2 records and returned 1 in two walks; serving what it returned',
    ]);
    expect(facts).toEqual([{ code: 'AFFIX_PROVIDER_TOTAL', connection_id: 'con_1' }]);
    expect(seen).toEqual([]);
  });

  it('streaming: only the first walk may stream, and `again` says the second was served', async () => {
    const firsts: boolean[] = [];
    const answers = [
      { count: 1, total: 2 },
      { count: 1, total: 2 },
    ];
    const { served, again } = await servedDespiteTotalStreaming(
      'P list',
      async (first) => {
        firsts.push(first);
        return answers[firsts.length - 1] ?? { count: 0, total: 0 };
      },
      () => undefined,
    );
    expect(firsts).toEqual([true, false]);
    expect(again).toBe(true);
    expect(served.count).toBe(1);
    const once = await servedDespiteTotalStreaming('P list', async () => ({ count: 2, total: 2 }));
    expect(once.again).toBe(false);
  });
});

describe('walkHandingOn', () => {
  /** A walk over `lists` in turn (one list per walk), pages of two, announcing `total`. */
  function pagedWalks(total: number, ...lists: string[][]) {
    let calls = 0;
    return async (onPage: (items: readonly string[]) => void) => {
      const list = lists[calls++];
      if (!list) throw new Error('walked more often than expected');
      for (let i = 0; i < list.length; i += 2) onPage(list.slice(i, i + 2));
      return { count: list.length, total };
    };
  }

  it('one walk matching its total: every page handed on as walked', async () => {
    const pages: string[][] = [];
    const served = await walkHandingOn(
      'P list',
      pagedWalks(3, ['a', 'b', 'c']),
      (x) => x,
      (p) => {
        pages.push([...p]);
      },
    );
    expect(served.count).toBe(3);
    expect(pages).toEqual([['a', 'b'], ['c']]);
  });

  it('a second walk served: only what the first did not hand on follows, after one warning', async () => {
    const warnings: string[] = [];
    const handed: string[] = [];
    await walkHandingOn(
      'P list',
      pagedWalks(4, ['a', 'b', 'c'], ['a', 'b', 'c']),
      (x) => x,
      (p) => handed.push(...p),
      (m) => warnings.push(m),
    );
    expect(handed).toEqual(['a', 'b', 'c']);
    expect(warnings).toHaveLength(1);
    const more: string[] = [];
    await walkHandingOn(
      'P list',
      pagedWalks(4, ['a', 'b', 'c'], ['a', 'b', 'c', 'd']),
      (x) => x,
      (p) => more.push(...p),
    );
    expect(more).toEqual(['a', 'b', 'c', 'd']);
  });

  it('a second walk that does not start with what was handed on → bad_response', async () => {
    const err = await walkHandingOn(
      'P list',
      pagedWalks(3, ['a', 'b'], ['b', 'a', 'c']),
      (x) => x,
      () => {},
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).message).toBe('P list changed while they were read; walk again later');
  });
});
