/**
 * Affix's own JSON endpoints also take JSON labelled `application/x-www-form-urlencoded`: that is what
 * `curl --data '{…}'` sends, and Affix customers' scripts do exactly that. Only a body that is JSON is taken; a real
 * form still gets 415. The RFC endpoints and the connect pages replace this parser with a true form parser in their
 * own scopes (src/oauth/form-body.ts).
 */
import type { FastifyInstance } from 'fastify';
import { errors } from './errors.js';

export function acceptJsonUnderFormLabel(app: FastifyInstance): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    const text = (body as string).trim();
    if (!text.startsWith('{') && !text.startsWith('[')) {
      done(errors.unsupportedMediaType('send Content-Type: application/json'), undefined);
      return;
    }
    try {
      done(null, JSON.parse(text));
    } catch {
      done(errors.badRequest('the body is not valid JSON'), undefined);
    }
  });
}
