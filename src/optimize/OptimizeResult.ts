import type { BacktestFill } from '../backtest/BacktestResult.js';
import type { Metrics } from '../portfolio/metrics.js';
import type { Heatmap, Stability } from './gridLandscape.js';
import type { CombinationResult, ReturnShape } from './runCombination.js';

/** One combination in the ranking: its result as the sweep kept it, with its rank and score. `index` is its place in the grid (the last parameter varies fastest). */
export interface RankedCombination extends Pick<CombinationResult, 'index' | 'finalValue' | 'fills' | 'trades' | 'rejections' | 'fillsDigest' | 'metrics'> {
  readonly rank: number;
  /** Its grid values (the strategy's other parameters are the config's). */
  readonly grid: Readonly<Record<string, unknown>>;
  /** The objective's value (null: too small a sample for it, or undefined for this run). */
  readonly value: number | null;
  /** Why there is no value (`5 of 20 trading days`, `4 of 10 closed trades`, `no variation`); null when there is one. */
  readonly na: string | null;
  /** A Sharpe or Sortino ratio computed mostly on idle days (in the market less than half of the time). */
  readonly flat: boolean;
}

/** The deflated Sharpe ratio of the best combination (Sharpe ratios per day, as the formula wants them). */
export interface DeflatedSharpeReport {
  readonly trials: number;
  /** Variance of the trials' daily Sharpe ratios. */
  readonly variance: number;
  /** The best daily Sharpe ratio luck alone would give after that many trials (SR₀), and annualized. */
  readonly benchmarkDaily: number;
  readonly benchmarkAnnualized: number;
  readonly sharpeDaily: number | null;
  readonly returns: ReturnShape;
  /** Probability that the best combination's true Sharpe ratio beats SR₀; null when undefined. */
  readonly probability: number | null;
  /** Why there is no probability (the best run's Sharpe ratio is n/a: `5 of 20 trading days`, `no variation`). */
  readonly na: string | null;
}

/** One fold of a walk-forward: chosen on the training window, judged on the test window. */
export interface WalkForwardFoldResult {
  readonly fold: number;
  readonly train: { readonly from: string | null; readonly to: string | null; readonly days: number; readonly bars: number };
  readonly test: { readonly from: string | null; readonly to: string | null; readonly days: number; readonly bars: number };
  readonly chosen: Readonly<Record<string, unknown>>;
  /** The objective's value of the choice on its training window. */
  readonly inSample: number | null;
  readonly inSampleNa: string | null;
  /** The objective's value on the test window. */
  readonly outOfSample: number | null;
  readonly outOfSampleNa: string | null;
  readonly finalValue: number;
  readonly fills: number;
  readonly trades: number;
  readonly fillsDigest: string;
  readonly metrics: Metrics;
}

/** The test windows' daily returns one after the other, as one out-of-sample record. */
export interface StitchedResult {
  readonly days: number;
  readonly totalReturn: number;
  /** Annualized (252 days) from the stitched daily returns; null from fewer than 20 days or without variation. */
  readonly sharpe: number | null;
  readonly sharpeNa: string | null;
  readonly maxDrawdown: number;
  readonly fills: number;
  readonly trades: number;
}

/** What `npm run optimize -- --out FILE` writes. */
export interface OptimizeResult {
  readonly strategy: { readonly id: string; readonly type: string; readonly symbols: readonly string[] };
  readonly metric: string;
  readonly grid: { readonly keys: readonly string[]; readonly values: ReadonlyArray<readonly unknown[]> };
  readonly combinations: number;
  readonly skipped: ReadonlyArray<{ readonly grid: Readonly<Record<string, unknown>>; readonly reason: string }>;
  readonly bars: number;
  readonly from: string | null;
  readonly to: string | null;
  /** Backtests run (combinations, times folds, plus a test per fold in a walk-forward). */
  readonly backtests: number;
  /** Where they ran: `N threads` or the queue's address without credentials. */
  readonly ranOn: string;
  readonly elapsedMs: number;
  /** A whole-period sweep: every combination, best first. */
  readonly ranking?: readonly RankedCombination[];
  readonly best?: RankedCombination;
  /** The best combination's fills, as `npm run backtest -- --out` writes them for those parameters. */
  readonly bestFills?: readonly BacktestFill[];
  readonly deflatedSharpe?: DeflatedSharpeReport;
  readonly heatmap?: Heatmap | null;
  readonly stability?: Stability;
  /** A walk-forward: only out-of-sample results. */
  readonly walkForward?: { readonly train: number; readonly test: number; readonly folds: readonly WalkForwardFoldResult[]; readonly stitched: StitchedResult };
}
