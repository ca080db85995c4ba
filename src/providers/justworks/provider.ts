/** Justworks (xhr mode: its web app, signed in over HTTP as an admin). */
import { monogramLogo } from '../logo.js';
import { webLoginFields } from '../session/login-fields.js';
import type { Provider } from '../types.js';
import { createJustworksAdapter } from './adapter.js';
import { JUSTWORKS_DEFAULT_BASE_URL } from './client.js';

const LOGO = monogramLogo('JW', '#1a5cff');

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
