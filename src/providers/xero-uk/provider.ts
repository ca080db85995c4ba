/** Xero Payroll UK (official API): the declaration the registry and the connect page read, and the adapter factory. */
import { officialProvider, plainField, secretField } from '../official.js';
import { createXeroAdapter } from './adapter.js';
import { XERO_DEFAULT_BASE_URL } from './client.js';

/** What Xero Payroll UK serves; its adapter's type follows from it. */
export const XERO_UK_UNIFIED_RESOURCES = [
  'employees',
  'groups',
  'payruns',
  'payruns/:payrun_id',
  'timesheets',
  'time-off-entries',
  'time-off-balances',
] as const;

export const xeroUkProvider = officialProvider({
  id: 'xero uk',
  displayName: 'Xero Payroll UK',
  monogram: ['X', '#0b6e99'],
  tags: ['payroll', 'uk'],
  auth: 'oauth2',
  fields: [
    plainField('client_id', 'Client ID', {
      pattern: '^[A-Za-z0-9]{16,64}$',
      help: 'developer.xero.com → My Apps → your app → Configuration: the Client id of the app that was granted the payroll scopes (payroll.employees.read, payroll.payruns.read, payroll.payslip.read, payroll.timesheets.read, payroll.settings.read) with offline_access.',
      placeholder: '32 characters',
    }),
    secretField('client_secret', 'Client secret', {
      pattern: '^\\S{16,200}$',
      help: 'Generated on the same Configuration page; shown once.',
    }),
    secretField('refresh_token', 'Refresh token', {
      pattern: '^\\S{16,}$',
      help: "From your app's authorization-code exchange (needs the offline_access scope). Affix rotates it on every refresh, so do not use it anywhere else afterwards.",
    }),
    plainField('tenant_id', 'Tenant ID', {
      pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
      help: 'The tenantId of the organisation, as GET https://api.xero.com/connections lists it for that token.',
      placeholder: '00000000-0000-0000-0000-000000000000',
    }),
  ],
  resources: XERO_UK_UNIFIED_RESOURCES,
  defaultBaseUrl: XERO_DEFAULT_BASE_URL,
  limits:
    '5 in progress, 60/min and 5000/day per tenant (developer.xero.com/faq/limits); paced to 5 and 60 per 60.5 s',
  connect: (ctx) => createXeroAdapter(ctx),
});
