/** One contract test walks every registered provider's declaration and adapter shape. */
import { describe, expect, it } from 'vitest';
import { PROVIDER_IDS, RESOURCES, type Resource } from '../model/index.js';
import { memoryConnectionState } from '../testing/memory-state.js';
import { ProviderRegistry, providers } from './registry.js';
import type { ProviderAdapter } from './types.js';

const METHOD: Record<Resource, keyof ProviderAdapter> = {
  company: 'company',
  employee: 'createEmployee',
  employees: 'employees',
  groups: 'groups',
  identity: 'identity',
  payruns: 'payruns',
  'payruns/:payrun_id': 'payslips',
  'time-off-balances': 'timeOffBalances',
  'time-off-entries': 'timeOffEntries',
  timesheets: 'timesheets',
  'work-locations': 'workLocations',
};

describe.each(providers.map((p) => [p.id, p] as const))('provider %s', (_id, provider) => {
  it('declares a contract id, modes, auth and fields for each mode', () => {
    expect(PROVIDER_IDS).toContain(provider.id);
    expect(provider.displayName.length).toBeGreaterThan(0);
    expect(provider.modes.length).toBeGreaterThan(0);
    for (const mode of provider.modes) {
      expect(provider.auth[mode]).toBeDefined();
      const fields = provider.fields[mode] ?? [];
      for (const f of fields) {
        expect(f.name).toMatch(/^[a-z][a-z0-9_]*$/);
        expect(f.label.length).toBeGreaterThan(0);
        if (f.pattern) expect(() => new RegExp(f.pattern!)).not.toThrow();
      }
      expect(new Set(fields.map((f) => f.name)).size).toBe(fields.length);
    }
    if (provider.logo) expect(provider.logo).toMatch(/^(data:|\/)/); // never an external asset
  });

  it('implements every resource it declares', () => {
    for (const mode of provider.modes) {
      const adapter = provider.connect({
        connectionId: 'con_contract',
        mode,
        credentials: {},
        settings: {},
        state: memoryConnectionState(),
        requireTls: false,
        baseUrl: 'http://127.0.0.1:9',
      });
      expect(typeof adapter.verify).toBe('function');
      for (const resource of provider.resources[mode] ?? []) {
        expect(RESOURCES).toContain(resource);
        expect(typeof adapter[METHOD[resource]], `${mode} ${resource}`).toBe('function');
      }
    }
  });
});

describe('registry', () => {
  it('has unique ids and lists providers per mode', () => {
    expect(new Set(providers.map((p) => p.id)).size).toBe(providers.length);
    const byMode = new ProviderRegistry().byMode();
    expect(byMode.map((m) => m.mode)).toEqual(['official', 'xhr']);
    expect(byMode.find((m) => m.mode === 'xhr')?.providers).toContain('sandbox');
  });
});
