/** What the RiskGate may know about the strategy that sends an intent. */
export interface RiskView {
  readonly strategyId: string;
  readonly capital: number;
  readonly paused: boolean;
  /** Time of the decision: the strategy's latest bar (market time). */
  readonly now: number;
  /** Ledger cash minus what its open buy orders are expected to cost. */
  availableCash(): number;
  /** Filled signed position. */
  position(symbol: string): number;
  /** Signed quantity of the strategy's open orders in `symbol` (buys +, sells −). */
  pendingQty(symbol: string): number;
  /** Last known price of `symbol`. */
  price(symbol: string): number | undefined;
  /** The highest price `symbol` traded at in this New York day and the last one before it (undefined: none seen). */
  priceCeiling(symbol: string): number | undefined;
}
