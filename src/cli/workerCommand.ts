import { availableParallelism } from 'node:os';
import { Worker, type Job } from 'bullmq';
import { CliError } from '../core/errors.js';
import { connectRedis } from '../optimize/queue/connectRedis.js';
import { checkRedisUrl, QUEUE_NAME, sweepKey, type QueueJobData } from '../optimize/queue/queueNames.js';
import { decodeSweep } from '../optimize/queue/sweepCodec.js';
import type { CombinationResult } from '../optimize/runCombination.js';
import { WorkerPool } from '../optimize/WorkerPool.js';
import { commandSpecs } from './commandSpecs.js';
import { numberFlag, parseArgs } from './parseArgs.js';
import { onStopSignal } from './onStopSignal.js';

/** A sweep's bars on this machine: its thread pool, and how many of its backtests run now. */
interface LoadedSweep {
  readonly pool: Promise<WorkerPool>;
  active: number;
}

/**
 * `npm run worker` (options: commandSpecs.worker): takes backtests from the optimizer's BullMQ queue,
 * `--workers` at once on threads. Each sweep's bars come from Redis once and are shared by the
 * threads. BullMQ holds a lock on each job while it runs, renewed every half `--lock-ms`; a worker
 * that dies stops renewing it, and another worker's stalled-job check puts the job back to run again.
 */
export async function runWorkerCommand(args: string[]): Promise<number> {
  const v = parseArgs(args, commandSpecs.worker);
  if (v.queue === undefined) throw new CliError('--queue is required: the redis://HOST:PORT address the optimizer was given');
  const where = checkRedisUrl(v.queue);
  const threads = numberFlag(v.workers, 'workers', availableParallelism(), (n) => Number.isInteger(n) && n >= 1 && n <= 1024);
  const lockMs = numberFlag(v['lock-ms'], 'lock-ms', 30_000, (n) => Number.isInteger(n) && n >= 200);
  const say = (line: string): void => void process.stderr.write(`worker: ${line}\n`);

  const redis = await connectRedis(v.queue, where);
  const sweeps = new Map<string, LoadedSweep>();
  const load = async (sweep: string): Promise<WorkerPool> => {
    const bytes = await redis.getBuffer(sweepKey(sweep));
    if (bytes === null) throw new Error(`sweep ${sweep} is no longer in Redis (its optimizer stopped)`);
    const { tape, setup } = decodeSweep(bytes);
    say(`sweep ${sweep.slice(0, 8)}: ${tape.length.toLocaleString('en-US')} bars of ${tape.symbols.join(', ')}, ${setup.strategy.id}`);
    return new WorkerPool(tape, setup, threads);
  };
  const sweepFor = (sweep: string): LoadedSweep => {
    let s = sweeps.get(sweep);
    if (s === undefined) {
      // Pools of earlier sweeps with nothing running are done with: their threads end.
      for (const [id, old] of sweeps) {
        if (old.active === 0) {
          sweeps.delete(id);
          void old.pool.then((p) => p.close()).catch(() => undefined);
        }
      }
      s = { pool: load(sweep), active: 0 };
      s.pool.catch(() => sweeps.delete(sweep));
      sweeps.set(sweep, s);
    }
    return s;
  };

  const processor = async (job: Job<QueueJobData>): Promise<CombinationResult> => {
    const { sweep, job: backtest } = job.data;
    const s = sweepFor(sweep);
    s.active++;
    try {
      const pool = await s.pool;
      say(`started ${job.id} (combination ${backtest.index}, attempt ${job.attemptsStarted})`);
      const result = await pool.submit(backtest);
      say(`finished ${job.id}`);
      return result;
    } finally {
      s.active--;
    }
  };
  const worker = new Worker<QueueJobData, CombinationResult>(QUEUE_NAME, processor, {
    connection: { url: v.queue, maxRetriesPerRequest: null },
    concurrency: threads,
    lockDuration: lockMs,
    stalledInterval: Math.max(100, Math.floor(lockMs / 2)),
    maxStalledCount: 5,
  });
  worker.on('failed', (job, error) => say(`failed ${job?.id ?? '?'}: ${error.message}`));
  worker.on('error', (error) => say(`error: ${error.message}`));
  await worker.waitUntilReady();
  say(`ready: taking backtests from ${where}, ${threads} at a time (Ctrl+C stops)`);

  await new Promise<void>((resolve) => {
    const off = onStopSignal(() => {
      off();
      resolve();
    });
  });
  say('stopping after the backtests under way');
  await worker.close();
  await Promise.allSettled([...sweeps.values()].map(async (s) => (await s.pool).close()));
  redis.disconnect();
  return 0;
}
