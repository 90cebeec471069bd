import type { Metrics } from '../portfolio/metrics.js';
import { honestRatio, SAMPLE_RULES, type HonestRatio, type Ratio } from '../portfolio/sampleRules.js';

/** A figure to rank combinations by, and which way is better. */
export interface Objective {
  readonly name: string;
  readonly label: string;
  readonly higherIsBetter: boolean;
  /**
   * The ratio this figure is, when it is one: it then ranks only runs whose sample allows it
   * (docs/metrics.md: 20 trading days for ratios of daily returns, 10 closed trades for ratios of trades).
   */
  readonly ratio: Ratio | null;
  /** Null when the figure is undefined for a run (e.g. no variation: no Sharpe ratio). */
  value(m: Metrics): number | null;
}

/** The metrics `--metric` can name. */
export const objectives = {
  sharpe: { name: 'sharpe', label: 'Sharpe ratio', higherIsBetter: true, ratio: 'sharpe', value: (m) => m.sharpe },
  sortino: { name: 'sortino', label: 'Sortino ratio', higherIsBetter: true, ratio: 'sortino', value: (m) => m.sortino },
  return: { name: 'return', label: 'total return', higherIsBetter: true, ratio: null, value: (m) => m.totalReturn },
  cagr: { name: 'cagr', label: 'CAGR', higherIsBetter: true, ratio: 'cagr', value: (m) => m.cagr },
  drawdown: { name: 'drawdown', label: 'max drawdown', higherIsBetter: false, ratio: null, value: (m) => m.maxDrawdown.depth },
  profit_factor: { name: 'profit_factor', label: 'profit factor', higherIsBetter: true, ratio: 'profitFactor', value: (m) => m.profitFactor },
  expectancy: { name: 'expectancy', label: 'expectancy', higherIsBetter: true, ratio: null, value: (m) => m.expectancy },
  win_rate: { name: 'win_rate', label: 'win rate', higherIsBetter: true, ratio: 'winRate', value: (m) => m.winRate },
} as const satisfies Readonly<Record<string, Objective>>;

export type ObjectiveName = keyof typeof objectives;

/** Whether the objective is a ratio of daily returns (it needs 20 trading days in every run it ranks). */
export const needsDays = (o: Objective): boolean => o.ratio === 'sharpe' || o.ratio === 'sortino' || o.ratio === 'cagr' || o.ratio === 'annualizedVolatility';

/**
 * A run's score: the objective's value as it may be shown, or null with the reason (a sample too
 * small for the ratio, a zero divisor). A Sharpe ratio from five days ranks nothing.
 */
export function score(o: Objective, m: Metrics): HonestRatio {
  if (o.ratio !== null) return honestRatio(m, o.ratio);
  const value = o.value(m);
  return value === null || Number.isNaN(value) ? { value: null, na: 'no trades', flat: false } : { value, na: null, flat: false };
}

/** The score's words: `1.2345`, `n/a (5 of 20 trading days)`, `1.2345*` (a Sharpe ratio on mostly idle days). */
export function formatScore(s: HonestRatio, digits = 4): string {
  if (s.value === null) return `n/a (${s.na})`;
  return `${s.value.toFixed(digits)}${s.flat ? '*' : ''}`;
}

/**
 * Refuses, before any backtest runs, a ratio of daily returns over windows too short to have one:
 * every run would be n/a and the ranking would be the grid's order.
 */
export function checkSample(o: Objective, days: number, what: string): string | null {
  if (!needsDays(o) || days >= SAMPLE_RULES.minTradingDays) return null;
  return `--metric ${o.name}: ${o.label}s need ${SAMPLE_RULES.minTradingDays} trading days (docs/metrics.md) and ${what} ${days}; rank by --metric return, drawdown or expectancy, or give more days of data`;
}

/**
 * Orders by the objective, best first; runs without a score (too small a sample, undefined) last;
 * ties keep the grid's order (the earlier combination first), so the ranking is the same on every
 * run and every machine.
 */
export function rank<T extends { readonly index: number; readonly metrics: Metrics }>(items: readonly T[], o: Objective): T[] {
  const key = (t: T): number => {
    const v = score(o, t.metrics).value;
    return v === null ? Number.NEGATIVE_INFINITY : o.higherIsBetter ? v : -v;
  };
  return [...items].sort((a, b) => key(b) - key(a) || a.index - b.index);
}
