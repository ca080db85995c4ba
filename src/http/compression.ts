/**
 * Content negotiation for precompressed responses. `Accept-Encoding` with q-values picks br, gzip or deflate;
 * identity (or no header) sends the bytes as they are, without `Content-Encoding`.
 */
import { negotiate } from '@fastify/accept-negotiator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CachedResponse, Encoding } from '../sync/response-cache.js';

const SUPPORTED = ['br', 'gzip', 'deflate', 'identity'] as const;

/** The encoding to answer with; `null` when the client refuses every encoding we have (→ 406). */
export function pickEncoding(header: string | undefined): Encoding | 'identity' | null {
  if (!header || header.trim() === '') return 'identity';
  // The last header's answer is kept: a client sends the same Accept-Encoding on every request.
  if (header !== lastHeader) {
    lastPicked = negotiateEncoding(header);
    lastHeader = header;
  }
  return lastPicked;
}
let lastHeader: string | undefined;
let lastPicked: Encoding | 'identity' | null = 'identity';

function negotiateEncoding(header: string): Encoding | 'identity' | null {
  const chosen = negotiate(header, SUPPORTED as unknown as string[]);
  if (chosen) return chosen as Encoding | 'identity';
  // "identity" is acceptable unless explicitly refused (RFC 9110 §12.5.3).
  return /(^|,)\s*(identity|\*)\s*;\s*q=0(\.0+)?\s*(,|$)/i.test(header) ? null : 'identity';
}

/** Sends a cached JSON response, compressed once per encoding, with ETag / If-None-Match support. */
export async function sendCached(
  req: FastifyRequest,
  reply: FastifyReply,
  entry: CachedResponse,
  status = 200,
): Promise<FastifyReply> {
  reply.header('vary', 'Accept-Encoding');
  reply.header('etag', entry.etag);
  reply.header('cache-control', 'private, no-cache');
  if (status === 200 && req.headers['if-none-match'] === entry.etag) {
    return reply.code(304).send();
  }
  const encoding = pickEncoding(req.headers['accept-encoding']);
  if (encoding === null) {
    return reply
      .code(406)
      .send({ message: 'Not Acceptable: supported encodings are br, gzip, deflate, identity' });
  }
  const bytes = await entry.bytes(encoding);
  if (encoding !== 'identity') reply.header('content-encoding', encoding);
  reply.header('content-type', 'application/json; charset=utf-8');
  return reply.code(status).send(bytes);
}
