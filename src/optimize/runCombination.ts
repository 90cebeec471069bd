import { createHash } from 'node:crypto';
import { pino } from 'pino';
import { costModels } from '../broker/sim/costModels.js';
import { runBacktest } from '../backtest/runBacktest.js';
import type { BacktestFill, BacktestResult } from '../backtest/BacktestResult.js';
import { BarStamps } from '../market-data/barLabelling.js';
import { TRADING_DAYS_PER_YEAR, type Metrics } from '../portfolio/metrics.js';
import { sharpeEvidence } from '../portfolio/probabilisticSharpe.js';
import { StaticNyseCalendar } from '../risk/calendar/StaticNyseCalendar.js';
import { tapeView, type SharedTape } from './SharedTape.js';
import type { CreateStrategy } from './sweepStrategy.js';
import type { SweepJob, SweepSetup } from './SweepSetup.js';

/** The shape of the daily returns, as the deflated Sharpe ratio needs it. */
export interface ReturnShape {
  readonly count: number;
  /** Skewness (population moments; 0 for normal returns). */
  readonly skewness: number;
  /** Kurtosis, not the excess: 3 for normal returns. */
  readonly kurtosis: number;
}

/** What a sweep keeps of one combination's backtest (plain data: it comes back from threads and machines). */
export interface CombinationResult {
  readonly index: number;
  readonly params: Readonly<Record<string, unknown>>;
  readonly bars: number;
  readonly from: string | null;
  readonly to: string | null;
  readonly finalValue: number;
  readonly fills: number;
  readonly trades: number;
  readonly rejections: number;
  /** SHA-256 of the fills as `npm run backtest -- --out` writes them: equal digests, equal fills. */
  readonly fillsDigest: string;
  readonly metrics: Metrics;
  readonly returns: ReturnShape;
  /** The daily returns the metrics come from (walk-forward stitches them). */
  readonly dailyReturns: readonly number[];
}

/** The SHA-256 of fills, as their JSON. */
export const fillsDigest = (fills: readonly BacktestFill[]): string => createHash('sha256').update(JSON.stringify(fills)).digest('hex');

/**
 * Runs one combination through `runBacktest`, the engine of `npm run backtest`, with the settings a
 * backtest of the config with only this strategy (and these parameters) would use.
 */
export function backtestCombination(tape: SharedTape, setup: SweepSetup, job: SweepJob, createStrategy?: CreateStrategy): BacktestResult {
  const stamps = new BarStamps();
  for (const s of setup.stamps) stamps.add(s.symbol, { shift: s.shift, stamps: s.stamps === null ? null : new Map(s.stamps) });
  return runBacktest({
    strategies: [{ ...setup.strategy, params: job.params }],
    bars: tapeView(tape, job.lo, job.hi),
    ...(job.warm === undefined || job.warm >= job.lo ? {} : { warmUp: tapeView(tape, job.warm, job.lo).toBars() }),
    ...(stamps.identity ? {} : { stampOf: (time: number, symbol?: string) => stamps.stampOf(time, symbol) }),
    startingCash: setup.startingCash,
    ...costModels(setup.costs),
    maxPositionPct: setup.maxPositionPct,
    riskFreeRate: setup.riskFreeRate,
    calendar: new StaticNyseCalendar(),
    ...(setup.breakers === null ? {} : { breakers: { strategies: new Map(setup.breakers.strategies), account: setup.breakers.account } }),
    logger: pino({ level: 'silent' }),
    stopwatch: () => 0,
    dailyReturns: true,
    ...(createStrategy === undefined ? {} : { createStrategy }),
  });
}

/** One combination's result as a sweep keeps it. */
export function runCombination(tape: SharedTape, setup: SweepSetup, job: SweepJob, createStrategy?: CreateStrategy): CombinationResult {
  const r = backtestCombination(tape, setup, job, createStrategy);
  const daily = r.dailyReturns ?? [];
  return {
    index: job.index,
    params: job.params,
    bars: r.bars,
    from: r.from,
    to: r.to,
    finalValue: r.finalValue,
    fills: r.fills.length,
    trades: r.trades.length,
    rejections: r.rejections,
    fillsDigest: fillsDigest(r.fills),
    metrics: r.metrics,
    returns: shapeOf(daily, setup.riskFreeRate),
    dailyReturns: daily,
  };
}

/** Skewness and kurtosis of the daily returns; a series too short or without variation has the normal's shape. */
function shapeOf(daily: readonly number[], riskFreeRate: number): ReturnShape {
  const e = sharpeEvidence(daily, (1 + riskFreeRate) ** (1 / TRADING_DAYS_PER_YEAR) - 1);
  return e === null ? { count: daily.length, skewness: 0, kurtosis: 3 } : { count: e.n, skewness: e.skewness, kurtosis: e.kurtosis };
}
