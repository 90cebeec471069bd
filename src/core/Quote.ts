/**
 * The best bid and offer (NBBO) for a symbol at a moment, as Alpaca's `q` messages carry it.
 * Paper orders are matched against it: buys at the ask, sells at the bid.
 */
export interface Quote {
  readonly symbol: string;
  /** Epoch milliseconds. */
  readonly time: number;
  readonly bid: number;
  readonly ask: number;
  readonly bidSize: number;
  readonly askSize: number;
}
