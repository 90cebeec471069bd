import type { CostSettings } from '../broker/sim/costModels.js';
import type { StrategySpec } from '../engine/StrategySpec.js';
import type { BarStampMap } from '../market-data/barLabelling.js';
import type { BreakerLimits } from '../risk/CircuitBreaker.js';

/**
 * What every combination of a sweep shares besides the bars, as plain data (it crosses to worker
 * threads and, through Redis, to other machines): the backtest's settings for one strategy of a
 * config, whose `params` each combination replaces.
 */
export interface SweepSetup {
  readonly strategy: StrategySpec;
  readonly startingCash: number;
  readonly costs: CostSettings;
  readonly maxPositionPct: number;
  readonly riskFreeRate: number;
  readonly breakers: { readonly strategies: ReadonlyArray<readonly [string, BreakerLimits]>; readonly account: BreakerLimits } | null;
  /** Each file's way back from the daemon's time to its stamps (fill times as `npm run backtest` prints them). */
  /** A strategy of your own (strategies_dir): its module's absolute path and sha256, loaded where the backtests run; null for a built-in type. */
  readonly module: { readonly file: string; readonly sha256: string } | null;
  readonly stamps: ReadonlyArray<{ readonly symbol: string; readonly shift: number; readonly stamps: ReadonlyArray<readonly [number, number]> | null }>;
}

/** One backtest of a sweep: a combination of parameters over bars `lo` … `hi − 1`. */
export interface SweepJob {
  /** The combination's place in the grid (results are collected in this order). */
  readonly index: number;
  readonly params: Readonly<Record<string, unknown>>;
  readonly lo: number;
  readonly hi: number;
  /**
   * The first bar of a warm-up before `lo` (bars `warm` … `lo − 1` warm the indicators up, no order
   * is decided on them, as the daemon's warm-up on history); none when absent.
   */
  readonly warm?: number;
}

/** The stamp maps as plain pairs. */
export function plainStamps(entries: ReadonlyArray<[string, BarStampMap]>): SweepSetup['stamps'] {
  return entries.map(([symbol, m]) => ({ symbol, shift: m.shift, stamps: m.stamps === null ? null : [...m.stamps] }));
}
