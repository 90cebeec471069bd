import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { noCommission } from '../src/broker/sim/CommissionModel.js';
import { noSlippage } from '../src/broker/sim/SlippageModel.js';
import { runBacktest } from '../src/backtest/runBacktest.js';
import { StaticNyseCalendar } from '../src/risk/calendar/StaticNyseCalendar.js';
import { snapshotBench } from './snapshotBench.js';
import { syntheticBars } from './syntheticBars.js';

/**
 * `npm run bench`: performance figures as JSON on stdout. Each figure is the best of several runs
 * after a warm-up run (the machine is shared and noisy; the best run is the least disturbed one).
 * `bars_per_second` is end to end (set-up, replay, report objects and metrics); `loop_bars_per_second`
 * is the replay loop alone.
 */
const BARS = 200_000;
const RUNS = 10;

/** Collects the previous run's garbage first (with --expose-gc), so runs do not pay for each other. */
const collect = (globalThis as { gc?: () => void }).gc ?? ((): void => {});

function best(run: () => number): number {
  run();
  let top = 0;
  for (let i = 0; i < RUNS; i++) {
    collect();
    top = Math.max(top, run());
  }
  return Math.round(top);
}

const bars = syntheticBars(BARS);
const logger = pino({ level: 'silent' });
let fills = 0;
let loop = 0;
const smaCross = best(() => {
  const started = performance.now();
  const r = runBacktest({
    strategies: [{ id: 'bench', type: 'sma_cross', symbols: ['SYN'], capital: 100_000, params: { fast: 10, slow: 30, qty: 10 } }],
    bars,
    startingCash: 100_000,
    slippage: noSlippage,
    commission: noCommission,
    maxPositionPct: 0.25,
    // The same rules as `npm run backtest`: market hours included.
    calendar: new StaticNyseCalendar(),
    logger,
    stopwatch: () => performance.now(),
  });
  fills = r.fills.length;
  loop = Math.max(loop, r.barsPerSecond);
  return BARS / ((performance.now() - started) / 1000);
});

collect();
const snapshot = snapshotBench(logger, RUNS);

process.stdout.write(
  `${JSON.stringify(
    {
      node: process.version,
      bars: BARS,
      backtest_sma_cross_bars_per_second: smaCross,
      backtest_sma_cross_fills: fills,
      backtest_sma_cross_loop_bars_per_second: loop,
      snapshot_write_ms: snapshot.writeMs,
      restore_ms: snapshot.restoreMs,
      snapshot_bytes: snapshot.bytes,
      snapshot_fills: snapshot.fills,
    },
    null,
    2,
  )}\n`,
);
