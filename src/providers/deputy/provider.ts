/** Deputy (xhr mode: its web app, signed in over HTTP as an administrator or supervisor). */
import { monogramLogo } from '../logo.js';
import { webLoginFields } from '../session/login-fields.js';
import type { Provider } from '../types.js';
import { createDeputyAdapter } from './adapter.js';

const LOGO = monogramLogo('D', '#3f4b5c');

export const deputyProvider: Provider = {
  id: 'deputy',
  displayName: 'Deputy',
  logo: LOGO,
  tags: ['hr', 'scheduling', 'time', 'au', 'uk', 'us'],
  modes: ['xhr'],
  auth: { xhr: 'password' },
  fields: {
    xhr: [
      {
        name: 'install',
        label: 'Deputy address',
        secret: false,
        required: true,
        pattern: '^[a-zA-Z0-9][a-zA-Z0-9-]{0,62}\\.(au|uk|us|eu|na)$',
        placeholder: 'yourbusiness.au',
        help: 'The part of your Deputy address before .deputy.com: yourbusiness.au in yourbusiness.au.deputy.com.',
      },
      {
        name: 'username',
        label: 'Email',
        secret: false,
        required: true,
        pattern: '^[^\\s@]{1,64}@[^\\s@]{1,190}$',
        help: 'The login of a Deputy administrator or supervisor (they see everyone’s records).',
      },
      { name: 'password', label: 'Password', secret: true, required: true },
      ...webLoginFields('Deputy'),
    ],
  },
  resources: { xhr: ['employees', 'groups', 'timesheets'] },
  limits:
    'no published limits (its web app); paced like a browser tab: 10 requests/s, 4 in flight, 500 rows a query',
  connect: (ctx) => createDeputyAdapter(ctx),
};
