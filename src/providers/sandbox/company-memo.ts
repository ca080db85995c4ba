/**
 * A node's memo of opened sandbox companies (`Services.keptCompanies`). Apart from kept-company.ts so that a node
 * builds it without loading the sandbox's generator (faker and its locale: about 25 MB of RSS) at start.
 */
import { LRUCache } from 'lru-cache';
import type { SandboxDataset } from './dataset.js';

/**
 * Heap an opened company holds per employee (its employee objects, facts and the company's share of groups, payruns
 * and strings, 3.5–3.8 KB live after GC; once its employees were fetched, also the kept document their JSON texts
 * are cut from, kept-company.ts: 6.9 KB in all): measured by `node --expose-gc --import tsx
 * bench/cache-entry-bytes.ts`, rounded up.
 */
export const COMPANY_BYTES_PER_EMPLOYEE = 7_000;
/** The memo's default bound: 16 MiB, about 2,400 employees' companies (12 companies of 200). */
export const MEMO_BYTES = 16 * 1_048_576;

export interface Opened {
  basis: string;
  packedRound: number;
  round: number;
  data: SandboxDataset;
}

/**
 * The companies this node opened last, by connection id, least recently used first, bounded by their estimated heap
 * (`COMPANY_BYTES_PER_EMPLOYEE` × employees; a company larger than the whole bound is not kept). Per node: one on
 * `Services`; an adapter built without one (provider tests) keeps nothing and unpacks on every read.
 */
export class KeptCompanyMemo {
  private readonly entries: LRUCache<string, Opened>;

  constructor(readonly maxBytes = MEMO_BYTES) {
    this.entries = new LRUCache<string, Opened>({
      maxSize: Math.max(1, maxBytes),
      sizeCalculation: (o) => Math.max(1, o.data.employees.length * COMPANY_BYTES_PER_EMPLOYEE),
    });
  }

  get(key: string): Opened | undefined {
    return this.entries.get(key);
  }

  remember(key: string, opened: Opened): void {
    if (this.maxBytes <= 0) return;
    this.entries.set(key, opened);
  }

  /** Forgets one connection's company (its disconnect, src/cluster/events.ts). */
  forget(key: string): void {
    this.entries.delete(key);
  }

  /** Companies held, and their estimated bytes. */
  get held(): { companies: number; bytes: number } {
    return { companies: this.entries.size, bytes: this.entries.calculatedSize };
  }

  /** Forgets every company (tests and benchmarks measure the cold path with it). */
  clear(): void {
    this.entries.clear();
  }
}
