/** greytHR (xhr mode: its web app, signed in as an HR/payroll admin in a browser). */
import { monogramLogo } from '../logo.js';
import { webLoginFields } from '../session/login-fields.js';
import type { Provider } from '../types.js';
import { createGreytAdapter } from './adapter.js';

const LOGO = monogramLogo('gH', '#3d4a5c');

export const greythrProvider: Provider = {
  id: 'greythr',
  displayName: 'greytHR',
  logo: LOGO,
  tags: ['hr', 'payroll', 'in'],
  modes: ['xhr'],
  auth: { xhr: 'password' },
  fields: {
    xhr: [
      {
        name: 'subdomain',
        label: 'Company address',
        secret: false,
        required: true,
        pattern: '^[a-z0-9][a-z0-9-]{0,62}$',
        placeholder: 'yourcompany',
        help: 'The first part of your greytHR address: yourcompany in yourcompany.greythr.com.',
      },
      {
        name: 'username',
        label: 'Login ID',
        secret: false,
        required: true,
        pattern: '^[^\\s]{1,128}$',
        help: 'Your employee number or login ID. The account must be an HR or payroll admin.',
      },
      { name: 'password', label: 'Password', secret: true, required: true },
      ...webLoginFields('greytHR'),
    ],
  },
  resources: { xhr: ['employees', 'payruns'] },
  limits:
    'no published limits (an internal web API); paced like a browser tab: 20 requests/s, 4 in flight, one browser page per sign-in',
  connect: (ctx) => createGreytAdapter(ctx),
};
