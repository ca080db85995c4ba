/**
 * The connect form's limits: attempts the provider refused, counted per (client, account, IP) and per IP, so the
 * form cannot be used to guess passwords or one-time codes at the provider through us, and one user's mistakes
 * never lock out the app's other users (see createAbuseLimiters).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { connectFormAttempt } from '../oauth/abuse-limiter.js';
import type { Services } from '../services.js';
import type { ClientRecord } from '../store/clients.js';
import { sendError } from './flow.js';

export interface FormLimit {
  /** Counts an attempt the provider refused. */
  fail(): void;
}

/**
 * The limit for this client and address; when it is spent, sends the 429 page (with `Retry-After` and the message
 * made from the seconds to wait) and returns undefined.
 */
export async function checkFormLimit(
  services: Services,
  req: FastifyRequest,
  reply: FastifyReply,
  client: ClientRecord,
  account: string,
  message: (wait: number) => string,
): Promise<FormLimit | undefined> {
  const attempt = connectFormAttempt(services.limiters.connectForm, client.id, account, req.ip);
  const wait = attempt.wait;
  if (wait > 0) {
    reply.header('retry-after', String(wait));
    await sendError(reply, 429, client, {
      title: 'Too many attempts',
      message: message(wait),
      code: 'rate_limited',
    });
    return undefined;
  }
  return { fail: attempt.fail };
}
