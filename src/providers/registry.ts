/** The one list of providers. Every entry passes the contract test in registry.test.ts. */
import type { Mode, ProviderId, Resource } from '../model/index.js';
import { bamboohrProvider } from './bamboohr/provider.js';
import { deelProvider } from './deel/provider.js';
import { deputyProvider } from './deputy/provider.js';
import { factorialProvider } from './factorial/provider.js';
import { greythrProvider } from './greythr/provider.js';
import { gustoProvider } from './gusto/provider.js';
import { hibobProvider } from './hibob/provider.js';
import { justworksProvider } from './justworks/provider.js';
import { personioProvider } from './personio/provider.js';
import { remoteProvider } from './remote/provider.js';
import { sandboxProvider } from './sandbox/provider.js';
import { xeroUkProvider } from './xero-uk/provider.js';
import type { Provider } from './types.js';

export { type AdapterWith, hasMethod, RESOURCE_METHODS, type ResourceMethod } from './resources.js';

export const providers: readonly Provider[] = [
  sandboxProvider,
  personioProvider,
  bamboohrProvider,
  deelProvider,
  factorialProvider,
  xeroUkProvider,
  gustoProvider,
  hibobProvider,
  remoteProvider,
  greythrProvider,
  justworksProvider,
  deputyProvider,
];

export class ProviderRegistry {
  private readonly byId: Map<string, Provider>;
  constructor(readonly list: readonly Provider[] = providers) {
    this.byId = new Map(list.map((p) => [p.id, p]));
  }

  find(id: string): Provider | undefined {
    return this.byId.get(id);
  }

  /**
   * Whether `provider` declares `resource` in `mode` (its adapter then has `RESOURCE_METHODS[resource]`, which the
   * registry test checks for every provider); anything else answers 501.
   */
  supports(provider: Provider, mode: Mode, resource: Resource): boolean {
    return provider.resources[mode]?.includes(resource) ?? false;
  }

  /** `GET /providers`: modes and the providers available in each. */
  byMode(): Array<{ mode: Mode; providers: ProviderId[] }> {
    return (['official', 'xhr'] as const).map((mode) => ({
      mode,
      providers: this.list.filter((p) => p.modes.includes(mode)).map((p) => p.id),
    }));
  }
}
