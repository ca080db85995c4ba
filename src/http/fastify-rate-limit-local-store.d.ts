/**
 * @fastify/rate-limit's in-memory store (its `store/LocalStore.js`, the one the plugin makes when no Redis is
 * given), which the plugin ships without types. Only what src/http/rate-limits.ts calls.
 */
declare module '@fastify/rate-limit/store/LocalStore.js' {
  export default class LocalStore {
    constructor(continueExceeding: boolean, exponentialBackoff: boolean, cache?: number);
    /** Counts one hit of `key`; calls `cb` synchronously with the window's count and milliseconds left. */
    incr(
      key: string,
      cb: (err: Error | null, res: { current: number; ttl: number }) => void,
      timeWindow: number,
      max: number,
    ): void;
  }
}
