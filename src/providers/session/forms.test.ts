/** The HTTP strategy's reading of login pages, and authenticator codes. */
import { Secret, TOTP } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { hasLoginForm, parseForms } from './forms.js';
import { totpCode } from './totp.js';

describe('parseForms', () => {
  const html = `<form id="search" action="/q"><input name="q" value="x"></form>
<form method="POST" action="sessions?next=%2Fhome">
  <input type="hidden" name="authenticity_token" value="a&amp;b&quot;c">
  <input type='hidden' name='login_challenge' value='ch1'>
  <input name=email>
  <input type="password" name="pass">
  <input type="checkbox" name="remember" value="1">
  <input type="checkbox" name="terms" value="yes" checked>
  <input type="submit" name="commit" value="Sign in">
</form>`;

  it('reads action (resolved), method, hidden fields (entities decoded), checked boxes only, password names', () => {
    const [search, login] = parseForms(html, 'https://app.example.com/users/sign_in');
    expect(search).toMatchObject({ action: 'https://app.example.com/q', method: 'GET', fields: { q: 'x' } });
    expect(login).toEqual({
      action: 'https://app.example.com/users/sessions?next=%2Fhome',
      method: 'POST',
      fields: { authenticity_token: 'a&b"c', login_challenge: 'ch1', email: '', pass: '', terms: 'yes' },
      passwordFields: ['pass'],
    });
  });

  it('a form without action posts to the page itself; pages without forms have none', () => {
    expect(parseForms('<form method="post"><input name="a"></form>', 'http://h/login')[0]?.action).toBe(
      'http://h/login',
    );
    expect(parseForms('<p>no form</p>', 'http://h/')).toEqual([]);
  });

  it('hasLoginForm: a password input anywhere', () => {
    expect(hasLoginForm('<input type="password" name="p">')).toBe(true);
    expect(hasLoginForm('{"items":[]}')).toBe(false);
  });
});

describe('totpCode', () => {
  it('matches RFC 6238 codes as authenticator apps compute them (spaces and case ignored)', () => {
    const secret = 'JBSWY3DPEHPK3PXP';
    const at = Date.UTC(2026, 0, 1, 12, 0, 0);
    const expected = new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: at });
    expect(totpCode('jbsw y3dp ehpk 3pxp', at)).toBe(expected);
    expect(totpCode(secret, at + 30_000)).not.toBe(expected);
  });
});
