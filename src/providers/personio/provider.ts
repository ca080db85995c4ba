/** Personio (official API v1): the declaration the registry and the connect page read, and the adapter factory. */
import type { Provider } from '../types.js';
import { createPersonioAdapter } from './adapter.js';
import { PERSONIO_DEFAULT_BASE_URL } from './client.js';

/** A plain monogram so no external asset is needed (Personio's brand colour is not reproduced on purpose). */
const LOGO = `data:image/svg+xml;utf8,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="14" fill="#1f2937"/>' +
    '<text x="32" y="43" font-family="Helvetica,Arial,sans-serif" font-size="32" font-weight="700" fill="#fff" ' +
    'text-anchor="middle">P</text></svg>',
)}`;

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
