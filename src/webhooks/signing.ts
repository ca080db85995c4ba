/**
 * Webhook signatures, both schemes over the exact bytes sent:
 *
 * - the seed's: `x-affix-api-signature` = hex HMAC-SHA256 of the raw body keyed with the client secret (the oldest
 *   current one, the one an app most likely still verifies with while it rotates), plus `x-affix-api-origin` and
 *   `user-agent: affixapi.com`. Public clients have no secret and get no such header;
 * - Standard Webhooks (https://www.standardwebhooks.com): `webhook-id`, `webhook-timestamp` and
 *   `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">` keyed with the client's `whsec_…` secret;
 *   during a rotation window one `v1,…` per secret, space-separated.
 */
import { createHmac, randomBytes } from 'node:crypto';

export const SEED_ORIGIN = 'webhooks-employees-webhook';
export const USER_AGENT = 'affixapi.com';
const WHSEC_PREFIX = 'whsec_';

/** The seed's recipe, verbatim: HMAC-SHA256 keyed with the client secret, hex. */
export function seedSignature(body: string | Uint8Array, clientSecret: string): string {
  return createHmac('sha256', clientSecret).update(body).digest('hex');
}

/** A new Standard Webhooks secret: `whsec_` and 32 random bytes in base64. */
export function newWebhookSecret(): string {
  return `${WHSEC_PREFIX}${randomBytes(32).toString('base64')}`;
}

/** One `v1,<base64>` signature of `id.timestamp.body` with a `whsec_…` secret. */
export function standardSignature(
  secret: string,
  id: string,
  timestampSeconds: number,
  body: string | Uint8Array,
): string {
  const key = Buffer.from(
    secret.startsWith(WHSEC_PREFIX) ? secret.slice(WHSEC_PREFIX.length) : secret,
    'base64',
  );
  const mac = createHmac('sha256', key).update(`${id}.${timestampSeconds}.`).update(body).digest('base64');
  return `v1,${mac}`;
}

export interface SignInput {
  id: string;
  timestampSeconds: number;
  body: Uint8Array;
  /** The client secret for the seed's header; null for a public client. */
  clientSecret: string | null;
  /** The `whsec_…` secrets that sign now, newest first. */
  webhookSecrets: string[];
  /** `x-affix-api-origin`. */
  origin: string;
  type: string;
}

/** Every header of a webhook request. */
export function webhookHeaders(input: SignInput): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': USER_AGENT,
    'x-affix-api-origin': input.origin,
    'x-affix-event-type': input.type,
    'webhook-id': input.id,
    'webhook-timestamp': String(input.timestampSeconds),
  };
  if (input.clientSecret !== null) {
    headers['x-affix-api-signature'] = seedSignature(input.body, input.clientSecret);
  }
  if (input.webhookSecrets.length > 0) {
    headers['webhook-signature'] = input.webhookSecrets
      .map((s) => standardSignature(s, input.id, input.timestampSeconds, input.body))
      .join(' ');
  }
  return headers;
}
