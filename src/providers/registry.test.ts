/** One contract test walks every registered provider's declaration and adapter shape. */
import { describe, expect, it } from 'vitest';
import { PROVIDER_IDS, RESOURCES } from '../model/index.js';
import { memoryConnectionState } from '../testing/memory-state.js';
import { hasMethod, ProviderRegistry, providers, RESOURCE_METHODS } from './registry.js';

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
    const registry = new ProviderRegistry();
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
      for (const resource of provider.resources[mode] ?? []) expect(RESOURCES).toContain(resource);
      for (const resource of RESOURCES) {
        if (!registry.supports(provider, mode, resource)) continue;
        expect(hasMethod(adapter, RESOURCE_METHODS[resource]), `${mode} ${resource}`).toBe(true);
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
