/**
 * Requests that Node's HTTP parser refuses before Fastify sees them (a header too large, a line break inside a
 * header value, a request that took too long to arrive) are answered here, straight on the socket, in the
 * contract's 400 shape and with the headers every other response carries. Node's own answer is a bare JSON body
 * without a request id; Fastify's default is `{"error":"Bad Request","message":"Client Error"}`.
 */
import type { Socket } from 'node:net';
import { newId } from '../ids.js';
import { baseSecurityHeaders } from './security.js';

interface ClientError extends Error {
  code?: string;
}

const ANSWERS: Record<string, { status: number; reason: string; detail: string }> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    reason: 'Request Header Fields Too Large',
    detail: 'the request line and headers exceed the server limit (16 KB)',
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    reason: 'Request Timeout',
    detail: 'the request did not arrive within REQUEST_TIMEOUT',
  },
  ERR_HTTP_HEADERS_TIMEOUT: {
    status: 408,
    reason: 'Request Timeout',
    detail: 'the request headers did not arrive within HEADERS_TIMEOUT',
  },
};

const MALFORMED = {
  status: 400,
  reason: 'Bad Request',
  detail:
    'the request is not valid HTTP (a line break inside a header value? `base64` wraps long output: use ' +
    '`base64 -w0` or keep client_id:client_secret within 57 bytes)',
};

export function clientErrorHandler(prod: boolean): (err: ClientError, socket: Socket) => void {
  return (err, socket) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const answer = ANSWERS[err.code ?? ''] ?? MALFORMED;
    const body = JSON.stringify({ message: answer.reason, validation_error: answer.detail });
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(body)),
      'x-request-id': newId('request'),
      ...baseSecurityHeaders(prod),
      connection: 'close',
    };
    const head = Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}`)
      .join('\r\n');
    socket.end(`HTTP/1.1 ${answer.status} ${answer.reason}\r\n${head}\r\n\r\n${body}`);
  };
}
