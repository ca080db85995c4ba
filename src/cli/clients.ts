/** `affix client create|list|rotate-secret` and `affix keys rotate|list` (signing keys). */
import { parseArgs } from 'node:util';
import {
  ClientInputError,
  createClient,
  currentClientSecrets,
  listClients,
  rotateClientSecret,
} from '../oauth/clients.js';
import { listSigningKeys, rotateSigningKey } from '../oauth/key-rotation.js';
import type { Services } from '../services.js';

type Out = (line: string) => void;

export async function clientCommand(services: Services, args: string[], out: Out, err: Out): Promise<number> {
  const [sub, ...rest] = args;
  try {
    switch (sub) {
      case 'create': {
        const { values } = parseArgs({
          args: rest,
          options: {
            name: { type: 'string' },
            'redirect-uri': { type: 'string', multiple: true },
            'webhook-uri': { type: 'string' },
            public: { type: 'boolean' },
            'logo-url': { type: 'string' },
            'accent-color': { type: 'string' },
            json: { type: 'boolean' },
          },
        });
        if (!values.name || !values['redirect-uri']?.length) {
          err('client create needs --name and at least one --redirect-uri');
          return 2;
        }
        const { client, secret, webhookSecret } = await createClient(services, {
          name: values.name,
          redirectUris: values['redirect-uri'],
          webhookUri: values['webhook-uri'] ?? null,
          isPublic: values.public ?? false,
          logoUrl: values['logo-url'] ?? null,
          accentColor: values['accent-color'] ?? null,
        });
        if (values.json) {
          out(
            JSON.stringify({
              client_id: client.id,
              client_secret: secret,
              webhook_secret: webhookSecret,
              name: client.name,
              redirect_uris: client.redirectUris,
              public: client.isPublic,
            }),
          );
        } else {
          out(`client_id:     ${client.id}`);
          out(secret ? `client_secret: ${secret}` : 'client_secret: (none: public client, PKCE required)');
          out(`webhook_secret: ${webhookSecret}`);
          out('Secrets are shown only now; store them in your app’s secret manager.');
        }
        return 0;
      }
      case 'list': {
        const { values } = parseArgs({ args: rest, options: { json: { type: 'boolean' } } });
        const clients = await listClients(services);
        const rows = [];
        for (const c of clients) {
          const secrets = c.isPublic ? 0 : (await currentClientSecrets(services, c.id)).length;
          rows.push({
            client_id: c.id,
            name: c.name,
            redirect_uris: c.redirectUris,
            public: c.isPublic,
            secrets,
            webhook_uri: c.webhookUri,
          });
        }
        if (values.json) out(JSON.stringify(rows));
        else if (rows.length === 0) out('no clients');
        else
          for (const r of rows)
            out(
              `${r.client_id}  ${r.name}  ${r.public ? 'public' : `${r.secrets} secret(s)`}  ${r.redirect_uris.join(' ')}`,
            );
        return 0;
      }
      case 'rotate-secret': {
        const { values, positionals } = parseArgs({
          args: rest,
          allowPositionals: true,
          options: { 'revoke-others': { type: 'boolean' }, json: { type: 'boolean' } },
        });
        const id = positionals[0];
        if (!id) {
          err('client rotate-secret needs a client_id');
          return 2;
        }
        const secret = await rotateClientSecret(services, id, {
          revokeOthers: values['revoke-others'] ?? false,
        });
        if (values.json) out(JSON.stringify({ client_id: id, client_secret: secret }));
        else {
          out(`client_secret: ${secret}`);
          out(
            values['revoke-others']
              ? 'Every other secret of this client is revoked.'
              : 'Older secrets stay valid until you revoke them (--revoke-others).',
          );
        }
        return 0;
      }
      default:
        err(`unknown client command: ${sub ?? ''}`);
        return 2;
    }
  } catch (e) {
    if (e instanceof ClientInputError || (e instanceof TypeError && 'code' in e)) {
      err(e.message);
      return 2;
    }
    throw e;
  }
}

export async function signingKeysCommand(
  services: Services,
  args: string[],
  out: Out,
  err: Out,
): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'rotate') {
    const { values } = parseArgs({ args: rest, options: { delay: { type: 'string' } } });
    let delayMs: number | undefined;
    if (values.delay !== undefined) {
      const { parseDuration } = await import('../config.js');
      try {
        delayMs = parseDuration(values.delay);
      } catch {
        err('--delay must look like 30s, 10m or 1h');
        return 2;
      }
    }
    const r = await rotateSigningKey(services, delayMs === undefined ? {} : { delayMs });
    out(`published ${r.kid}; it signs tokens from ${new Date(r.activeFrom).toISOString()}`);
    if (r.retired.length) out(`retired (every token they signed has expired): ${r.retired.join(', ')}`);
    return 0;
  }
  if (sub === 'list') {
    const now = Date.now();
    for (const k of await listSigningKeys(services)) {
      const state =
        k.retiredAt !== null ? 'retired' : k.activeFrom > now ? 'published, not signing yet' : 'published';
      out(`${k.kid}  active from ${new Date(k.activeFrom).toISOString()}  ${state}`);
    }
    return 0;
  }
  err(`unknown keys command: ${sub ?? ''}`);
  return 2;
}
