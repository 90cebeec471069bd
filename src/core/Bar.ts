/**
 * One OHLCV bar. `time` is epoch milliseconds (UTC) of the bar's timestamp exactly as its source labels
 * it (Alpaca labels a bar by its start; the shipped eqker files label minute bars by their end).
 * Backtests report fill times with this label, so it is never shifted.
 */
export interface Bar {
  readonly symbol: string;
  readonly time: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}
