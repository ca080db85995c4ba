/**
 * The background side of KEK rotation in a serving node: re-reads a local keyring every few seconds (so a
 * `affix keys rotate-kek` run elsewhere makes new data keys use the new KEK here too), and periodically moves
 * data keys wrapped by older KEKs onto the primary, reporting progress. Failures are reported, never swallowed:
 * a data key that names a retired KEK shows up as `retired_key` in every run until an operator acts.
 */
import type { RewrapProgress, RewrapResult, Vault } from '../vault/index.js';

export interface RewrapJobEvents {
  onProgress?(progress: RewrapProgress): void;
  onResult?(result: RewrapResult | Error): void;
}

interface Reloadable {
  reload(): Promise<void>;
}

function isReloadable(k: unknown): k is Reloadable {
  return typeof (k as Partial<Reloadable>).reload === 'function';
}

/**
 * Re-reads a local keyring every few seconds, so a `affix keys rotate-kek` run elsewhere makes new data keys use the
 * new KEK in this process too. Every serving process runs it, whether or not it runs the jobs. Returns a stop.
 */
export function startKeyringRefresh(vault: Vault, everyMs = 5_000): () => void {
  const keyring = vault.keyring;
  if (!isReloadable(keyring)) return () => {};
  const timer = setInterval(() => void keyring.reload().catch(() => {}), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

export class VaultRewrapJob {
  private timers: NodeJS.Timeout[] = [];
  private running: Promise<RewrapResult | undefined> | undefined;

  constructor(
    private readonly vault: Vault,
    private readonly events: RewrapJobEvents = {},
  ) {}

  /** One pass: nothing to do when every data key is on the primary KEK. */
  run(): Promise<RewrapResult | undefined> {
    if (this.running) return this.running;
    this.running = (async () => {
      await this.refreshKeyring();
      const status = await this.vault.status();
      const behind = Object.entries(status.dataKeysByKek).some(
        ([kek, n]) => kek !== status.primaryKeyId && n > 0,
      );
      if (!behind) return undefined;
      return this.vault.rewrap({
        batchSize: 200,
        ...(this.events.onProgress ? { onProgress: this.events.onProgress } : {}),
      });
    })().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  async refreshKeyring(): Promise<void> {
    if (isReloadable(this.vault.keyring)) await this.vault.keyring.reload();
  }

  /** Re-wraps every `intervalMs` (0 = never). The keyring re-read is every process's: `startKeyringRefresh`. */
  start(intervalMs: number): void {
    if (this.timers.length > 0 || intervalMs <= 0) return;
    const tick = () =>
      void this.run().then(
        (r) => r && this.events.onResult?.(r),
        (err: unknown) => this.events.onResult?.(err instanceof Error ? err : new Error(String(err))),
      );
    const rewrap = setInterval(tick, Math.max(1000, intervalMs));
    rewrap.unref();
    this.timers = [rewrap];
  }

  stop(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }
}
