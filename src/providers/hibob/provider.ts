/** HiBob (public API v1, service user): the declaration the registry and the connect page read, and the adapter. */
import { monogramLogo } from '../logo.js';
import type { Provider } from '../types.js';
import { createHibobAdapter } from './adapter.js';
import { HIBOB_DEFAULT_BASE_URL } from './client.js';

const LOGO = monogramLogo('B', '#7a1f3d');

export const hibobProvider: Provider = {
  id: 'hibob',
  displayName: 'HiBob',
  logo: LOGO,
  tags: ['hr', 'global'],
  modes: ['official'],
  auth: { official: 'api_key' },
  fields: {
    official: [
      {
        name: 'service_user_id',
        label: 'Service user ID',
        secret: false,
        required: true,
        pattern: '^\\S{4,200}$',
        help: 'In Bob, go to Settings → Integrations → Service users, create a service user, and give its permission group read access to People (Work, Personal, Payroll), Lists and Time off. Copy its ID.',
        placeholder: 'SERVICE-1234',
      },
      {
        name: 'token',
        label: 'Token',
        secret: true,
        required: true,
        pattern: '^\\S{8,500}$',
        help: 'Shown once, next to the service user ID, when the service user is created.',
      },
    ],
  },
  resources: {
    official: ['company', 'employees', 'groups', 'work-locations', 'time-off-entries', 'time-off-balances'],
  },
  defaultBaseUrl: HIBOB_DEFAULT_BASE_URL,
  limits:
    '50/min per endpoint (people search: apidocs.hibob.com/docs/rate-limit; balances and policies: the Time off references; other endpoints paced the same), X-RateLimit-Remaining/-Reset and 429 honoured, 8 in flight',
  connect: (ctx) => createHibobAdapter(ctx),
};
