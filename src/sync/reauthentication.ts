/**
 * The one call site of "this connection needs its user to sign in again" (xhr sessions whose re-login is impossible
 * or refused). The session engine calls it once per loss (it marks the session in the sealed state, so later reads
 * answer 401 `reauthentication_required` without calling it again). It queues the signed
 * `connection.reauthentication_required` webhook through the outbox (src/webhooks/outbox.ts), then tells
 * `services.onReauthenticationRequired`, an observer for embedders and tests. A failure here is logged (code
 * `AFFIX_REAUTH_EVENT`) and never hides the 401 from the user.
 */
import type { Services } from '../services.js';
import type { Connection } from '../store/connections.js';
import { enqueueReauthenticationRequired } from '../webhooks/outbox.js';
import { inTransaction } from './transaction.js';

/** The reason the event carries when a web session ended and could not be renewed. */
export const SESSION_ENDED = 'session_ended';

export async function notifyReauthenticationRequired(
  services: Pick<Services, 'store' | 'keyring' | 'onReauthenticationRequired' | 'logger'>,
  connection: Pick<Connection, 'id' | 'clientId' | 'provider' | 'mode'>,
): Promise<void> {
  try {
    await inTransaction(services, (tx) => enqueueReauthenticationRequired(tx, connection, SESSION_ENDED));
    await services.onReauthenticationRequired?.({
      id: connection.id,
      clientId: connection.clientId,
      provider: connection.provider,
    });
  } catch (err) {
    const message = `connection.reauthentication_required for ${connection.id} was not queued: ${err instanceof Error ? err.message : String(err)}`;
    services.logger.warn({ code: 'AFFIX_REAUTH_EVENT', connection_id: connection.id }, message);
  }
}
