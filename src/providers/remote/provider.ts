/** Remote (official API, gateway.remote.com): the declaration the registry and the connect page read. */
import { officialProvider, secretField } from '../official.js';
import { createRemoteAdapter } from './adapter.js';
import { REMOTE_DEFAULT_BASE_URL } from './client.js';

/** What Remote serves; its adapter's type follows from it. */
export const REMOTE_UNIFIED_RESOURCES = [
  'company',
  'employees',
  'groups',
  'time-off-entries',
  'time-off-balances',
] as const;

export const remoteProvider = officialProvider({
  id: 'remote.com',
  displayName: 'Remote',
  monogram: ['R', '#624de3'],
  tags: ['hr', 'eor', 'global'],
  auth: 'api_key',
  fields: [
    secretField('api_token', 'API token', {
      // Remote tokens (`ra_live_…`, `ra_test_…`) are opaque strings without spaces.
      pattern: '^\\S{8,2048}$',
      help: 'In Remote, open Company settings → Integrations & API → API tokens and generate a token. Remote tokens see the whole company.',
      placeholder: 'ra_live_…',
    }),
  ],
  resources: REMOTE_UNIFIED_RESOURCES,
  defaultBaseUrl: REMOTE_DEFAULT_BASE_URL,
  limits:
    '20 requests/min per company, fixed 1-minute window (remote.com/resources/api/rate-limit); page_size ≤ 100; employment details read for ≤ 40 employments',
  connect: (ctx) => createRemoteAdapter(ctx),
});
