/** One line of the live checklist: passed or not, what was measured, and what is missing to pass. */
export interface ReadinessItem {
  readonly item: 1 | 2 | 3 | 4 | 5 | 6;
  readonly name: string;
  readonly pass: boolean;
  readonly measured: string;
  /** What it takes to pass, one entry per thing missing (empty when it passes). */
  readonly missing: readonly string[];
}

export const ITEM_NAMES = {
  1: '3 months of profitable paper trading',
  2: 'Sharpe > 2.0, an edge not luck',
  3: 'max drawdown < 10 %',
  4: 'strategy unchanged',
  5: 'live plan',
  6: 'paper fills vs backtest',
} as const;

export const pctText = (x: number, digits = 2): string => `${(x * 100).toFixed(digits)} %`;
export const signedPct = (x: number): string => `${x >= 0 ? '+' : '−'}${(Math.abs(x) * 100).toFixed(2)} %`;
