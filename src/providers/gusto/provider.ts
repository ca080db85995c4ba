/** Gusto (official API, OAuth 2): the declaration the registry and the connect page read, and the adapter factory. */
import { officialProvider, plainField, secretField } from '../official.js';
import { createGustoAdapter } from './adapter.js';
import { GUSTO_DEFAULT_BASE_URL } from './client.js';

/** Gusto's tokens and client credentials are opaque URL-safe strings (the spec's examples: 43 characters). */
const TOKEN = '^[A-Za-z0-9_\\-.~+/=]{8,512}$';

/** What Gusto serves; its adapter's type follows from it. */
export const GUSTO_UNIFIED_RESOURCES = [
  'identity',
  'company',
  'employees',
  'groups',
  'work-locations',
  'time-off-entries',
  'time-off-balances',
  'payruns',
  'payruns/:payrun_id',
] as const;

export const gustoProvider = officialProvider({
  id: 'gusto',
  displayName: 'Gusto',
  monogram: ['G', '#0a8080'],
  tags: ['hr', 'payroll', 'us'],
  auth: 'oauth2',
  fields: [
    secretField('access_token', 'Access token', {
      pattern: TOKEN,
      help: 'A company access token of your Gusto application (OAuth authorization or a partner managed company). It expires after two hours; Affix refreshes it.',
    }),
    secretField('refresh_token', 'Refresh token', {
      pattern: TOKEN,
      help: 'The refresh token issued with the access token. Gusto replaces it on every refresh, so do not use it anywhere else afterwards.',
    }),
    plainField('client_id', 'Client ID', {
      pattern: TOKEN,
      help: "Your application's client ID, from the Gusto Developer Portal (needed to refresh the token).",
    }),
    secretField('client_secret', 'Client secret', {
      pattern: TOKEN,
      help: "Your application's client secret, from the Gusto Developer Portal.",
    }),
    plainField('company_uuid', 'Company UUID', {
      required: false,
      pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
      help: 'Optional: the company the tokens belong to is found from the token itself.',
    }),
  ],
  resources: GUSTO_UNIFIED_RESOURCES,
  defaultBaseUrl: GUSTO_DEFAULT_BASE_URL,
  limits:
    '200 requests/min per application-user pair, rolling 60 s window (docs.gusto.com/embedded-payroll/docs/rate-limits); paced at 200 per 60.5 s, 8 in flight',
  connect: (ctx) => createGustoAdapter(ctx),
});
