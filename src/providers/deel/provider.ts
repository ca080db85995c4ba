/** Deel (official API): the declaration the connect page and registry read, and the adapter factory. */
import { monogramLogo } from '../logo.js';
import type { Provider } from '../types.js';
import { createDeelAdapter } from './adapter.js';
import { DEEL_DEFAULT_BASE_URL } from './client.js';

const LOGO = monogramLogo('D', '#15357a');

export const deelProvider: Provider = {
  id: 'deel',
  displayName: 'Deel',
  logo: LOGO,
  tags: ['hr', 'payroll', 'global'],
  modes: ['official'],
  auth: { official: 'api_key' },
  fields: {
    official: [
      {
        name: 'api_token',
        label: 'API token',
        secret: true,
        required: true,
        // Deel tokens are opaque (JWT-like) strings without spaces.
        pattern: '^\\S{8,}$',
        help: 'In Deel, open Apps & Perks → Developer Center and click "Generate New Token". The token needs read access to people, time off, timesheets, organizations and payroll.',
        placeholder: 'Deel API token',
      },
    ],
  },
  resources: {
    official: [
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
    ],
  },
  defaultBaseUrl: DEEL_DEFAULT_BASE_URL,
  limits: '5 requests/s per organization, rolling window (developer.deel.com/api/rate-limits)',
  connect: (ctx) => createDeelAdapter(ctx),
};
