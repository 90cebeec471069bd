import type { Metrics } from '../portfolio/metrics.js';

/** A figure to rank combinations by, and which way is better. */
export interface Objective {
  readonly name: string;
  readonly label: string;
  readonly higherIsBetter: boolean;
  /** Null when the figure is undefined for a run (e.g. no variation: no Sharpe ratio). */
  value(m: Metrics): number | null;
}

/** The metrics `--metric` can name. */
export const objectives = {
  sharpe: { name: 'sharpe', label: 'Sharpe', higherIsBetter: true, value: (m) => m.sharpe },
  sortino: { name: 'sortino', label: 'Sortino', higherIsBetter: true, value: (m) => m.sortino },
  return: { name: 'return', label: 'total return', higherIsBetter: true, value: (m) => m.totalReturn },
  cagr: { name: 'cagr', label: 'CAGR', higherIsBetter: true, value: (m) => m.cagr },
  drawdown: { name: 'drawdown', label: 'max drawdown', higherIsBetter: false, value: (m) => m.maxDrawdown.depth },
  profit_factor: { name: 'profit_factor', label: 'profit factor', higherIsBetter: true, value: (m) => m.profitFactor },
  expectancy: { name: 'expectancy', label: 'expectancy', higherIsBetter: true, value: (m) => m.expectancy },
  win_rate: { name: 'win_rate', label: 'win rate', higherIsBetter: true, value: (m) => m.winRate },
} as const satisfies Readonly<Record<string, Objective>>;

export type ObjectiveName = keyof typeof objectives;

/**
 * Orders by the objective, best first; undefined values last; ties keep the grid's order (the
 * earlier combination first), so the ranking is the same on every run and every machine.
 */
export function rank<T extends { readonly index: number; readonly metrics: Metrics }>(items: readonly T[], o: Objective): T[] {
  const key = (t: T): number => {
    const v = o.value(t.metrics);
    return v === null || Number.isNaN(v) ? Number.NEGATIVE_INFINITY : o.higherIsBetter ? v : -v;
  };
  return [...items].sort((a, b) => key(b) - key(a) || a.index - b.index);
}
