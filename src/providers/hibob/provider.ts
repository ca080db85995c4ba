/** HiBob (public API v1, service user): the declaration the registry and the connect page read, and the adapter. */
import { officialProvider, plainField, secretField } from '../official.js';
import { createHibobAdapter } from './adapter.js';
import { HIBOB_DEFAULT_BASE_URL } from './client.js';

/** What HiBob serves; its adapter's type follows from it. */
export const HIBOB_UNIFIED_RESOURCES = [
  'company',
  'employees',
  'groups',
  'work-locations',
  'time-off-entries',
  'time-off-balances',
] as const;

export const hibobProvider = officialProvider({
  id: 'hibob',
  displayName: 'HiBob',
  monogram: ['B', '#7a1f3d'],
  tags: ['hr', 'global'],
  auth: 'basic',
  fields: [
    plainField('service_user_id', 'Service user ID', {
      pattern: '^\\S{4,200}$',
      help: 'In Bob, go to Settings → Integrations → Service users, create a service user, and give its permission group read access to People (Work, Personal, Payroll), Lists and Time off. Copy its ID.',
      placeholder: 'SERVICE-1234',
    }),
    secretField('token', 'Token', {
      pattern: '^\\S{8,500}$',
      help: 'Shown once, next to the service user ID, when the service user is created.',
    }),
  ],
  resources: HIBOB_UNIFIED_RESOURCES,
  defaultBaseUrl: HIBOB_DEFAULT_BASE_URL,
  limits:
    '50/min per endpoint (people search: apidocs.hibob.com/docs/rate-limit; balances and policies: the Time off references; other endpoints paced the same), X-RateLimit-Remaining/-Reset and 429 honoured, 8 in flight',
  connect: (ctx) => createHibobAdapter(ctx),
});
