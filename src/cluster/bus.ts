/**
 * The cluster's event fan-out: what one node changes and every other node holds a copy of in memory (a token's
 * status, a connection row, the signing keys…) is announced here, and every listening node drops its copy at once.
 *
 * - REDIS_URL set: Redis pub/sub on `${REDIS_KEY_PREFIX}events` (one extra connection per listening node);
 * - PostgreSQL without Redis: LISTEN/NOTIFY on the schema's channel (src/store/notifications.ts);
 * - SQLite: nothing leaves the process (one node; `affix` commands run beside it are caught by the TTLs below).
 *
 * Publishing applies the event on this node first, then sends it; a node ignores its own messages. The bus is a
 * fast path, not the only one: every cache it clears also expires by itself (token status 1 s, connection rows
 * 5 s, signing keys 60 s), so a lost message or an outage of Redis costs at most those delays. After the listening
 * connection comes back, a node drops every such cache, since it may have missed messages meanwhile.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { PgNotifications } from '../store/notifications.js';

export type ClusterEvent =
  /** A connection was disconnected (tokens revoked, data wiped, data key shredded). */
  | { kind: 'disconnect'; connectionId: string }
  /** These tokens were revoked. */
  | { kind: 'revoke'; jtis: string[] }
  /** Signing keys were added or retired. */
  | { kind: 'signing-keys' }
  /** The listening connection was (re)established: messages may have been missed, drop every cached copy. */
  | { kind: 'resync' };

export type ClusterEventKind = ClusterEvent['kind'];

export interface BusSink {
  clusterEvent(direction: 'sent' | 'received', kind: string): void;
  clusterBusError(): void;
}

/** How messages travel between processes. */
interface Transport {
  readonly name: 'redis' | 'postgres' | 'local';
  send(payload: string): Promise<void>;
  /** Starts delivering messages from other processes; `resync` after every (re)connection. */
  listen(
    onMessage: (payload: string) => void,
    onResync: () => void,
    onLost: (err: Error) => void,
  ): Promise<void>;
  close(): Promise<void>;
}

export type EventHandler = (event: ClusterEvent) => void | Promise<void>;

export class ClusterBus {
  readonly nodeId = randomUUID();
  private handler: EventHandler | undefined;
  private listening = false;

  constructor(
    private readonly transport: Transport,
    private readonly log: Pick<Logger, 'warn' | 'info'>,
    private readonly sink?: BusSink,
  ) {}

  /** `redis`, `postgres` or `local` (nothing leaves this process). */
  get transportName(): Transport['name'] {
    return this.transport.name;
  }

  /** What to do with an event, here and on receipt from other nodes (set once the node's services exist). */
  onEvent(handler: EventHandler): void {
    this.handler = handler;
  }

  /**
   * Applies `event` on this node, then sends it to the others. Never throws: a failure to send is logged and
   * counted, and the other nodes catch up through their caches' own expiry.
   */
  async publish(event: ClusterEvent): Promise<void> {
    await this.apply(event);
    if (this.transport.name === 'local') return;
    try {
      await this.transport.send(JSON.stringify({ from: this.nodeId, event }));
      this.sink?.clusterEvent('sent', event.kind);
    } catch (err) {
      this.sink?.clusterBusError();
      this.log.warn(
        { err, kind: event.kind },
        'cluster: could not announce an event; other nodes catch up within their cache TTLs',
      );
    }
  }

  /** Subscribes to other nodes' events (serving and worker processes; one-shot CLI commands only publish). */
  async listen(): Promise<void> {
    if (this.listening || this.transport.name === 'local') return;
    this.listening = true;
    let lostLogged = false;
    await this.transport.listen(
      (payload) => {
        const message = parseMessage(payload);
        if (!message || message.from === this.nodeId) return;
        this.sink?.clusterEvent('received', message.event.kind);
        void this.apply(message.event);
      },
      () => {
        if (lostLogged) this.log.info('cluster: event subscription restored');
        lostLogged = false;
        void this.apply({ kind: 'resync' });
      },
      (err) => {
        this.sink?.clusterBusError();
        if (!lostLogged)
          this.log.warn({ err: err.message }, 'cluster: event subscription lost; reconnecting');
        lostLogged = true;
      },
    );
  }

  async close(): Promise<void> {
    await this.transport.close();
  }

  private async apply(event: ClusterEvent): Promise<void> {
    try {
      await this.handler?.(event);
    } catch (err) {
      this.log.warn({ err, kind: event.kind }, 'cluster: applying an event failed');
    }
  }
}

const JTI = /^[\w-]{1,100}$/;

/** A message from the channel, or undefined when it is not one of ours (validated: the channel may be shared). */
export function parseMessage(payload: string): { from: string; event: ClusterEvent } | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { from, event } = raw as { from?: unknown; event?: Record<string, unknown> };
  if (typeof from !== 'string' || typeof event !== 'object' || event === null) return undefined;
  switch (event.kind) {
    case 'disconnect':
      return typeof event.connectionId === 'string' && JTI.test(event.connectionId)
        ? { from, event: { kind: 'disconnect', connectionId: event.connectionId } }
        : undefined;
    case 'revoke': {
      const jtis = event.jtis;
      return Array.isArray(jtis) && jtis.every((j) => typeof j === 'string' && JTI.test(j))
        ? { from, event: { kind: 'revoke', jtis: jtis as string[] } }
        : undefined;
    }
    case 'signing-keys':
      return { from, event: { kind: 'signing-keys' } };
    default:
      return undefined;
  }
}

/** Nothing leaves the process. */
export function localTransport(): Transport {
  return {
    name: 'local',
    send: async () => {},
    listen: async () => {},
    close: async () => {},
  };
}

/**
 * Redis pub/sub: sends on the node's shared connection (which fails at once while Redis is down), listens on a
 * connection of its own (a subscribed connection can do nothing else), resubscribing after every reconnect.
 */
export function redisTransport(publisher: Redis, url: string, prefix: string): Transport {
  const channel = `${prefix}events`;
  let subscriber: Redis | undefined;
  return {
    name: 'redis',
    send: async (payload) => {
      await publisher.publish(channel, payload);
    },
    listen: async (onMessage, onResync, onLost) => {
      const sub = new Redis(url, {
        connectTimeout: 2000,
        maxRetriesPerRequest: null,
        retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
      });
      subscriber = sub;
      sub.on('message', (ch: string, message: string) => {
        if (ch === channel) onMessage(message);
      });
      sub.on('error', (err: Error) => onLost(err));
      // ioredis resubscribes by itself on reconnect; 'ready' follows each (re)connection.
      sub.on('ready', () => onResync());
      try {
        await withTimeout(sub.subscribe(channel), 2000);
      } catch (err) {
        // Redis is down at start: the node serves, and the subscription follows once Redis is back.
        onLost(err instanceof Error ? err : new Error(String(err)));
      }
    },
    close: async () => {
      subscriber?.disconnect();
      subscriber = undefined;
    },
  };
}

/** PostgreSQL LISTEN/NOTIFY. */
export function postgresTransport(notifications: PgNotifications): Transport {
  let listening: { close(): Promise<void> } | undefined;
  return {
    name: 'postgres',
    send: (payload) => notifications.notify(payload),
    listen: async (onMessage, onResync, onLost) => {
      listening = await notifications.listen({ message: onMessage, connected: onResync, lost: onLost });
    },
    close: async () => {
      await listening?.close();
      listening = undefined;
    },
  };
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
