/**
 * The one call site of "this connection needs its user to sign in again" (xhr sessions whose re-login is impossible
 * or refused). The session engine calls it once per loss (it marks the session in the sealed state, so later reads
 * answer 401 `reauthentication_required` without calling it again); it hands the connection to
 * `services.onReauthenticationRequired`, where the webhook outbox's `connection.reauthentication_required` event is
 * wired. A failing hook is logged by the caller's error path, never hides the 401.
 */
import type { Services } from '../services.js';
import type { Connection } from '../store/connections.js';

export async function notifyReauthenticationRequired(
  services: Pick<Services, 'onReauthenticationRequired'>,
  connection: Pick<Connection, 'id' | 'clientId' | 'provider'>,
): Promise<void> {
  try {
    await services.onReauthenticationRequired?.({
      id: connection.id,
      clientId: connection.clientId,
      provider: connection.provider,
    });
  } catch {
    // The user still gets the 401; the event is best effort until the outbox (which retries) is wired.
  }
}
