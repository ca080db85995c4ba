/**
 * A connection's web session: a tough-cookie jar kept in the connection state (`ctx.state`, which the platform seals
 * under the connection's data key, so cookies are ciphertext at rest and shredded on disconnect), with the session's
 * generation and whether a re-login already failed.
 */
import { CookieJar } from 'tough-cookie';
import type { ConnectionState } from '../types.js';

export const SESSION_STATE_KEY = 'session.web';

/** What the state holds under SESSION_STATE_KEY. */
export interface StoredSession {
  /** `CookieJar.serialize()` output. */
  jar: unknown;
  /** Bumped by every sign-in, so a request sent with older cookies knows a newer session exists. */
  generation: number;
  /** Set when a re-login was impossible or refused: reads answer `reauthentication_required` without trying again. */
  reauthenticationRequired: boolean;
}

export async function loadSession(
  state: ConnectionState,
): Promise<{ jar: CookieJar; stored?: StoredSession }> {
  const stored = await state.get<StoredSession>(SESSION_STATE_KEY);
  if (!stored || typeof stored !== 'object' || stored.jar === undefined) return { jar: new CookieJar() };
  // biome-ignore lint/suspicious/noExplicitAny: tough-cookie types its serialized form as its own interface
  return { jar: await CookieJar.deserialize(stored.jar as any), stored };
}

export async function saveSession(
  state: ConnectionState,
  jar: CookieJar,
  meta: Omit<StoredSession, 'jar'>,
): Promise<void> {
  await state.set(SESSION_STATE_KEY, { jar: await jar.serialize(), ...meta } satisfies StoredSession);
}

/** Stores each `Set-Cookie` of a response in the jar, as a browser would for `url`. */
export async function storeSetCookies(
  jar: CookieJar,
  url: string,
  header: string | string[] | undefined,
): Promise<void> {
  if (header === undefined) return;
  for (const line of Array.isArray(header) ? header : [header]) {
    await jar.setCookie(line, url, { ignoreError: true });
  }
}
