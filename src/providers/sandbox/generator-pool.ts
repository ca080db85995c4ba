/**
 * Where a node generates sandbox companies: a pool of one worker thread (generator-worker.ts), started on the first
 * company to generate and ended once it has been idle `GENERATOR_IDLE_MS`. Generating a company allocates several
 * times its size in short-lived objects and loads faker (about 8 MB of RSS); in a thread of its own, that heap and
 * that garbage live in an isolate that is dropped when idle (its RSS is returned), and generating runs beside the
 * serving thread, not on it (docs/benchmarks.md, P5 fifth pass). The worker answers the company's packed document and kept form; the serving thread parses the document
 * (the same company, byte for byte, as generating it here: generator-pool.test.ts). A worker that dies is replaced
 * and its jobs sent again (once each). One per node, on `Services`.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { SandboxOptions } from './dataset.js';
import type { GenerateAnswer, GenerateJob } from './generator-worker.js';
import type { MadeCompany, PackedForm } from './kept-company.js';

/** How long the generator thread stays after its last job (ms): warming connections keeps it; serving ends it. */
export const GENERATOR_IDLE_MS = 1_000;
/** Times a job is sent to a (new) worker before its fetch fails. */
const TRIES = 2;

interface Pending {
  job: GenerateJob;
  tries: number;
  resolve: (form: PackedForm) => void;
  reject: (e: Error) => void;
}

export class CompanyGenerator {
  protected worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | undefined;
  /** Workers started so far (tests). */
  started = 0;

  constructor(readonly idleMs = GENERATOR_IDLE_MS) {}

  /** The company of `options`, generated in the worker: its packed document and kept form. */
  generate(options: Required<SandboxOptions>): Promise<PackedForm> {
    return new Promise<PackedForm>((resolve, reject) => {
      const job: GenerateJob = { id: this.nextId++, options };
      const p: Pending = { job, tries: 0, resolve, reject };
      this.pending.set(job.id, p);
      this.send(p);
    });
  }

  /** Whether a worker is running (tests). */
  get running(): boolean {
    return this.worker !== undefined;
  }

  /** Ends the worker now (the node stops); jobs not answered yet fail. */
  async close(): Promise<void> {
    clearTimeout(this.idleTimer);
    const w = this.worker;
    this.worker = undefined;
    for (const p of this.pending.values())
      p.reject(new Error('sandbox generation stopped: the node is closing'));
    this.pending.clear();
    if (w) await w.terminate();
  }

  private send(p: Pending): void {
    clearTimeout(this.idleTimer);
    p.tries++;
    const w = this.worker ?? this.start();
    w.ref();
    w.postMessage(p.job);
  }

  private start(): Worker {
    // Built: the .js beside this one, without the node's flags (a worker accepts no V8 flags; it needs none).
    const w = import.meta.url.endsWith('.ts')
      ? fromSource(new URL('./generator-worker.ts', import.meta.url).href)
      : new Worker(new URL('./generator-worker.js', import.meta.url), { execArgv: [] });
    this.worker = w;
    this.started++;
    w.on('message', (a: GenerateAnswer) => this.answered(a));
    w.on('error', () => this.lost(w));
    w.on('exit', () => this.lost(w));
    return w;
  }

  private answered(a: GenerateAnswer): void {
    const p = this.pending.get(a.id);
    if (!p) return;
    this.pending.delete(a.id);
    if ('error' in a) p.reject(new Error(`sandbox generation failed: ${a.error}`));
    else p.resolve({ text: a.text, packed: a.packed });
    if (this.pending.size === 0) this.idle();
  }

  private idle(): void {
    const w = this.worker;
    if (!w) return;
    w.unref();
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.pending.size === 0 && this.worker === w) {
        this.worker = undefined;
        void w.terminate();
      }
    }, this.idleMs);
    this.idleTimer.unref();
  }

  /** The worker `w` ended or failed: its unanswered jobs go to a new one, each at most `TRIES` times in all. */
  private lost(w: Worker): void {
    if (this.worker !== w) return;
    this.worker = undefined;
    for (const p of [...this.pending.values()]) {
      if (p.tries < TRIES) {
        this.send(p);
      } else {
        this.pending.delete(p.job.id);
        p.reject(new Error('sandbox generation failed: the generator thread ended'));
      }
    }
    if (this.pending.size === 0) clearTimeout(this.idleTimer);
  }
}

/**
 * The worker run from source (tests, `tsx`): a worker does not take `--import tsx`, so it registers tsx's loader
 * (its ESM entry, beside the CommonJS one `require` finds) before importing the .ts file.
 */
function fromSource(file: string): Worker {
  const api = pathToFileURL(
    createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
  const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(file)}); })`;
  return new Worker(code, { eval: true, execArgv: [] });
}

/**
 * A company generated for `options` and packed: in `generator`'s worker when the node has one, else on this thread
 * (an adapter built without `Services`, e.g. provider tests).
 */
export async function makeCompany(
  generator: CompanyGenerator | undefined,
  options: Required<SandboxOptions>,
): Promise<MadeCompany> {
  const { fromDocument, makeHere } = await import('./kept-company.js');
  if (!generator) {
    const { generateDataset } = await import('./generate.js');
    return makeHere(() => generateDataset(options));
  }
  const form = await generator.generate(options);
  return { data: fromDocument(form.text, options), packed: form.packed };
}
