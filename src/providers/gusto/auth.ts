/**
 * Gusto OAuth tokens for one connection. Access tokens last two hours (`expires_in: 7200`); `POST /oauth/token` with
 * `grant_type=refresh_token` answers a new access token AND a new refresh token, and the refresh token just spent
 * stops working. So a refresh must happen once per expiry, and its result must be kept before anything else:
 *
 * - the current pair lives in the connection state (`ctx.state`, sealed by the platform), so every adapter of the
 *   connection, in any process, starts from the newest pair rather than the one typed on the connect page;
 * - refreshes are single-flight per refresh token within the process (a module-level map, because the platform
 *   builds one adapter per fetch job and two jobs of one connection may run at once);
 * - a refresh Gusto refuses is checked against the state once more, and again shortly after: another process may
 *   have spent the same refresh token a moment earlier and saved the pair that replaces it.
 */
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ProviderError } from '../errors.js';
import type { ConnectionState } from '../types.js';

export const TOKENS_STATE_KEY = 'gusto.tokens';
/** Refresh this long before Gusto says the access token expires, so a request does not meet the expiry mid-walk. */
const EXPIRY_MARGIN_MS = 60_000;
/** How long a refused refresh waits for another process's refreshed pair to appear in the state. */
const ROTATION_GRACE_MS = 500;

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  /** Epoch ms; null when unknown (the pair typed on the connect page). */
  expires_at: number | null;
}

/** What the state holds: the pair, and which connect-page refresh token it descends from. */
interface StoredTokens extends TokenPair {
  seed: string;
}

/** Exchanges a refresh token for a new pair; throws `reauthentication_required` when Gusto refuses it. */
export type RefreshFn = (refreshToken: string) => Promise<TokenPair>;

/** Refreshes in flight in this process, by the refresh token being spent. */
const inflight = new Map<string, Promise<TokenPair>>();

function fingerprint(refreshToken: string): string {
  return createHash('sha256').update(refreshToken).digest('hex').slice(0, 32);
}

function isPair(v: unknown): v is StoredTokens {
  const t = v as Partial<StoredTokens> | null | undefined;
  return (
    typeof t?.access_token === 'string' &&
    typeof t.refresh_token === 'string' &&
    typeof t.seed === 'string' &&
    (t.expires_at === null || typeof t.expires_at === 'number')
  );
}

export class GustoTokens {
  private pair: TokenPair;
  private loaded = false;
  private readonly seed: string;

  constructor(
    initial: { access_token: string; refresh_token: string },
    private readonly state: ConnectionState | undefined,
    private readonly refreshFn: RefreshFn,
  ) {
    this.pair = { ...initial, expires_at: null };
    this.seed = fingerprint(initial.refresh_token);
  }

  /** The pair in use now (after loading the state); refreshed first when it is known to be (nearly) expired. */
  async current(): Promise<TokenPair> {
    await this.load();
    if (this.pair.expires_at !== null && this.pair.expires_at - EXPIRY_MARGIN_MS <= Date.now()) {
      return this.refresh(this.pair.access_token);
    }
    return this.pair;
  }

  /**
   * Gusto refused `rejected`: refresh, unless the pair has changed since that request was sent (a concurrent
   * request refreshed already), in which case the newer pair is the answer.
   */
  async afterRejection(rejected: string): Promise<TokenPair> {
    await this.load();
    if (this.pair.access_token !== rejected) return this.pair;
    return this.refresh(rejected);
  }

  private async load(): Promise<void> {
    if (this.loaded) return;
    await this.adoptStored();
    this.loaded = true;
  }

  /** Takes the stored pair if it descends from this connection's connect-page tokens; true when it changed ours. */
  private async adoptStored(): Promise<boolean> {
    const stored = await this.state?.get<unknown>(TOKENS_STATE_KEY);
    // A pair from earlier credentials (the connection was set up again with new tokens) is not ours to use.
    if (!isPair(stored) || stored.seed !== this.seed) return false;
    if (stored.access_token === this.pair.access_token && stored.refresh_token === this.pair.refresh_token) {
      return false;
    }
    this.pair = {
      access_token: stored.access_token,
      refresh_token: stored.refresh_token,
      expires_at: stored.expires_at,
    };
    return true;
  }

  private refresh(rejected: string): Promise<TokenPair> {
    const spending = this.pair.refresh_token;
    let run = inflight.get(spending);
    if (!run) {
      run = this.exchange(spending, rejected).finally(() => inflight.delete(spending));
      inflight.set(spending, run);
    }
    return run.then((pair) => {
      this.pair = pair;
      return pair;
    });
  }

  private async exchange(spending: string, rejected: string): Promise<TokenPair> {
    // Another adapter (or process) may have refreshed since we loaded: its pair is newer than ours.
    if ((await this.adoptStored()) && this.pair.access_token !== rejected) return this.pair;
    let pair: TokenPair;
    try {
      pair = await this.refreshFn(spending);
    } catch (err) {
      if (!(err instanceof ProviderError) || err.kind !== 'authentication') throw err;
      // Refused: if someone else spent this refresh token first, their pair shows up in the state.
      for (const wait of [0, ROTATION_GRACE_MS]) {
        if (wait > 0) await sleep(wait);
        if (await this.adoptStored()) return this.pair;
      }
      throw err;
    }
    // Kept before it is used: the refresh token just spent no longer works, so losing this pair loses the grant.
    this.pair = pair;
    await this.state?.set(TOKENS_STATE_KEY, { ...pair, seed: this.seed } satisfies StoredTokens);
    return pair;
  }
}
