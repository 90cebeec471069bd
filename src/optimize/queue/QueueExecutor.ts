import { randomUUID } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import type { CombinationResult } from '../runCombination.js';
import type { SharedTape } from '../SharedTape.js';
import type { SweepExecutor } from '../SweepExecutor.js';
import type { SweepJob, SweepSetup } from '../SweepSetup.js';
import { connectRedis } from './connectRedis.js';
import { encodeSweep } from './sweepCodec.js';
import { checkRedisUrl, QUEUE_NAME, sweepKey, type QueueJobData } from './queueNames.js';

/** How often the results of jobs whose completion event was missed are looked up. */
const POLL_MS = 1000;
/** A sweep's bars stay in Redis at most this long if the optimizer dies before deleting them. */
const SWEEP_TTL_S = 7 * 86_400;

const connectionOf = (url: string): { url: string; maxRetriesPerRequest: null } => ({ url, maxRetriesPerRequest: null });

/**
 * Hands a sweep's backtests to `npm run worker` processes through BullMQ: the bars and settings
 * once (a Redis key), then one job per backtest. Results come back in the jobs' order whatever
 * worker ran them and when; a job whose worker died is retried by another (BullMQ's stalled-job
 * check), so nothing is lost.
 */
export class QueueExecutor implements SweepExecutor {
  readonly #redis: Redis;
  readonly #queue: Queue;
  readonly #events: QueueEvents;
  readonly #sweep: string;
  readonly #where: string;
  #runs = 0;
  /** Jobs of the run under way not finished yet (removed from the queue if the sweep is abandoned). */
  #pending: ReadonlyMap<string, number> = new Map();

  private constructor(redis: Redis, queue: Queue, events: QueueEvents, sweep: string, where: string) {
    this.#redis = redis;
    this.#queue = queue;
    this.#events = events;
    this.#sweep = sweep;
    this.#where = where;
  }

  static async open(url: string, tape: SharedTape, setup: SweepSetup): Promise<QueueExecutor> {
    const where = checkRedisUrl(url);
    const redis = await connectRedis(url, where);
    const sweep = randomUUID();
    await redis.set(sweepKey(sweep), encodeSweep(tape, setup), 'EX', SWEEP_TTL_S);
    const queue = new Queue(QUEUE_NAME, { connection: connectionOf(url) });
    const events = new QueueEvents(QUEUE_NAME, { connection: connectionOf(url) });
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    return new QueueExecutor(redis, queue, events, sweep, where);
  }

  /** The queue's address, without a password. */
  get where(): string {
    return this.#where;
  }

  describe(): string {
    return `the workers of ${this.#where}`;
  }

  async run(jobs: readonly SweepJob[], progress: (done: number) => void): Promise<CombinationResult[]> {
    const run = ++this.#runs;
    const idOf = (pos: number): string => `${this.#sweep}-${run}-${pos}`;
    const position = new Map(jobs.map((_, pos) => [idOf(pos), pos]));
    this.#pending = position;
    const results = new Array<CombinationResult>(jobs.length);
    let done = 0;
    let settle: { resolve: () => void; reject: (e: Error) => void } | null = null;
    const finished = new Promise<void>((resolve, reject) => void (settle = { resolve, reject }));
    let lastResult = Date.now();
    const complete = (id: string, value: unknown): void => {
      const pos = position.get(id);
      if (pos === undefined) return;
      position.delete(id);
      lastResult = Date.now();
      results[pos] = (typeof value === 'string' ? JSON.parse(value) : value) as CombinationResult;
      progress(++done);
      if (position.size === 0) settle!.resolve();
    };
    const fail = (id: string, reason: string): void => {
      if (position.has(id)) settle!.reject(new Error(`backtest ${position.get(id)} failed on a worker: ${reason}`));
    };
    const onCompleted = ({ jobId, returnvalue }: { jobId: string; returnvalue: unknown }): void => complete(jobId, returnvalue);
    const onFailed = ({ jobId, failedReason }: { jobId: string; failedReason: string }): void => {
      // A failure with attempts left is retried: only a job that stays failed fails the sweep.
      if (!position.has(jobId)) return;
      void this.#queue.getJobState(jobId).then((state) => (state === 'failed' ? fail(jobId, failedReason) : undefined));
    };
    this.#events.on('completed', onCompleted);
    this.#events.on('failed', onFailed);
    // Completion events are not stored: a result that finished while no event reached us is looked up.
    const poll = setInterval(() => {
      if (Date.now() - lastResult >= POLL_MS) void this.#poll(position, complete, fail);
    }, POLL_MS);
    try {
      if (jobs.length === 0) return results;
      await this.#queue.addBulk(
        jobs.map((job, pos) => ({
          name: 'backtest',
          data: { sweep: this.#sweep, job } satisfies QueueJobData,
          opts: { jobId: idOf(pos), attempts: 3, removeOnComplete: { age: 3600 }, removeOnFail: { age: 86_400 } },
        })),
      );
      await finished;
      return results;
    } finally {
      clearInterval(poll);
      this.#events.off('completed', onCompleted);
      this.#events.off('failed', onFailed);
    }
  }

  async #poll(position: ReadonlyMap<string, number>, complete: (id: string, value: unknown) => void, fail: (id: string, reason: string) => void): Promise<void> {
    for (const id of [...position.keys()].slice(0, 200)) {
      const job = await this.#queue.getJob(id);
      if (job === undefined || job === null) continue;
      const state = await job.getState();
      if (state === 'completed') complete(id, job.returnvalue);
      else if (state === 'failed') fail(id, job.failedReason);
    }
  }

  /** Ends the sweep: its jobs still waiting leave the queue (running ones finish unheard), its bars leave Redis. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.#pending.keys()].map((id) => this.#queue.remove(id)));
    await this.#redis.del(sweepKey(this.#sweep)).catch(() => 0);
    await Promise.allSettled([this.#events.close(), this.#queue.close()]);
    this.#redis.disconnect();
  }
}
