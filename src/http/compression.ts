/**
 * Content negotiation for precompressed responses. `Accept-Encoding` with q-values picks br, gzip or deflate;
 * identity (or no header) sends the bytes as they are, without `Content-Encoding`.
 */
import { negotiate } from '@fastify/accept-negotiator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { lastAnswer } from '../memo.js';
import type { CachedResponse, Encoding } from '../sync/response-cache.js';

const SUPPORTED = ['br', 'gzip', 'deflate', 'identity'] as const;

/** The encoding to answer with; `null` when the client refuses every encoding we have (→ 406). */
export function pickEncoding(header: string | undefined): Encoding | 'identity' | null {
  if (!header || header.trim() === '') return 'identity';
  const chosen = negotiate(header, SUPPORTED as unknown as string[]);
  if (chosen) return chosen as Encoding | 'identity';
  // "identity" is acceptable unless explicitly refused (RFC 9110 §12.5.3).
  return /(^|,)\s*(identity|\*)\s*;\s*q=0(\.0+)?\s*(,|$)/i.test(header) ? null : 'identity';
}

/** The headers of every answer from the cache, a 304 included. */
export function entryHeaders(entry: CachedResponse): Record<string, string> {
  return { vary: 'Accept-Encoding', etag: entry.etag, 'cache-control': 'private, no-cache' };
}

/** The headers of a cached body sent in `encoding`. */
export function bodyHeaders(encoding: Encoding | 'identity'): Record<string, string> {
  return {
    ...(encoding === 'identity' ? {} : { 'content-encoding': encoding }),
    'content-type': 'application/json; charset=utf-8',
  };
}

/**
 * How this node answers from the response cache: content negotiation (the last `Accept-Encoding`'s answer kept),
 * and `sendCached` for Fastify's path. The fast path (src/http/fast-path.ts) answers with the same headers.
 */
export class CachedAnswers {
  /** `pickEncoding` with the last header's answer kept: a client sends the same Accept-Encoding every time. */
  readonly encodingOf = lastAnswer(pickEncoding);

  /** Sends a cached JSON response, compressed once per encoding, with ETag / If-None-Match support. */
  async send(
    req: FastifyRequest,
    reply: FastifyReply,
    entry: CachedResponse,
    status = 200,
  ): Promise<FastifyReply> {
    reply.headers(entryHeaders(entry));
    if (status === 200 && req.headers['if-none-match'] === entry.etag) {
      return reply.code(304).send();
    }
    const encoding = this.encodingOf(req.headers['accept-encoding']);
    if (encoding === null) {
      return reply
        .code(406)
        .send({ message: 'Not Acceptable: supported encodings are br, gzip, deflate, identity' });
    }
    const bytes = await entry.bytes(encoding);
    reply.headers(bodyHeaders(encoding));
    return reply.code(status).send(bytes);
  }
}
