/**
 * The connect form's limits: attempts the provider refused, counted per client, per IP and per both, so the form
 * cannot be used to guess passwords or one-time codes at the provider through us.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { limiterKeys } from '../oauth/abuse-limiter.js';
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
  message: (wait: number) => string,
): Promise<FormLimit | undefined> {
  const limiter = services.limiters.connectForm;
  const keys = limiterKeys(client.id, req.ip);
  const wait = limiter.retryAfter(keys);
  if (wait > 0) {
    reply.header('retry-after', String(wait));
    await sendError(reply, 429, client, 'Too many attempts', message(wait));
    return undefined;
  }
  return { fail: () => limiter.fail(keys) };
}
