/**
 * Announced totals are hints. Providers' own published examples announce totals their pages do not carry (Personio's
 * `total_elements: 2` beside one employee, BambooHR's `totalItems: 10` beside one item, Factorial's `total: 0` beside
 * a record), and a live list can change while it is read. One rule for every client that walks pages with a total:
 *
 * - a walk whose count matches the total (or that announced none) is served;
 * - otherwise the list is walked once more: a second walk that matches its total is served; a second walk that counts
 *   what the first counted is what the provider consistently answers, served with a warning;
 * - two walks that disagree fail (`bad_response`), so nothing partial is served or cached.
 *
 * A page shorter than the page size in the middle of a walk (records follow it) is the clients' own check, done
 * inside each walk: that is a real hole and still fails the call.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { createLogger } from '../logging/logger.js';
import { ProviderError } from './errors.js';
import type { ProviderLog } from './types.js';

/** Whether a list inside the current `watchShortLists` call was served short of (or beyond) its announced total. */
const servedOffTotal = new AsyncLocalStorage<{ off: boolean }>();

/**
 * Runs `fn` and says whether any list it walked was served despite its announced total (the rule above). API reads
 * serve such a list; a webhook poll must not diff it, as it cannot tell a provider's short answer from removals.
 */
export async function watchShortLists<T>(fn: () => Promise<T>): Promise<{ value: T; offTotal: boolean }> {
  const scope = { off: false };
  const value = await servedOffTotal.run(scope, fn);
  return { value, offTotal: scope.off };
}

/** The facts of one walk the rule needs; a client's walk result may carry more (the records, a head …). */
export interface WalkCount {
  /** Records the walk returned. */
  count: number;
  /** What the provider announced for this walk; null when it announced nothing usable. */
  total: number | null;
}

/** Where the warnings of `servedDespiteTotal` go unless a client is given its own sink. */
export type ProviderWarn = (message: string) => void;

let fallbackLog: Logger | undefined;

/** LOG_LEVEL when it is one of pino's, else `info`. */
function envLogLevel(): Config['LOG_LEVEL'] {
  const level = process.env.LOG_LEVEL;
  return ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(level ?? '')
    ? (level as Config['LOG_LEVEL'])
    : 'info';
}

/**
 * Provider warnings go to the structured logger as `warn` lines with `code: AFFIX_PROVIDER_TOTAL`: the connection's
 * (`ctx.log`, the process logger the platform gives, with the connection id), else a process logger at LOG_LEVEL
 * (an adapter built outside the platform: tests, benchmarks).
 * @example this.warn = options.onWarning ?? providerWarn(ctx);
 */
export function providerWarn(ctx: { log?: ProviderLog; connectionId?: string } = {}): ProviderWarn {
  return (message) => {
    if (!ctx.log && !fallbackLog) fallbackLog = createLogger({ LOG_LEVEL: envLogLevel() });
    const facts = ctx.connectionId
      ? { code: 'AFFIX_PROVIDER_TOTAL', connection_id: ctx.connectionId }
      : { code: 'AFFIX_PROVIDER_TOTAL' };
    (ctx.log ?? (fallbackLog as Logger)).warn(facts, message);
  };
}

/** The default sink of `servedDespiteTotal`'s warnings when a client gives none: `providerWarn()` with no context. */
export const providerWarning: ProviderWarn = providerWarn();

/** True when a walk's count agrees with what was announced for it (or nothing was). */
export function matchesTotal(walk: WalkCount): boolean {
  return walk.total === null || walk.count === walk.total;
}

/**
 * Runs `walk` once, or twice when the first count disagrees with its announced total, and returns the walk to
 * serve by the rule above. `label` names the list in the warning and the error ("Personio company/employees").
 * @example
 * const { rows } = await servedDespiteTotal('Xero Employees', () => walkOnce(), warn);
 */
export async function servedDespiteTotal<W extends WalkCount>(
  label: string,
  walk: () => Promise<W>,
  warn: ProviderWarn = providerWarning,
): Promise<W> {
  const first = await walk();
  if (matchesTotal(first)) return first;
  const second = await walk();
  if (matchesTotal(second)) return second;
  if (second.count === first.count) {
    const scope = servedOffTotal.getStore();
    if (scope) scope.off = true;
    warn(
      `${label} announced ${second.total} records and returned ${second.count} in two walks; serving what it returned`,
    );
    return second;
  }
  throw new ProviderError(
    'bad_response',
    `${label} announced ${first.total} records; two walks returned ${first.count} and ${second.count}`,
  );
}

/**
 * `servedDespiteTotal` for a list handed on as it is walked: `walk(true)` is the first walk, which may stream;
 * `walk(false)` a second one, which must not (what was streamed cannot be taken back). `again` says whether the
 * served walk is the second: the caller then checks it lists what was streamed, in the same order, and hands on
 * only the rest.
 */
export async function servedDespiteTotalStreaming<W extends WalkCount>(
  label: string,
  walk: (first: boolean) => Promise<W>,
  warn: ProviderWarn = providerWarning,
): Promise<{ served: W; again: boolean }> {
  let walks = 0;
  const served = await servedDespiteTotal(label, () => walk(walks++ === 0), warn);
  return { served, again: walks > 1 };
}

/**
 * A list handed on page by page as it is walked, under the rule above. `walkOnce(onPage)` walks the list once,
 * giving each page to `onPage`; the first walk's pages go straight to `onPage` here. When a second walk is the one
 * served, it must list what was handed on already, first and in the same order (else `bad_response`: the list
 * changed while it was read), and only its rest is handed on. Returns the served walk.
 * @example
 * await walkHandingOn('Factorial employees', (onPage) => client.walkOnce(path, onPage), (e) => e.id, sink);
 */
export async function walkHandingOn<T, W extends WalkCount>(
  label: string,
  walkOnce: (onPage: (items: readonly T[]) => void) => Promise<W>,
  idOf: (item: T) => string,
  onPage: (items: readonly T[]) => void,
  warn: ProviderWarn = providerWarning,
): Promise<W> {
  const handed: string[] = [];
  let kept: T[] = [];
  const { served, again } = await servedDespiteTotalStreaming(
    label,
    (first) =>
      walkOnce(
        first
          ? (items) => {
              for (const item of items) handed.push(idOf(item));
              onPage(items);
            }
          : (items) => {
              for (const item of items) kept.push(item);
            },
      ),
    warn,
  );
  if (!again) return served;
  const prefix = kept.slice(0, handed.length);
  if (prefix.length !== handed.length || prefix.some((item, i) => idOf(item) !== handed[i])) {
    throw new ProviderError('bad_response', `${label} changed while they were read; walk again later`);
  }
  const rest = kept.slice(handed.length);
  kept = [];
  if (rest.length > 0) onPage(rest);
  return served;
}
