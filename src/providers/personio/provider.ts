/** Personio (official API v1): the declaration the registry and the connect page read, and the adapter factory. */
import { monogramLogo } from '../logo.js';
import type { Provider } from '../types.js';
import { createPersonioAdapter } from './adapter.js';
import { PERSONIO_DEFAULT_BASE_URL } from './client.js';

const LOGO = monogramLogo('P', '#1f2937');

export const personioProvider: Provider = {
  id: 'personio.de',
  displayName: 'Personio',
  logo: LOGO,
  tags: ['hr', 'de', 'eu'],
  modes: ['official'],
  auth: { official: 'client_credentials' },
  fields: {
    official: [
      {
        name: 'client_id',
        label: 'Client ID',
        secret: false,
        required: true,
        pattern: '^\\S{8,200}$',
        help: 'Personio → Settings → Integrations → API credentials: create credentials with read access to employees, attendances and absences, then copy the Client ID.',
        placeholder: 'papi-…',
      },
      {
        name: 'client_secret',
        label: 'Client secret',
        secret: true,
        required: true,
        pattern: '^\\S{8,200}$',
        help: 'Shown once, next to the Client ID, when the API credentials are created.',
      },
    ],
  },
  resources: {
    official: [
      'company',
      'employees',
      'employee',
      'groups',
      'work-locations',
      'time-off-entries',
      'time-off-balances',
      'timesheets',
    ],
  },
  defaultBaseUrl: PERSONIO_DEFAULT_BASE_URL,
  limits: '300/min and 15/s on employees, 2000/min overall per IP, 60/min on auth (Personio developer hub)',
  connect: (ctx) => createPersonioAdapter(ctx),
};
