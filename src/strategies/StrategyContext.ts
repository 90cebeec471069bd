import type { Bar } from '../core/Bar.js';
import type { OrderIntent, OrderSide, OrderType, Trail } from '../core/Order.js';

/**
 * Why an order is sent, for the logs, the order journal and the state file: text, or a function
 * that writes it. A function is called only where the reason is kept (the daemon); a backtest
 * reports no reasons and never calls it, so a reason that formats prices costs nothing there.
 */
export type OrderReason = string | (() => string);

/** Options of a buy or sell; a market day order when omitted. */
export interface OrderOptions {
  readonly type?: OrderType;
  readonly limitPrice?: number;
  readonly stopPrice?: number;
  readonly reason?: OrderReason;
  /** Protective exits of an entry: a stop-loss and/or a take-profit price (see OrderIntent.bracket). */
  readonly stopLoss?: number;
  readonly takeProfit?: number;
  /** A trailing stop instead of a fixed one: `percent` (0.05 = 5 %) or `price` (dollars) under the highest price since the entry filled. */
  readonly trailingStop?: Trail;
}

/**
 * What a strategy sees and may do. It never sees a broker: `buy`/`sell`/`submit` hand an intent to the
 * runner, which passes it through the RiskGate; the outcome comes back through `onFill` or
 * `onOrderRejected`. During warm-up (`warmingUp`), intents are ignored: indicators learn, nothing trades.
 */
export interface StrategyContext {
  readonly strategyId: string;
  /** Time of the bar being processed (epoch ms). */
  readonly now: number;
  readonly warmingUp: boolean;
  /** The capital allocated to this strategy in the configuration. */
  readonly capital: number;
  cash(): number;
  equity(): number;
  /** Filled signed quantity held in `symbol` by this strategy (negative = short). */
  position(symbol: string): number;
  /**
   * The number of `symbol` among the strategy's symbols: its place in the configured list (0, 1 …; a
   * symbol outside the list gets the next free number), the same for the whole run. A strategy keeps
   * its per-symbol state in an array by this number: no map lookup per bar.
   */
  symbolIndex(symbol: string): number;
  /** True while an order of this strategy for `symbol` is waiting to be filled. */
  hasOpenOrder(symbol: string): boolean;
  /** The last bar seen for `symbol`, if any. */
  lastBar(symbol: string): Bar | undefined;
  /**
   * Completed bars of `symbol` at a longer `timeframe` (`1H`, `1D`…), built from this strategy's bars
   * by the live feed's session-aligned aggregation; oldest first, the last 500. Ask from the first
   * bar (warm-up included) so the history is there when it matters.
   */
  bars(symbol: string, timeframe: string): readonly Bar[];
  submit(intent: OrderIntent): void;
  buy(symbol: string, qty: number, options?: OrderOptions): void;
  sell(symbol: string, qty: number, options?: OrderOptions): void;
  /** Sends the order that brings the position in `symbol` back to zero, if there is one. */
  closePosition(symbol: string, reason?: OrderReason): void;
}

/** A fill as the strategy sees it, with the P&L it realised (0 on an entry). */
export interface StrategyFill {
  readonly symbol: string;
  readonly side: OrderSide;
  readonly qty: number;
  readonly price: number;
  readonly time: number;
  readonly realizedPnl: number;
}

/** Why an intent did not become a position. */
export interface OrderRejection {
  readonly intent: OrderIntent;
  /** `risk` when the RiskGate refused it, `broker` when the venue did. */
  readonly source: 'risk' | 'broker';
  /** The risk rule or broker code. */
  readonly rule: string;
  readonly reason: string;
}
