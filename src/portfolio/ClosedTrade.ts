/** A round trip: from flat to flat in one symbol (a flip closes one trade and opens the next). */
export interface ClosedTrade {
  readonly symbol: string;
  readonly direction: 'long' | 'short';
  /** Largest absolute quantity held during the trade. */
  readonly qty: number;
  readonly entryTime: number;
  readonly exitTime: number;
  /** Volume-weighted entry and exit prices. */
  readonly entryPrice: number;
  readonly exitPrice: number;
  /** P&L before costs. */
  readonly grossPnl: number;
  readonly commission: number;
  /** P&L after costs: what the loss-streak breaker and the win rate count. */
  readonly netPnl: number;
}
