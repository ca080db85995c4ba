/** BambooHR, official mode: declaration (data) plus the adapter factory. */
import { monogramLogo } from '../logo.js';
import type { Provider } from '../types.js';
import { createBambooHrAdapter } from './adapter.js';
import { BAMBOOHR_DEFAULT_BASE_URL, COMPANY_DOMAIN_PATTERN } from './client.js';

const LOGO = monogramLogo('bh', '#73c41d');

export const bamboohrProvider: Provider = {
  id: 'bamboohr',
  displayName: 'BambooHR',
  logo: LOGO,
  tags: ['hr', 'us'],
  modes: ['official'],
  auth: { official: 'api_key' },
  fields: {
    official: [
      {
        name: 'company_domain',
        label: 'Company domain',
        secret: false,
        required: true,
        pattern: COMPANY_DOMAIN_PATTERN,
        placeholder: 'acme',
        help: 'The part before .bamboohr.com in your BambooHR address: "acme" for acme.bamboohr.com.',
      },
      {
        name: 'api_key',
        label: 'API key',
        secret: true,
        required: true,
        pattern: '^\\S+$',
        help: 'In BambooHR: your name (top right) → API Keys → Add New Key. The key acts with your permissions.',
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
  defaultBaseUrl: BAMBOOHR_DEFAULT_BASE_URL,
  limits: 'none published; throttling answers 503 + Retry-After, which is honoured; paced at 200/s',
  connect: (ctx) => createBambooHrAdapter(ctx),
};
