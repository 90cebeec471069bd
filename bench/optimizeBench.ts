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
 * the best of several sweeps each, taken in turns after a warm-up sweep.
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
  module: null,
  stamps: [],
};
// 24 combinations, a small grid of the kind a sweep runs (6 × 4): as many per thread with 1, 2, 3,
// 4 or 6 threads. With only a few per thread, a sweep measures mostly its last combination, when one
// thread still runs while the others have nothing left.
const jobs: SweepJob[] = [5, 10, 15, 20, 25, 30].flatMap((fast) => [40, 60, 90, 120].map((slow) => ({ fast, slow, qty: 10 }))).map((params, index) => ({ index, params, lo: 0, hi: BARS }));

/** combinations × bars / seconds of one sweep on the pool. */
async function sweep(pool: WorkerPool): Promise<number> {
  const t0 = performance.now();
  await pool.run(jobs, () => {});
  return (jobs.length * BARS) / ((performance.now() - t0) / 1000);
}

const cores = availableParallelism();
const pools = [new WorkerPool(shared, setup, 1), new WorkerPool(shared, setup, cores)];
// Warm-up (threads started, code compiled and optimised), then sweeps taken in turns, 1 thread then
// every core, so a change in the machine's load weighs on both alike.
for (const pool of pools) await pool.run(jobs.slice(0, pool.size * 2), () => {});
let one = 0;
let all = 0;
for (let i = 0; i < RUNS; i++) {
  one = Math.max(one, await sweep(pools[0]!));
  all = Math.max(all, await sweep(pools[1]!));
}
await Promise.all(pools.map((p) => p.close()));
one = Math.round(one);
all = Math.round(all);
process.stdout.write(
  `${JSON.stringify({ optimize_strategy_bars_per_second_1_worker: one, optimize_strategy_bars_per_second_all_cores: all, optimize_cores: cores, optimize_speedup: Math.round((all / one) * 100) / 100 })}\n`,
);
