/** Deel (official API): the declaration the connect page and registry read, and the adapter factory. */
import { officialProvider, secretField } from '../official.js';
import { createDeelAdapter } from './adapter.js';
import { DEEL_DEFAULT_BASE_URL } from './client.js';

/** What Deel serves; its adapter's type follows from it. */
export const DEEL_UNIFIED_RESOURCES = [
  'identity',
  'company',
  'employees',
  'groups',
  'work-locations',
  'time-off-entries',
  'time-off-balances',
  'timesheets',
  'payruns',
  'payruns/:payrun_id',
] as const;

export const deelProvider = officialProvider({
  id: 'deel',
  displayName: 'Deel',
  monogram: ['D', '#15357a'],
  tags: ['hr', 'payroll', 'global'],
  auth: 'api_key',
  fields: [
    secretField('api_token', 'API token', {
      // Deel tokens are opaque (JWT-like) strings without spaces.
      pattern: '^\\S{8,}$',
      help: 'In Deel, open Apps & Perks → Developer Center and click "Generate New Token". The token needs read access to people, time off, timesheets, organizations and payroll.',
      placeholder: 'Deel API token',
    }),
  ],
  resources: DEEL_UNIFIED_RESOURCES,
  defaultBaseUrl: DEEL_DEFAULT_BASE_URL,
  limits: '5 requests/s per organization, rolling window (developer.deel.com/api/rate-limits)',
  connect: (ctx) => createDeelAdapter(ctx),
});
