/**
 * Server-side state of one connect flow. The browser holds only a random session id and a CSRF token (hidden form
 * fields, 256 bits each); the database holds their SHA-256. Provider credentials never sit here: once submitted they
 * are sealed into a pending connection (`connection_secrets`), which is wiped if the flow is abandoned.
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
}

const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('base64url');

export async function createSession(
  services: Pick<Services, 'store'>,
  request: AuthorizeRequest,
  now = Date.now(),
): Promise<{ session: ConnectSession; sessionId: string; csrf: string }> {
  const sessionId = randomBytes(32).toString('base64url');
  const csrf = randomBytes(32).toString('base64url');
  const step: Step = request.provider ? 'credentials' : 'pick';
  const row: ConnectSessionRow = {
    idHash: sha(sessionId),
    clientId: request.clientId,
    request: JSON.stringify(request),
    step,
    provider: request.provider,
    connectionId: null,
    csrfHash: sha(csrf),
    createdAt: now,
    expiresAt: now + SESSION_TTL_MS,
  };
  await services.store.connectSessions.insert(row);
  return { session: fromRow(row), sessionId, csrf };
}

function fromRow(row: ConnectSessionRow): ConnectSession {
  return {
    idHash: row.idHash,
    request: JSON.parse(row.request) as AuthorizeRequest,
    step: row.step as Step,
    provider: row.provider,
    connectionId: row.connectionId,
    csrfHash: row.csrfHash,
  };
}

/** The session named by the form, if it exists, has not expired and the CSRF token matches it. */
export async function loadSession(
  services: Pick<Services, 'store'>,
  sessionId: string | undefined,
  csrf: string | undefined,
  now = Date.now(),
): Promise<ConnectSession | undefined> {
  if (!sessionId || !csrf || sessionId.length > 100 || csrf.length > 100) return undefined;
  const row = await services.store.connectSessions.find(sha(sessionId));
  if (!row || row.expiresAt <= now) return undefined;
  const a = Buffer.from(sha(csrf));
  const b = Buffer.from(row.csrfHash);
  if (a.length !== b.length || !timingSafeEqual(a, b)) return undefined;
  return fromRow(row);
}

export async function saveStep(
  services: Pick<Services, 'store'>,
  session: ConnectSession,
  patch: { step?: Step; provider?: string | null; connectionId?: string | null },
): Promise<void> {
  await services.store.connectSessions.update(session.idHash, patch);
  Object.assign(session, patch);
}

export async function endSession(services: Pick<Services, 'store'>, session: ConnectSession): Promise<void> {
  await services.store.connectSessions.delete(session.idHash);
}

/** Abandons a flow: its pending connection (sealed credentials, adapter state, data key) goes too. */
export async function abandonSession(services: Services, session: ConnectSession): Promise<void> {
  if (session.connectionId) await wipePending(services, session.connectionId);
  await endSession(services, session);
}

async function wipePending(services: Services, connectionId: string): Promise<void> {
  if ((await services.store.connections.status(connectionId)) === 'pending') {
    await wipeConnection(services, connectionId);
  }
}

/** A pending connection: credentials verified (or being verified), not yet consented to. */
export async function insertPendingConnection(
  services: Pick<Services, 'store' | 'config'>,
  input: { clientId: string; provider: string; mode: string; tags: string[] },
): Promise<string> {
  const id = newId('connection');
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

const SWEEP_EVERY_MS = 60_000;

/** When this node last swept (`services.connectSweep`): each node sweeps on its own; the deletes are idempotent. */
export class SweepClock {
  private last = 0;

  /** True, and the sweep counted as started, when the last one is at least a minute old. */
  claim(now: number): boolean {
    if (now - this.last < SWEEP_EVERY_MS) return false;
    this.last = now;
    return true;
  }
}

/** At most once a minute per node: expired flows lose their pending connections and session rows. */
export async function sweepExpiredSessions(services: Services, now = Date.now()): Promise<void> {
  if (!services.connectSweep.claim(now)) return;
  for (const row of await services.store.connectSessions.expired(now, 100)) {
    if (row.connectionId) await wipePending(services, row.connectionId);
    await services.store.connectSessions.delete(row.idHash);
  }
}
