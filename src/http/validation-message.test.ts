import { describe, expect, it } from 'vitest';
import { startTestNode } from '../testing/node.js';
import { validationMessage } from './validation-message.js';

describe('validation messages', () => {
  it('names the allowed values of a union of constants once, not once per member', () => {
    const message = validationMessage('querystring', [
      { instancePath: '/employment_status', keyword: 'const', params: { allowedValue: 'active' } },
      { instancePath: '/employment_status', keyword: 'const', params: { allowedValue: 'inactive' } },
      { instancePath: '/employment_status', keyword: 'anyOf', message: 'must match a schema in anyOf' },
    ]);
    expect(message).toBe('querystring/employment_status must be one of: active, inactive');
  });

  it('keeps distinct fields apart and names a missing property', () => {
    const message = validationMessage('body', [
      { instancePath: '', keyword: 'required', params: { missingProperty: 'first_name' }, message: 'x' },
      { instancePath: '/email', keyword: 'format', message: 'must match format "email"' },
    ]);
    expect(message).toBe('body/first_name x; body/email must match format "email"');
  });

  it('employment_status=bogus over HTTP says which values are allowed, once', async () => {
    const node = await startTestNode();
    try {
      const token = await node.token();
      const res = await node.app.inject({
        method: 'GET',
        url: '/2023-03-01/xhr/employees?employment_status=bogus',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.statusCode).toBe(400);
      const { validation_error } = res.json() as { validation_error: string };
      expect(validation_error).toMatch(/employment_status must be one of: [a-z_]+(, [a-z_]+)+$/);
      expect(validation_error.match(/employment_status/g)).toHaveLength(1);
    } finally {
      await node.close();
    }
  });
});
