/**
 * Affix's hosted connect page lived at the root of its own origin (`/?client_id=…&mode=…&scope=…`). `GET /` with
 * those parameters redirects to `/connect` with the same query, so an Affix customer's link works once its host is
 * swapped.
 */
import type { FastifyInstance } from 'fastify';

export function registerRootRedirect(app: FastifyInstance): void {
  app.get('/', { schema: { hide: true } }, async (req, reply) => {
    const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
    if (!new URLSearchParams(query).has('client_id')) {
      return reply.code(404).send({ id: '/', message: 'no route for GET /; the connect page is /connect' });
    }
    return reply.redirect(`/connect${query}`, 302);
  });
}
