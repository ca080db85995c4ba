/** `affix webhooks list|redeliver|test`: an operator's view of a client's webhook deliveries. */
import { parseArgs } from 'node:util';
import type { Services } from '../services.js';
import type { WebhookStatus } from '../store/webhooks.js';
import {
  DELIVERY_STATUSES,
  NoWebhookUri,
  deliveryView,
  listDeliveries,
  redeliver,
  sendTestEvent,
} from '../webhooks/manage.js';

type Out = (line: string) => void;

export async function webhooksCommand(
  services: Services,
  args: string[],
  out: Out,
  err: Out,
): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      client: { type: 'string' },
      status: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const clientId = values.client;
  if (!clientId) {
    err(`webhooks ${sub ?? ''} needs --client <client_id>`);
    return 2;
  }
  if (!(await services.store.clients.find(clientId))) {
    err(`unknown client ${clientId}`);
    return 2;
  }
  switch (sub) {
    case 'list': {
      const status = values.status as WebhookStatus | undefined;
      if (status !== undefined && !DELIVERY_STATUSES.includes(status)) {
        err(`--status must be one of ${DELIVERY_STATUSES.join(', ')}`);
        return 2;
      }
      const limit = values.limit === undefined ? 50 : Number(values.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
        err('--limit must be an integer from 1 to 1000');
        return 2;
      }
      const rows = (await listDeliveries(services, clientId, { limit, ...(status ? { status } : {}) })).map(
        deliveryView,
      );
      if (values.json) out(JSON.stringify(rows));
      else if (rows.length === 0) out('no deliveries');
      else
        for (const r of rows)
          out(
            `${r.id}  ${r.created_at}  ${r.type}  ${r.status}  attempts=${r.attempts}${r.last_status ? `  last=${r.last_status}` : ''}${r.last_error ? `  (${r.last_error})` : ''}`,
          );
      return 0;
    }
    case 'redeliver': {
      const id = positionals[0];
      if (!id) {
        err('webhooks redeliver needs a delivery id');
        return 2;
      }
      if (!(await redeliver(services, clientId, id))) {
        err(`no delivery ${id} for client ${clientId}`);
        return 1;
      }
      out(`${id} queued for delivery (a running affix serve sends it)`);
      return 0;
    }
    case 'test': {
      try {
        const { id, queued } = await sendTestEvent(services, clientId);
        if (values.json) out(JSON.stringify({ id, queued }));
        else
          out(
            queued ? `${id} queued (a running affix serve sends it)` : `${id} kept: the endpoint is disabled`,
          );
        return 0;
      } catch (e) {
        if (e instanceof NoWebhookUri) {
          err(e.message);
          return 2;
        }
        throw e;
      }
    }
    default:
      err(`unknown webhooks command: ${sub ?? ''}`);
      return 2;
  }
}
