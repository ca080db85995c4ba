/** BambooHR, official mode: declaration (data) plus the adapter factory. */
import type { Provider } from '../types.js';
import { createBambooHrAdapter } from './adapter.js';
import { BAMBOOHR_DEFAULT_BASE_URL, COMPANY_DOMAIN_PATTERN } from './client.js';

/** A plain monogram; no external asset. */
const LOGO = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="14" fill="#73c41d"/>' +
    '<text x="32" y="42" font-family="Arial,Helvetica,sans-serif" font-size="26" font-weight="700" fill="#fff" ' +
    'text-anchor="middle">bh</text></svg>',
)}`;

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
