/** BambooHR, official mode: declaration (data) plus the adapter factory. */
import { officialProvider, plainField, secretField } from '../official.js';
import { createBambooHrAdapter } from './adapter.js';
import { BAMBOOHR_DEFAULT_BASE_URL, COMPANY_DOMAIN_PATTERN } from './client.js';

/** What BambooHR serves; its adapter's type follows from it. */
export const BAMBOOHR_UNIFIED_RESOURCES = [
  'company',
  'employees',
  'employee',
  'groups',
  'work-locations',
  'time-off-entries',
  'time-off-balances',
  'timesheets',
] as const;

export const bamboohrProvider = officialProvider({
  id: 'bamboohr',
  displayName: 'BambooHR',
  monogram: ['bh', '#73c41d'],
  tags: ['hr', 'us'],
  auth: 'api_key',
  fields: [
    plainField('company_domain', 'Company domain', {
      pattern: COMPANY_DOMAIN_PATTERN,
      placeholder: 'acme',
      help: 'The part before .bamboohr.com in your BambooHR address: "acme" for acme.bamboohr.com.',
    }),
    secretField('api_key', 'API key', {
      pattern: '^\\S+$',
      help: 'In BambooHR: your name (top right) → API Keys → Add New Key. The key acts with your permissions.',
    }),
  ],
  resources: BAMBOOHR_UNIFIED_RESOURCES,
  defaultBaseUrl: BAMBOOHR_DEFAULT_BASE_URL,
  limits: 'none published; throttling answers 503 + Retry-After, which is honoured; paced at 200/s',
  connect: (ctx) => createBambooHrAdapter(ctx),
});
