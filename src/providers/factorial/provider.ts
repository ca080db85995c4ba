/** Factorial (official API, version 2026-07-01): the declaration the registry and the connect page read. */
import { officialProvider, plainField, secretField } from '../official.js';
import { createFactorialAdapter } from './adapter.js';
import { FACTORIAL_DEFAULT_BASE_URL } from './client.js';

/** Optional secrets: empty, or one token without spaces. */
const OPTIONAL_TOKEN = '(\\S{8,2048})?';

/** What Factorial serves; its adapter's type follows from it. */
export const FACTORIAL_UNIFIED_RESOURCES = [
  'company',
  'employees',
  'groups',
  'work-locations',
  'time-off-entries',
  'time-off-balances',
  'timesheets',
] as const;

export const factorialProvider = officialProvider({
  id: 'factorialhr',
  displayName: 'Factorial',
  monogram: ['F', '#3b2f63'],
  tags: ['hr', 'es', 'eu'],
  // An API key is the usual way in; an OAuth access token (with its refresh token) is the alternative.
  auth: 'api_key',
  fields: [
    secretField('api_key', 'API key', {
      required: false,
      pattern: OPTIONAL_TOKEN,
      help: 'Factorial → Settings → API keys: an administrator creates a key (it has full read access). Leave empty to connect with an OAuth token instead.',
    }),
    secretField('access_token', 'OAuth access token', {
      required: false,
      pattern: OPTIONAL_TOKEN,
      help: 'Instead of an API key: an access token from your Factorial OAuth application (company tokens do not expire).',
    }),
    secretField('refresh_token', 'OAuth refresh token', {
      required: false,
      pattern: OPTIONAL_TOKEN,
      help: 'User tokens last one hour: give the refresh token that came with the access token so the connection renews it.',
    }),
    plainField('client_id', 'OAuth client ID', {
      required: false,
      pattern: '(\\S{1,512})?',
      help: 'The OAuth application id (only needed with a refresh token).',
    }),
    secretField('client_secret', 'OAuth client secret', {
      required: false,
      pattern: OPTIONAL_TOKEN,
      help: 'The OAuth application secret (only needed with a refresh token).',
    }),
  ],
  resources: FACTORIAL_UNIFIED_RESOURCES,
  defaultBaseUrl: FACTORIAL_DEFAULT_BASE_URL,
  limits:
    'POST 200/min, the only published limit (paces token refreshes; apidoc.factorialhr.com FAQ); GET: none published, 4 in flight, 429 Retry-After honoured',
  connect: (ctx) => createFactorialAdapter(ctx),
});
