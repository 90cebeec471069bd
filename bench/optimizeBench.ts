import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { BarTape } from '../src/market-data/BarTape.js';
import { shareTape } from '../src/optimize/SharedTape.js';
import type { SweepJob, SweepSetup } from '../src/optimize/SweepSetup.js';
import { WorkerPool } from '../src/optimize/WorkerPool.js';
import { syntheticBars } from './syntheticBars.js';

/**
 * `optimize_strategy_bars_per_second`: a sweep of sma_cross over synthetic minute bars on the
 * optimizer's worker threads, with 1 thread and with every core: combinations × bars / seconds,
 * the best of several sweeps after a warm-up sweep (threads started and compiled before timing).
 * Prints one JSON line (run in a process of its own by bench.ts).
 */
const BARS = Number(process.argv[2] ?? 100_000);
const RUNS = Number(process.argv[3] ?? 3);

const bars = syntheticBars(BARS);
const tape = new BarTape(['SYN'], BARS);
for (const b of bars) tape.push(b.time, b.open, b.high, b.low, b.close, b.volume, 0);
const shared = shareTape(tape);
const setup: SweepSetup = {
  strategy: { id: 'bench', type: 'sma_cross', symbols: ['SYN'], capital: 100_000, params: {} },
  startingCash: 100_000,
  costs: { slippage_bps: 0, slippage_range: 0, commission_per_share: 0, commission_per_order: 0, commission_min_per_order: 0 },
  maxPositionPct: 0.25,
  riskFreeRate: 0,
  breakers: null,
  stamps: [],
};
// 8 combinations: as many per thread with 1 or 2 threads, so neither waits on a straggler.
const jobs: SweepJob[] = [5, 10, 15, 20].flatMap((fast) => [30, 60].map((slow) => ({ fast, slow, qty: 10 }))).map((params, index) => ({ index, params, lo: 0, hi: BARS }));

async function measure(threads: number): Promise<number> {
  const pool = new WorkerPool(shared, setup, threads);
  try {
    await pool.run(jobs.slice(0, threads * 2), () => {});
    let best = 0;
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      await pool.run(jobs, () => {});
      best = Math.max(best, (jobs.length * BARS) / ((performance.now() - t0) / 1000));
    }
    return Math.round(best);
  } finally {
    await pool.close();
  }
}

const cores = availableParallelism();
const one = await measure(1);
const all = await measure(cores);
process.stdout.write(
  `${JSON.stringify({ optimize_strategy_bars_per_second_1_worker: one, optimize_strategy_bars_per_second_all_cores: all, optimize_cores: cores, optimize_speedup: Math.round((all / one) * 100) / 100 })}\n`,
);
