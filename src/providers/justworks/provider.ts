/** Justworks (xhr mode: its web app, signed in over HTTP as an admin). */
import { webLoginFields } from '../session/login-fields.js';
import type { Provider } from '../types.js';
import { createJustworksAdapter } from './adapter.js';
import { JUSTWORKS_DEFAULT_BASE_URL } from './client.js';

const LOGO = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="14" fill="#1a5cff"/>' +
    '<text x="32" y="43" font-family="Helvetica,Arial,sans-serif" font-size="30" font-weight="700" ' +
    'text-anchor="middle" fill="#fff">JW</text></svg>',
)}`;

export const justworksProvider: Provider = {
  id: 'justworks',
  displayName: 'Justworks',
  logo: LOGO,
  tags: ['hr', 'payroll', 'peo', 'us'],
  modes: ['xhr'],
  auth: { xhr: 'password' },
  fields: {
    xhr: [
      {
        name: 'username',
        label: 'Email or username',
        secret: false,
        required: true,
        pattern: '^[^\\s]{1,254}$',
        help: 'The login of a Justworks admin (payroll and member data are admin-only).',
      },
      { name: 'password', label: 'Password', secret: true, required: true },
      ...webLoginFields('Justworks'),
    ],
  },
  resources: { xhr: ['employees', 'payruns', 'payruns/:payrun_id'] },
  defaultBaseUrl: JUSTWORKS_DEFAULT_BASE_URL,
  limits: 'no published limits (its web app); paced like a browser: 10 pages/s, 4 in flight',
  connect: (ctx) => createJustworksAdapter(ctx),
};
