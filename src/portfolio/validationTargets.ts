import type { Metrics } from './metrics.js';

/**
 * The seed's bar for a strategy worth real money, judged on its paper-trading (or backtest)
 * metrics: Sharpe above 1.5, more winning than losing trades, a worst drawdown under 15 %, and
 * fewer than 20 trades a day. A figure that cannot be computed (no trades, no variation) misses.
 */
export const VALIDATION_TARGETS = [
  { name: 'Sharpe > 1.5', met: (m: Metrics): boolean => m.sharpe !== null && m.sharpe > 1.5 },
  { name: 'win rate > 50%', met: (m: Metrics): boolean => m.winRate !== null && m.winRate > 0.5 },
  { name: 'max drawdown < 15%', met: (m: Metrics): boolean => m.maxDrawdown.depth < 0.15 },
  { name: 'trades/day < 20', met: (m: Metrics): boolean => m.tradesPerDay < 20 },
] as const;

/** The names of the targets `m` misses, in the order above; empty when it meets them all. */
export function missedTargets(m: Metrics): string[] {
  return VALIDATION_TARGETS.filter((t) => !t.met(m)).map((t) => t.name);
}
