import type { ClosedTrade } from '../portfolio/ClosedTrade.js';
import type { BasicMetrics } from '../portfolio/basicMetrics.js';

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

/** What `npm run backtest -- --out FILE` writes (design.md contract). */
export interface BacktestResult {
  readonly strategy: string;
  readonly params: unknown;
  readonly startingCash: number;
  readonly finalValue: number;
  readonly bars: number;
  readonly elapsedMs: number;
  readonly barsPerSecond: number;
  readonly costs: { readonly slippage: string; readonly commission: string };
  readonly fills: readonly BacktestFill[];
  readonly trades: readonly BacktestTrade[];
  /** Orders the RiskGate refused or the broker rejected. */
  readonly rejections: number;
  readonly metrics: BasicMetrics;
}
