import { Worker } from 'node:worker_threads';
import type { CombinationResult } from './runCombination.js';
import type { SharedTape } from './SharedTape.js';
import type { SweepExecutor } from './SweepExecutor.js';
import type { SweepJob, SweepSetup } from './SweepSetup.js';

type Reply = { ok: true; result: CombinationResult } | { ok: false; index: number; error: string };

interface Pending {
  readonly job: SweepJob;
  readonly resolve: (r: CombinationResult) => void;
  readonly reject: (e: Error) => void;
}

/**
 * The worker thread's file: `optimizeWorker.js` beside the bundle's chunks in dist/ (an entry point
 * of `npm run build`); from the source (tsx, vitest), a bootstrap that compiles optimizeWorker.ts.
 */
function workerEntry(): { url: URL; entry: string | null } {
  if (!import.meta.url.endsWith('.ts')) return { url: new URL('./optimizeWorker.js', import.meta.url), entry: null };
  return { url: new URL('./sourceWorker.mjs', import.meta.url), entry: new URL('./optimizeWorker.ts', import.meta.url).href };
}

/**
 * `size` worker threads that share the bars (no copy per thread or per combination), each running
 * one backtest at a time, the next waiting one as soon as it is free.
 */
export class WorkerPool implements SweepExecutor {
  readonly #idle: Worker[] = [];
  readonly #workers: Worker[];
  readonly #waiting: Pending[] = [];
  readonly #running = new Map<Worker, Pending>();
  #broken: Error | null = null;

  constructor(tape: SharedTape, setup: SweepSetup, size: number) {
    const { url, entry } = workerEntry();
    this.#workers = Array.from({ length: Math.max(1, size) }, () => new Worker(url, { workerData: { tape, setup, entry } }));
    for (const w of this.#workers) {
      w.on('message', (reply: Reply) => this.#done(w, reply));
      w.on('error', (error) => this.#fail(error));
      this.#idle.push(w);
    }
  }

  get size(): number {
    return this.#workers.length;
  }

  /** One backtest, on the next free thread. */
  submit(job: SweepJob): Promise<CombinationResult> {
    if (this.#broken !== null) return Promise.reject(this.#broken);
    return new Promise((resolve, reject) => {
      this.#waiting.push({ job, resolve, reject });
      this.#pump();
    });
  }

  async run(jobs: readonly SweepJob[], progress: (done: number) => void): Promise<CombinationResult[]> {
    let done = 0;
    return Promise.all(
      jobs.map(async (j) => {
        const r = await this.submit(j);
        progress(++done);
        return r;
      }),
    );
  }

  async close(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }

  #pump(): void {
    while (this.#idle.length > 0 && this.#waiting.length > 0) {
      const w = this.#idle.pop()!;
      const p = this.#waiting.shift()!;
      this.#running.set(w, p);
      w.postMessage(p.job);
    }
  }

  #done(w: Worker, reply: Reply): void {
    const p = this.#running.get(w);
    this.#running.delete(w);
    this.#idle.push(w);
    if (p !== undefined) {
      if (reply.ok) p.resolve(reply.result);
      else p.reject(new Error(`combination ${reply.index}: ${reply.error}`));
    }
    this.#pump();
  }

  /** A thread that died takes the pool with it: every backtest waiting or running fails with its error. */
  #fail(error: Error): void {
    this.#broken = error;
    for (const p of [...this.#running.values(), ...this.#waiting.splice(0)]) p.reject(error);
    this.#running.clear();
  }
}
