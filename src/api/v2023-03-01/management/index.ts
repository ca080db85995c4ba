/**
 * The Affix management API, one file per resource: client settings, tokens and request logs (Basic, through
 * `requireClient`), the JSON token exchange (client credentials in the body), introspection and disconnect
 * (Bearer, through `requireToken`).
 */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../services.js';
import { registerClientRoutes } from './client.js';
import { registerDisconnectRoute } from './disconnect.js';
import { registerIntrospectRoute } from './introspect.js';
import { registerLogsRoute } from './logs.js';
import { registerTokenRoute } from './token.js';
import { registerTokensRoute } from './tokens.js';
import { registerWebhookDeliveriesRoutes } from './webhook-deliveries.js';
import { registerWebhookEndpointRoutes } from './webhook-endpoint.js';

export function registerManagementRoutes(app: FastifyInstance, services: Services): void {
  registerLogsRoute(app, services);
  registerClientRoutes(app, services);
  registerTokenRoute(app, services);
  registerTokensRoute(app, services);
  registerIntrospectRoute(app, services);
  registerDisconnectRoute(app, services);
  // Our additions under x-webhooks (not in the contract): deliveries, redelivery, test event, secret rotation.
  registerWebhookDeliveriesRoutes(app, services);
  registerWebhookEndpointRoutes(app, services);
}
