import type { Bar } from '../../core/Bar.js';
import type { Quote } from '../../core/Quote.js';

/** A bar as Alpaca publishes it: labelled by its start, with its trade count and volume-weighted price. */
export interface StreamBar extends Bar {
  readonly tradeCount: number;
  readonly vwap: number;
}

/** One print on the tape. */
export interface Trade {
  readonly symbol: string;
  readonly time: number;
  readonly id: number;
  readonly price: number;
  readonly size: number;
}

/**
 * The opening or closing auction of a symbol's session: market-on-open / -close orders (and the limit
 * ones) trade at its price, the open of the session's first minute or the close of its last.
 */
export interface Auction {
  readonly symbol: string;
  readonly phase: 'open' | 'close';
  readonly time: number;
  readonly price: number;
}

/**
 * What the replayed market publishes, in time order: Alpaca's `q`, `t`, `b`, `u` and `d` messages, and
 * the auctions (for the venue only: nothing goes on the stream for them). A trade's `time` is when it
 * is reported (a late print comes after its minute), `trade.time` when it happened.
 */
export type MarketEvent =
  | { readonly kind: 'quote'; readonly time: number; readonly quote: Quote }
  | { readonly kind: 'trade'; readonly time: number; readonly trade: Trade }
  | { readonly kind: 'bar' | 'updatedBar' | 'dailyBar'; readonly time: number; readonly bar: StreamBar }
  | { readonly kind: 'auction'; readonly time: number; readonly auction: Auction };
