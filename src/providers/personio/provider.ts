/** Personio (official API v1): the declaration the registry and the connect page read, and the adapter factory. */
import { officialProvider, plainField, secretField } from '../official.js';
import { createPersonioAdapter } from './adapter.js';
import { PERSONIO_DEFAULT_BASE_URL } from './client.js';

/** What Personio serves; its adapter's type follows from it. */
export const PERSONIO_UNIFIED_RESOURCES = [
  'company',
  'employees',
  'employee',
  'groups',
  'work-locations',
  'time-off-entries',
  'time-off-balances',
  'timesheets',
] as const;

export const personioProvider = officialProvider({
  id: 'personio.de',
  displayName: 'Personio',
  monogram: ['P', '#1f2937'],
  tags: ['hr', 'de', 'eu'],
  auth: 'client_credentials',
  fields: [
    plainField('client_id', 'Client ID', {
      pattern: '^\\S{8,200}$',
      help: 'Personio → Settings → Integrations → API credentials: create credentials with read access to employees, attendances and absences, then copy the Client ID.',
      placeholder: 'papi-…',
    }),
    secretField('client_secret', 'Client secret', {
      pattern: '^\\S{8,200}$',
      help: 'Shown once, next to the Client ID, when the API credentials are created.',
    }),
  ],
  resources: PERSONIO_UNIFIED_RESOURCES,
  defaultBaseUrl: PERSONIO_DEFAULT_BASE_URL,
  limits: '300/min and 15/s on employees, 2000/min overall per IP, 60/min on auth (Personio developer hub)',
  connect: (ctx) => createPersonioAdapter(ctx),
});
