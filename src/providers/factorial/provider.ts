/** Factorial (official API, version 2026-07-01): the declaration the registry and the connect page read. */
import { monogramLogo } from '../logo.js';
import type { Provider } from '../types.js';
import { createFactorialAdapter } from './adapter.js';
import { FACTORIAL_DEFAULT_BASE_URL } from './client.js';

const LOGO = monogramLogo('F', '#3b2f63');

/** Optional secrets: empty, or one token without spaces. */
const OPTIONAL_TOKEN = '(\\S{8,2048})?';

export const factorialProvider: Provider = {
  id: 'factorialhr',
  displayName: 'Factorial',
  logo: LOGO,
  tags: ['hr', 'es', 'eu'],
  modes: ['official'],
  // An API key is the usual way in; an OAuth access token (with its refresh token) is the alternative.
  auth: { official: 'api_key' },
  fields: {
    official: [
      {
        name: 'api_key',
        label: 'API key',
        secret: true,
        required: false,
        pattern: OPTIONAL_TOKEN,
        help: 'Factorial → Settings → API keys: an administrator creates a key (it has full read access). Leave empty to connect with an OAuth token instead.',
      },
      {
        name: 'access_token',
        label: 'OAuth access token',
        secret: true,
        required: false,
        pattern: OPTIONAL_TOKEN,
        help: 'Instead of an API key: an access token from your Factorial OAuth application (company tokens do not expire).',
      },
      {
        name: 'refresh_token',
        label: 'OAuth refresh token',
        secret: true,
        required: false,
        pattern: OPTIONAL_TOKEN,
        help: 'User tokens last one hour: give the refresh token that came with the access token so the connection renews it.',
      },
      {
        name: 'client_id',
        label: 'OAuth client ID',
        secret: false,
        required: false,
        pattern: '(\\S{1,512})?',
        help: 'The OAuth application id (only needed with a refresh token).',
      },
      {
        name: 'client_secret',
        label: 'OAuth client secret',
        secret: true,
        required: false,
        pattern: OPTIONAL_TOKEN,
        help: 'The OAuth application secret (only needed with a refresh token).',
      },
    ],
  },
  resources: {
    official: [
      'company',
      'employees',
      'groups',
      'work-locations',
      'time-off-entries',
      'time-off-balances',
      'timesheets',
    ],
  },
  defaultBaseUrl: FACTORIAL_DEFAULT_BASE_URL,
  limits:
    'POST 200/min, the only published limit (paces token refreshes; apidoc.factorialhr.com FAQ); GET: none published, 4 in flight, 429 Retry-After honoured',
  connect: (ctx) => createFactorialAdapter(ctx),
};
