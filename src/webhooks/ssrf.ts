/**
 * The SSRF guard of webhook delivery (SECURITY-CHECKLIST "Webhooks"): a webhook URL may only reach public
 * addresses. The host is resolved and every address checked; the connection is then made to a checked address
 * (undici's `connect.lookup`), so a DNS answer that changes between the check and the connection (rebinding)
 * cannot reach a refused one. IP literals are checked as written. https only with AFFIX_ENV=prod.
 *
 * Always refused: unspecified, link-local (169.254/16 with the cloud metadata address, fe80::/10), multicast,
 * reserved and documentation ranges, NAT64. Refused unless `allowPrivate` (WEBHOOKS_ALLOW_PRIVATE_URLS, dev only):
 * loopback (127/8, ::1), RFC 1918, CGNAT (100.64/10), unique local (fc00::/7). IPv4-mapped IPv6 counts as IPv4.
 */
import dns from 'node:dns';
import net from 'node:net';
import { Agent } from 'undici';

const ALWAYS = new net.BlockList();
for (const [a, p] of [
  ['0.0.0.0', 8],
  ['169.254.0.0', 16],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  ALWAYS.addSubnet(a, p, 'ipv4');
}
for (const [a, p] of [
  ['::', 128],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['2001:db8::', 32],
  ['100::', 64],
] as const) {
  ALWAYS.addSubnet(a, p, 'ipv6');
}

const PRIVATE = new net.BlockList();
for (const [a, p] of [
  ['127.0.0.0', 8],
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['100.64.0.0', 10],
] as const) {
  PRIVATE.addSubnet(a, p, 'ipv4');
}
PRIVATE.addAddress('::1', 'ipv6');
PRIVATE.addSubnet('fc00::', 7, 'ipv6');

export class WebhookUrlRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookUrlRefused';
  }
}

/** `::ffff:a.b.c.d` (either notation) as `a.b.c.d`; anything else unchanged. */
function unmapped(address: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (m?.[1]) return m[1];
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (hex?.[1] && hex[2]) {
    const hi = Number.parseInt(hex[1], 16);
    const lo = Number.parseInt(hex[2], 16);
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return address;
}

/** Why `address` may not be reached, or null when it may. */
export function refusal(address: string, allowPrivate: boolean): string | null {
  const a = unmapped(address);
  const family = net.isIP(a);
  if (family === 0) return `${address} is not an IP address`;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (ALWAYS.check(a, type)) return `${address} is a reserved, link-local or metadata address`;
  if (!allowPrivate && PRIVATE.check(a, type)) return `${address} is a private or loopback address`;
  return null;
}

export interface GuardOptions {
  allowPrivate: boolean;
  httpsOnly: boolean;
}

/** Checks a webhook URL before sending: scheme, and an IP literal host. Throws `WebhookUrlRefused`. */
export function checkWebhookUrl(raw: string, options: GuardOptions): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookUrlRefused('webhook_uri is not a URL');
  }
  if (url.protocol !== 'https:' && (options.httpsOnly || url.protocol !== 'http:')) {
    throw new WebhookUrlRefused(
      options.httpsOnly ? 'webhook_uri must be https:// in prod' : 'webhook_uri must be http(s)',
    );
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (net.isIP(host)) {
    const why = refusal(host, options.allowPrivate);
    if (why) throw new WebhookUrlRefused(why);
  }
  return url;
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | dns.LookupAddress[],
  family?: number,
) => void;

/** A `dns.lookup` for sockets that answers only with checked addresses (the first allowed one). */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: dns.LookupOptions, callback: LookupCallback): void => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '');
      const list = addresses as dns.LookupAddress[];
      const allowed = list.filter((a) => refusal(a.address, allowPrivate) === null);
      if (allowed.length === 0) {
        const why = list[0] ? refusal(list[0].address, allowPrivate) : 'no address';
        return callback(
          Object.assign(new WebhookUrlRefused(`${hostname}: ${why}`), { code: 'EWEBHOOKREFUSED' }),
          '',
        );
      }
      const first = allowed[0] as dns.LookupAddress;
      if (options.all) return callback(null, [first]);
      callback(null, first.address, first.family);
    });
  };
}

/** The HTTP agent of webhook delivery: every connection goes through the guarded lookup. */
export function webhookAgent(options: { allowPrivate: boolean; timeoutMs: number }): Agent {
  return new Agent({
    connect: { lookup: guardedLookup(options.allowPrivate), timeout: options.timeoutMs },
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    keepAliveTimeout: 10_000,
    connections: 16,
  });
}
