/**
 * What a node does with a cluster event (src/cluster/bus.ts): every per-node copy of shared state that the event
 * makes wrong is dropped. The per-node caches, and why each is here:
 *
 * | cache                                   | holds                            | dropped on                  |
 * |-----------------------------------------|----------------------------------|-----------------------------|
 * | `tokens` status (AccessTokens, 1 s*)    | revoked / disconnected per token | disconnect, revoke, resync  |
 * | `tokens` verified signatures            | claims of checked tokens         | signing-keys, resync        |
 * | `keys` (KeyStore, 60 s)                 | signing and verification keys    | signing-keys, resync        |
 * | `connectionCache` (5 s*)                | connection rows                  | disconnect, resync          |
 * | `cache` memory (ResponseCache)          | plaintext response bytes         | disconnect                  |
 * | `jobs` (FetchJobs)                      | running fetches, recent failures | disconnect (aborted)        |
 * | `vault` data keys (60 s*, ≤ 10 min)     | unwrapped data keys              | disconnect                  |
 * | `keptCompanies` (sandbox, 16 MiB)       | unpacked sandbox companies       | disconnect                  |
 *
 * (*) Or as long as the node's change feed is current (src/cluster/change-feed.ts), which drops them too (data keys:
 * connections' only, at most 10 min from load).
 *
 * Not here, on purpose: the response cache's stored rows (shared; written by one node, served by all), rate-limit
 * counters (in Redis when there is one), and the abuse limiters (per node by design, src/oauth/abuse-limiter.ts).
 */
import type { Services } from '../services.js';
import type { ClusterEvent } from './bus.js';

export async function applyClusterEvent(
  services: Pick<
    Services,
    'tokens' | 'keys' | 'connectionCache' | 'cache' | 'jobs' | 'vault' | 'keptCompanies'
  >,
  event: ClusterEvent,
): Promise<void> {
  switch (event.kind) {
    case 'disconnect':
      services.tokens.forgetConnection(event.connectionId);
      services.connectionCache.forget(event.connectionId);
      services.jobs.abortConnection(event.connectionId);
      services.cache.forgetConnection(event.connectionId);
      services.vault.forget(event.connectionId);
      services.keptCompanies.forget(event.connectionId);
      return;
    case 'revoke':
      for (const jti of event.jtis) services.tokens.forget(jti);
      return;
    case 'signing-keys':
      await services.keys.reload();
      services.tokens.forgetVerified();
      return;
    case 'resync':
      services.tokens.forgetAll();
      services.connectionCache.clear();
      await services.keys.reload();
      services.tokens.forgetVerified();
      return;
  }
}
