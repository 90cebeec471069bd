import type { ClosedTrade } from '../portfolio/ClosedTrade.js';
import type { Metrics } from '../portfolio/metrics.js';
import type { HonestRatio, Ratio } from '../portfolio/sampleRules.js';
import type { TargetsVerdict } from '../portfolio/validationTargets.js';
import type { MonthlyReturn } from './monthlyReturns.js';

/** One fill as the backtest contract reports it (times ISO-8601 UTC). */
export interface BacktestFill {
  readonly strategy: string;
  readonly symbol: string;
  readonly signalTime: string;
  readonly fillTime: string;
  readonly side: 'buy' | 'sell';
  readonly qty: number;
  readonly price: number;
  readonly commission: number;
}

export interface BacktestTrade extends Omit<ClosedTrade, 'entryTime' | 'exitTime'> {
  readonly strategy: string;
  readonly entryTime: string;
  readonly exitTime: string;
}

export interface StrategyBacktest {
  readonly id: string;
  readonly type: string;
  readonly params: unknown;
  readonly symbols: readonly string[];
  readonly capital: number;
  readonly finalValue: number;
  readonly fills: number;
  readonly rejections: number;
  /** Refused or rejected orders by rule. */
  readonly denials: Readonly<Record<string, number>>;
  /** The exact figures (a ratio from a handful of days included): `ratios` says which of them may be shown. */
  readonly metrics: Metrics;
  /** Each ratio as the reports show it: null with the reason when the sample is too small (docs/metrics.md). */
  readonly ratios: Readonly<Record<Ratio, HonestRatio>>;
  /** The seed targets' verdict: judged from a minimum sample, missed when the breaker tripped. */
  readonly targets: TargetsVerdict;
  /** This strategy's equity (from its capital); at most 1,025 points, thinned as the total's (only when asked for: `strategyEquity`). */
  readonly equity?: ReadonlyArray<{ readonly time: string; readonly equity: number }>;
}

/** A circuit breaker that tripped or resumed during the run. */
export interface BacktestBreakerEvent {
  readonly kind: 'tripped' | 'resumed';
  readonly scope: string;
  readonly rule: string;
  readonly time: string;
  readonly text: string;
}

/** How one input file stamps its bars (see `--bar-time`). */
export interface BacktestBarTime {
  readonly symbol: string;
  readonly file: string;
  /** `start` / `end` of each intraday bar, or `session`: daily bars, each its date's session. */
  readonly stamps: 'start' | 'end' | 'session';
  /** The intraday bar's length; null for daily bars. */
  readonly barSeconds: number | null;
  /** The flag, or what in the data decided it. */
  readonly reason: string;
}

/**
 * What `npm run backtest -- --out FILE` writes (design.md contract, plus per-strategy results and
 * the equity series). With one strategy `strategy`/`params` are its type and parameters; a
 * portfolio backtest from a config says `portfolio` and lists the strategies.
 */
export interface BacktestResult {
  readonly strategy: string;
  readonly params: unknown;
  readonly startingCash: number;
  readonly finalValue: number;
  readonly bars: number;
  readonly from: string | null;
  readonly to: string | null;
  readonly elapsedMs: number;
  readonly barsPerSecond: number;
  readonly costs: { readonly slippage: string; readonly commission: string };
  readonly fills: readonly BacktestFill[];
  readonly trades: readonly BacktestTrade[];
  /** Orders the RiskGate refused or the broker rejected. */
  readonly rejections: number;
  /** Over the strategies' capital together (the unallocated cash does not trade). */
  readonly metrics: Metrics;
  readonly ratios: Readonly<Record<Ratio, HonestRatio>>;
  readonly strategies: readonly StrategyBacktest[];
  /** Circuit-breaker trips and resumes, in time order (none without breakers). */
  readonly breakerEvents: readonly BacktestBreakerEvent[];
  /** The strategies' total equity; at most 1,025 points (evenly thinned, the last one always kept). */
  readonly equity: ReadonlyArray<{ readonly time: string; readonly equity: number }>;
  /** The total's return in each New York calendar month (over the strategies' capital, as `metrics`), exact over every bar. */
  readonly monthly: readonly MonthlyReturn[];
  /** How each input file stamps its bars (the command line's files; absent when bars were given directly). */
  readonly barTime?: readonly BacktestBarTime[];
  /** The total's daily returns, the first against the starting equity (only when asked for: `dailyReturns`). */
  readonly dailyReturns?: readonly number[];
}
