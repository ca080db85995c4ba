/** ids.ts: `isRequestIdForm` says what the regular expression of a request id's form says. */
import { describe, expect, it } from 'vitest';
import { isRequestIdForm, newId } from './ids.js';

const FORM = /^req_[A-Za-z0-9_-]{22}$/;

describe('isRequestIdForm', () => {
  it("agrees with the form's regular expression", () => {
    const cases = [
      ...Array.from({ length: 100 }, () => newId('request')),
      newId('client'),
      'req_',
      `req_${'A'.repeat(21)}`,
      `req_${'A'.repeat(23)}`,
      `REQ_${'A'.repeat(22)}`,
    ];
    for (let c = 0; c < 0x180; c++) cases.push(`req_${'A'.repeat(21)}${String.fromCharCode(c)}`);
    for (let c = 0; c < 0x180; c++) cases.push(`req_${String.fromCharCode(c)}${'A'.repeat(21)}`);
    for (const id of cases) expect(isRequestIdForm(id), JSON.stringify(id)).toBe(FORM.test(id));
  });
});
