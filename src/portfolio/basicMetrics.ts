import { nyDateOf } from '../market-data/zonedTime.js';
import type { ClosedTrade } from './ClosedTrade.js';
import type { EquityPoint } from './EquityPoint.js';

export interface BasicMetrics {
  readonly startingEquity: number;
  readonly finalEquity: number;
  /** finalEquity / startingEquity − 1. */
  readonly totalReturn: number;
  /** Deepest fall from a running peak of the equity curve, as a fraction of that peak (0.1 = 10 %). */
  readonly maxDrawdown: number;
  readonly closedTrades: number;
  /** Share of closed round trips with net P&L > 0; null without trades. */
  readonly winRate: number | null;
  readonly fills: number;
  /** Fills per New York trading day that had bars. */
  readonly fillsPerDay: number;
  /**
   * Daily Sharpe ratio: returns of the last equity of each New York trading day, mean over sample
   * standard deviation, × √252, risk-free rate 0. Null with fewer than two daily returns or none varying.
   */
  readonly sharpe: number | null;
}

/** The seed's headline figures; the full metrics module builds on the same inputs. */
export function basicMetrics(curve: readonly EquityPoint[], trades: readonly ClosedTrade[], fills: number, startingEquity: number): BasicMetrics {
  const finalEquity = curve.length > 0 ? curve[curve.length - 1]!.equity : startingEquity;
  let peak = startingEquity;
  let maxDrawdown = 0;
  const dayClose = new Map<string, number>();
  for (const p of curve) {
    if (p.equity > peak) peak = p.equity;
    if (peak > 0) maxDrawdown = Math.max(maxDrawdown, (peak - p.equity) / peak);
    dayClose.set(nyDateOf(p.time), p.equity);
  }
  const closes = [startingEquity, ...dayClose.values()];
  const returns: number[] = [];
  for (let i = 1; i < closes.length; i++) returns.push(closes[i]! / closes[i - 1]! - 1);
  const wins = trades.filter((t) => t.netPnl > 0).length;
  return {
    startingEquity,
    finalEquity,
    totalReturn: finalEquity / startingEquity - 1,
    maxDrawdown,
    closedTrades: trades.length,
    winRate: trades.length === 0 ? null : wins / trades.length,
    fills,
    fillsPerDay: dayClose.size === 0 ? 0 : fills / dayClose.size,
    sharpe: sharpe(returns),
  };
}

function sharpe(returns: readonly number[]): number | null {
  if (returns.length < 2) return null;
  const mean = returns.reduce((a, b) => a + b, 0) / returns.length;
  const variance = returns.reduce((a, r) => a + (r - mean) ** 2, 0) / (returns.length - 1);
  if (!(variance > 0)) return null;
  return (mean / Math.sqrt(variance)) * Math.sqrt(252);
}
