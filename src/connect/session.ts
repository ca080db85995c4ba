/**
 * Server-side state of one connect flow. The browser holds only a random session id and a CSRF token (hidden form
 * fields, 256 bits each); the database holds their SHA-256. Provider credentials never sit here: once submitted they
 * are sealed into a pending connection (`connection_secrets`), which is wiped if the flow is abandoned.
 *
 * Nothing is stored before a sign-in is accepted: until then the page's form carries the flow (the authorization
 * request, re-checked on every post as if it were a new `GET /connect`, and the chosen provider), so requests from
 * anyone who is not signing in cannot grow the database. A refused sign-in takes the flow back to that state.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { newId } from '../ids.js';
import type { Services } from '../services.js';
import type { ConnectSessionRow } from '../store/connect-sessions.js';
import { wipeConnection } from '../sync/wipe-connection.js';
import type { AuthorizeRequest } from './authorize-request.js';

export const SESSION_TTL_MS = 30 * 60_000;

export type Step = 'pick' | 'credentials' | 'otp' | 'consent';

export interface ConnectSession {
  idHash: string;
  request: AuthorizeRequest;
  step: Step;
  provider: string | null;
  connectionId: string | null;
  csrfHash: string;
  /** False while the page's form carries the flow (no row yet, or the row was dropped by a refused sign-in). */
  stored: boolean;
}

const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('base64url');

/** A new flow's ids and its first step; nothing is written. */
export function startSession(request: AuthorizeRequest): {
  session: ConnectSession;
  sessionId: string;
  csrf: string;
} {
  const sessionId = randomBytes(32).toString('base64url');
  const csrf = randomBytes(32).toString('base64url');
  return { session: unstoredSession(sessionId, csrf, request, request.provider), sessionId, csrf };
}

/** The flow a form carries: its ids, its re-checked request and the provider chosen so far. */
export function unstoredSession(
  sessionId: string,
  csrf: string,
  request: AuthorizeRequest,
  provider: string | null,
): ConnectSession {
  return {
    idHash: sha(sessionId),
    request,
    step: provider ? 'credentials' : 'pick',
    provider,
    connectionId: null,
    csrfHash: sha(csrf),
    stored: false,
  };
}

/**
 * Writes the flow's row; from here on the database, not the form, holds its state. False when a row with this id
 * exists already (the same form posted twice at once).
 */
export async function storeSession(
  services: Pick<Services, 'store'>,
  session: ConnectSession,
  now = Date.now(),
): Promise<boolean> {
  const stored = await services.store.connectSessions.insert({
    idHash: session.idHash,
    clientId: session.request.clientId,
    request: JSON.stringify(session.request),
    step: session.step,
    provider: session.provider,
    connectionId: session.connectionId,
    csrfHash: session.csrfHash,
    createdAt: now,
    expiresAt: now + SESSION_TTL_MS,
  });
  session.stored = stored;
  return stored;
}

function fromRow(row: ConnectSessionRow): ConnectSession {
  return {
    idHash: row.idHash,
    request: JSON.parse(row.request) as AuthorizeRequest,
    step: row.step as Step,
    provider: row.provider,
    connectionId: row.connectionId,
    csrfHash: row.csrfHash,
    stored: true,
  };
}

/**
 * The stored session named by the form if it exists, has not expired and the CSRF token matches it; `absent` when
 * no row has that id (the form carries the flow); undefined for anything else.
 */
export async function loadSession(
  services: Pick<Services, 'store'>,
  sessionId: string | undefined,
  csrf: string | undefined,
  now = Date.now(),
): Promise<ConnectSession | 'absent' | undefined> {
  if (!sessionId || !csrf || sessionId.length > 100 || csrf.length > 100) return undefined;
  const row = await services.store.connectSessions.find(sha(sessionId));
  if (!row) return 'absent';
  if (row.expiresAt <= now) return undefined;
  const a = Buffer.from(sha(csrf));
  const b = Buffer.from(row.csrfHash);
  if (a.length !== b.length || !timingSafeEqual(a, b)) return undefined;
  return fromRow(row);
}

/** Moves the flow on; a stored flow's row follows, an unstored one is carried by the next page's form. */
export async function saveStep(
  services: Pick<Services, 'store'>,
  session: ConnectSession,
  patch: { step?: Step; provider?: string | null; connectionId?: string | null },
): Promise<void> {
  if (session.stored) await services.store.connectSessions.update(session.idHash, patch);
  Object.assign(session, patch);
}

export async function endSession(services: Pick<Services, 'store'>, session: ConnectSession): Promise<void> {
  if (session.stored) await services.store.connectSessions.delete(session.idHash);
  session.stored = false;
}

/**
 * Abandons a flow's sign-in: its pending connection (sealed credentials, adapter state, data key) and its row go.
 * The object is left as an unstored flow, so the page can carry on from it (back to the picker, or a retry).
 */
export async function abandonSession(services: Services, session: ConnectSession): Promise<void> {
  if (session.connectionId) await wipePending(services, session.connectionId);
  session.connectionId = null;
  await endSession(services, session);
}

async function wipePending(services: Services, connectionId: string): Promise<void> {
  if ((await services.store.connections.status(connectionId)) !== 'pending') return;
  await wipeConnection(services, connectionId);
  // It never became a connection: no audit trail to keep, and failed sign-ins must not pile up rows.
  await services.store.connections.deleteAbandoned(connectionId);
}

/** A pending connection: credentials verified (or being verified), not yet consented to. */
export async function insertPendingConnection(
  services: Pick<Services, 'store' | 'config'>,
  input: { id?: string; clientId: string; provider: string; mode: string; tags: string[] },
): Promise<string> {
  const id = input.id ?? newId('connection');
  const settings =
    input.provider === 'sandbox' ? { seed: id, employees: services.config.SANDBOX_EMPLOYEES } : {};
  await services.store.connections.insertPending({
    id,
    clientId: input.clientId,
    provider: input.provider,
    mode: input.mode,
    settings,
    tags: input.tags,
    createdAt: Date.now(),
  });
  return id;
}

/**
 * Removes every expired flow, however many: those without a pending connection in one statement, the others one by
 * one with their connection wiped. Run by the retention job, never on a page's request path. Returns how many went.
 */
export async function sweepExpiredSessions(services: Services, now = Date.now()): Promise<number> {
  let removed = await services.store.connectSessions.deleteExpiredWithoutConnection(now);
  for (;;) {
    const batch = await services.store.connectSessions.expired(now, 100);
    if (batch.length === 0) return removed;
    for (const row of batch) {
      if (row.connectionId) await wipePending(services, row.connectionId);
      await services.store.connectSessions.delete(row.idHash);
      removed++;
    }
  }
}
