import type { ClosedTrade } from './ClosedTrade.js';
import type { Drawdown, EquityCurve } from './EquityCurve.js';

export type { Drawdown } from './EquityCurve.js';

/** Trading days in a year: daily figures are annualized with it. */
export const TRADING_DAYS_PER_YEAR = 252;

export interface MetricsOptions {
  /** Annual risk-free rate as a fraction (0.04 = 4 %); default 0. */
  readonly riskFreeRate?: number;
  /** Fills (executions) in the period; a round trip is two or more. */
  readonly fills?: number;
}

/**
 * The figures the seed judges a strategy by, and the usual companions. Conventions:
 * - returns are **daily**: the equity at the last point of each New York trading day that has
 *   points, the first compared with the starting equity;
 * - annualized with 252 trading days: volatility = σ·√252, Sharpe = mean(r − rf)/σ·√252, Sortino =
 *   mean(r − rf)/DD·√252 where σ is the sample standard deviation of the daily returns and DD the
 *   downside deviation √(Σ min(0, r − rf)² / n); rf is the daily risk-free rate (1 + annual)^(1/252) − 1;
 * - CAGR = (final/start)^(252/days) − 1 over the trading days in the period.
 * Ratios that would divide by zero (no variation, no losing day, no losing trade) are null.
 */
export interface Metrics {
  readonly startingEquity: number;
  readonly finalEquity: number;
  readonly totalReturn: number;
  readonly cagr: number | null;
  readonly tradingDays: number;
  readonly annualizedVolatility: number | null;
  readonly sharpe: number | null;
  readonly sortino: number | null;
  readonly riskFreeRate: number;
  readonly maxDrawdown: Drawdown;
  /** Closed round trips. */
  readonly trades: number;
  readonly winRate: number | null;
  /** Gross profit of winning trades / gross loss of losing trades. */
  readonly profitFactor: number | null;
  readonly averageWin: number | null;
  /** Mean net P&L of losing trades (negative). */
  readonly averageLoss: number | null;
  /** Mean net P&L per trade. */
  readonly expectancy: number | null;
  readonly tradesPerDay: number;
  readonly fills: number;
  readonly fillsPerDay: number;
  /** Share of the curve's points at which a position was open. */
  readonly exposure: number;
}

export function computeMetrics(curve: EquityCurve, trades: readonly ClosedTrade[], o: MetricsOptions = {}): Metrics {
  const c = curve.summary();
  const start = c.startingEquity;
  const rf = o.riskFreeRate ?? 0;
  const returns = c.returns;
  const days = returns.length;
  const finalEquity = c.finalEquity;
  const rfDaily = (1 + rf) ** (1 / TRADING_DAYS_PER_YEAR) - 1;
  const excess = returns.map((r) => r - rfDaily);
  const meanExcess = mean(excess);
  const sd = sampleStdev(returns);
  const downside = days === 0 ? null : Math.sqrt(excess.reduce((a, x) => a + Math.min(0, x) ** 2, 0) / days);
  const annual = Math.sqrt(TRADING_DAYS_PER_YEAR);

  let wins = 0;
  let losses = 0;
  let grossWin = 0;
  let grossLoss = 0;
  let net = 0;
  for (const t of trades) {
    net += t.netPnl;
    if (t.netPnl > 0) {
      wins++;
      grossWin += t.netPnl;
    } else if (t.netPnl < 0) {
      losses++;
      grossLoss -= t.netPnl;
    }
  }
  const fills = o.fills ?? 0;

  return {
    startingEquity: start,
    finalEquity,
    totalReturn: finalEquity / start - 1,
    cagr: days === 0 || finalEquity <= 0 ? null : (finalEquity / start) ** (TRADING_DAYS_PER_YEAR / days) - 1,
    tradingDays: days,
    annualizedVolatility: sd === null ? null : sd * annual,
    sharpe: sd === null || sd === 0 || meanExcess === null ? null : (meanExcess / sd) * annual,
    sortino: downside === null || downside === 0 || meanExcess === null ? null : (meanExcess / downside) * annual,
    riskFreeRate: rf,
    maxDrawdown: c.drawdown,
    trades: trades.length,
    winRate: trades.length === 0 ? null : wins / trades.length,
    profitFactor: grossLoss === 0 ? null : grossWin / grossLoss,
    averageWin: wins === 0 ? null : grossWin / wins,
    averageLoss: losses === 0 ? null : -grossLoss / losses,
    expectancy: trades.length === 0 ? null : net / trades.length,
    tradesPerDay: days === 0 ? 0 : trades.length / days,
    fills,
    fillsPerDay: days === 0 ? 0 : fills / days,
    exposure: c.points === 0 ? 0 : c.exposedPoints / c.points,
  };
}

function mean(xs: readonly number[]): number | null {
  return xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length;
}

function sampleStdev(xs: readonly number[]): number | null {
  if (xs.length < 2) return null;
  const m = mean(xs)!;
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}
