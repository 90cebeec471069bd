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

/** What the replayed market publishes, in time order: Alpaca's `q`, `t`, `b`, `u` and `d` messages. */
export type MarketEvent =
  | { readonly kind: 'quote'; readonly time: number; readonly quote: Quote }
  | { readonly kind: 'trade'; readonly time: number; readonly trade: Trade }
  | { readonly kind: 'bar' | 'updatedBar' | 'dailyBar'; readonly time: number; readonly bar: StreamBar };
