/**
 * The fault knobs every provider emulator has, and the one rule that decides them, so "429 every N", "5xx every
 * N", "hang" and "malformed JSON" mean the same thing for every provider. Each emulator renders the fault in its
 * provider's own error shape and headers, at the point of its request pipeline where that provider would fail.
 * Test tooling only: never imported by production code.
 */
import type { EmulatorReply } from './emulator-http.js';
export interface FaultKnobs {
  /** Delay before every response, ms. */
  latencyMs: number;
  /** Every Nth counted request answers 429 with `Retry-After: retryAfterSeconds` (0 = off; 1 = always). */
  rateLimitEvery: number;
  retryAfterSeconds: number;
  /** Every Nth counted request answers `status5xx` (0 = off). */
  failEvery: number;
  status5xx: number;
  /** Requests are never answered (the socket stays open until the client gives up). */
  hang: boolean;
  /** Bodies are cut in half: truncated JSON. */
  malformedJson: boolean;
}

export const DEFAULT_FAULT_KNOBS: FaultKnobs = {
  latencyMs: 0,
  rateLimitEvery: 0,
  retryAfterSeconds: 1,
  failEvery: 0,
  status5xx: 503,
  hang: false,
  malformedJson: false,
};

/**
 * The list and credential knobs of an emulator whose provider pages a list with an announced total, so they mean
 * the same everywhere; where the total and the 401 come from is the provider's own.
 */
export interface PagedListKnobs extends FaultKnobs {
  /** The second page of every multi-page list is shorter than the page size while more records follow. */
  shortPage: boolean;
  /** The announced total is one record more than the list holds. */
  totalMismatch: boolean;
  /** Every credential is refused (401), as after it was revoked. */
  expireToken: boolean;
}

export const DEFAULT_PAGED_LIST_KNOBS: PagedListKnobs = {
  ...DEFAULT_FAULT_KNOBS,
  shortPage: false,
  totalMismatch: false,
  expireToken: false,
};

export type InjectedFault =
  | { status: 429; retryAfterSeconds: number }
  | { status: number; retryAfterSeconds?: never };

/** The knob-driven fault for the nth counted request, if any: the 429 knob wins over the 5xx knob. */
export function injectedFault(knobs: FaultKnobs, n: number): InjectedFault | null {
  if (knobs.rateLimitEvery > 0 && n % knobs.rateLimitEvery === 0) {
    return { status: 429, retryAfterSeconds: knobs.retryAfterSeconds };
  }
  if (knobs.failEvery > 0 && n % knobs.failEvery === 0) return { status: knobs.status5xx };
  return null;
}

/**
 * An injected fault as a reply with `Retry-After` (the fault's own on a 429, the knob's on a 5xx), its body in the
 * provider's error shape: for an emulator whose provider sends Retry-After on both.
 */
export function faultReply(
  fault: InjectedFault,
  knobs: Pick<FaultKnobs, 'retryAfterSeconds'>,
  body: (status: number) => unknown,
): EmulatorReply {
  const retryAfter = fault.status === 429 ? fault.retryAfterSeconds : knobs.retryAfterSeconds;
  return { status: fault.status, body: body(fault.status), headers: { 'retry-after': String(retryAfter) } };
}

/** A JSON text cut in half (at least one character): what the malformed-JSON knob sends. */
export function truncatedJson(text: string): string {
  return text.slice(0, Math.max(1, Math.floor(text.length / 2)));
}
