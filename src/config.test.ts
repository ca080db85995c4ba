import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseDuration, providerBaseUrlVar } from './config.js';
import { DEFAULT_CACHE_MEMORY } from './sync/response-cache.js';

describe('config', () => {
  it('has the embedded single-node defaults', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(8080);
    expect(c.PUBLIC_URL).toBe('http://localhost:8080');
    expect(c.DATABASE_URL).toBe('sqlite:data/affix.db');
    expect(c.AFFIX_ENV).toBe('dev');
    expect(c.cacheTtlMs).toBe(3_600_000);
    expect(c.cacheWaitMs).toBe(10_000);
    expect(c.REDIS_URL).toBeUndefined();
  });

  it("CACHE_MEMORY's default is the memory layer's own (64 MiB, docs/operations.md)", () => {
    expect(loadConfig({}).CACHE_MEMORY).toBe(64 * 1_048_576);
    expect(DEFAULT_CACHE_MEMORY).toBe(loadConfig({}).CACHE_MEMORY);
  });

  it('lists every problem at once', () => {
    try {
      loadConfig({ PORT: 'eighty', AFFIX_ENV: 'staging', CACHE_TTL: 'forever', DATABASE_URL: 'mysql://x' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems.join('\n');
      for (const name of ['PORT', 'AFFIX_ENV', 'CACHE_TTL', 'DATABASE_URL']) expect(problems).toContain(name);
    }
  });

  it('lists a meaning problem beside a form problem, and names the allowed values once per setting', () => {
    try {
      loadConfig({ AFFIX_ENV: 'staging', CACHE_TTL: '15d', LOG_RETENTION: '30d', PORT: '70000' });
      expect.unreachable();
    } catch (err) {
      const problems = (err as ConfigError).problems;
      expect(problems).toContain('AFFIX_ENV: expected dev or prod, got "staging"');
      expect(problems).toContain('CACHE_TTL: at most 14d (the retention promise)');
      expect(problems).toContain('LOG_RETENTION: at most 14d (the retention promise)');
      expect(problems).toContain('PORT: expected an integer from 0 to 65535, got 70000');
      expect(problems.filter((p) => p.startsWith('AFFIX_ENV:'))).toHaveLength(1);
    }
    expect(() => loadConfig({ CACHE_WAIT: 'soon' })).toThrow(
      'CACHE_WAIT: expected a duration such as 500ms, 10s, 5m, 1h, 14d or 1y, got "soon"',
    );
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL: expected one of fatal, error, warn/);
  });

  it('caps the cache TTL at the 14-day retention promise', () => {
    expect(() => loadConfig({ CACHE_TTL: '15d' })).toThrow(/at most 14d/);
    expect(loadConfig({ CACHE_TTL: '14d' }).cacheTtlMs).toBe(14 * 86_400_000);
  });

  it('refuses insecure settings in prod', () => {
    expect(() => loadConfig({ AFFIX_ENV: 'prod', PUBLIC_URL: 'http://api.example.com' })).toThrow(/https/);
    expect(() =>
      loadConfig({ AFFIX_ENV: 'prod', PUBLIC_URL: 'https://a.example', WEBHOOKS_ALLOW_PRIVATE_URLS: 'true' }),
    ).toThrow(/WEBHOOKS_ALLOW_PRIVATE_URLS/);
  });

  it('reads provider base URL overrides', () => {
    expect(providerBaseUrlVar('personio.de')).toBe('PROVIDER_PERSONIO_DE_BASE_URL');
    const c = loadConfig({ PROVIDER_PERSONIO_DE_BASE_URL: 'http://127.0.0.1:4010/v1/' });
    expect(c.providerBaseUrls['PERSONIO_DE']).toBe('http://127.0.0.1:4010/v1');
  });

  it('parses durations', () => {
    expect(parseDuration('10s')).toBe(10_000);
    expect(parseDuration('5m')).toBe(300_000);
    expect(() => parseDuration('5 minutes')).toThrow();
  });
});
