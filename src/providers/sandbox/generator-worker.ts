/**
 * The sandbox's generator thread (generator-pool.ts): generates the company of each `{ id, options }` it is sent and
 * answers `{ id, text, packed }` (its packed document and kept form, kept-company.ts `packedForm`) or `{ id, error }`.
 * Faker, the generation's garbage and the heap it grows stay in this thread's isolate, which the pool ends when idle.
 */
import { parentPort } from 'node:worker_threads';
import type { SandboxOptions } from './dataset.js';
import { generateDataset } from './generate.js';
import { packedForm } from './kept-company.js';

/** A job the pool sends. */
export interface GenerateJob {
  id: number;
  options: Required<SandboxOptions>;
}

/** The worker's answer to a job. */
export type GenerateAnswer = { id: number; text: string; packed: string } | { id: number; error: string };

const port = parentPort;
if (port) {
  port.on('message', (job: GenerateJob) => {
    let answer: Promise<GenerateAnswer>;
    try {
      answer = packedForm(generateDataset(job.options)).then((form) => ({ id: job.id, ...form }));
    } catch (e) {
      answer = Promise.reject(e);
    }
    answer.then(
      (a) => port.postMessage(a),
      (e: unknown) => port.postMessage({ id: job.id, error: e instanceof Error ? e.message : String(e) }),
    );
  });
}
