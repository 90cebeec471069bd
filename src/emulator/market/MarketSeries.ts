import type { Bar } from '../../core/Bar.js';

/** The bars the emulator knows for one symbol, labelled as Alpaca labels them (by their start), oldest first. */
export interface MarketSeries {
  readonly symbol: string;
  /** 1-minute bars: the replayed market and the history of every timeframe (extended hours included). */
  readonly minute: readonly Bar[];
  /** 15-minute bars, when a file gives them (longer intraday history than the minute file). */
  readonly quarter: readonly Bar[];
  /** Daily bars stamped at New York midnight, as Alpaca stamps them. */
  readonly daily: readonly Bar[];
  /** Where the symbol is listed (`assets.csv`); the emulator says NYSE when the data does not. */
  readonly listing?: { readonly exchange: 'AMEX' | 'ARCA' | 'BATS' | 'NYSE' | 'NASDAQ' | 'NYSEARCA' | 'OTC'; readonly name?: string };
}
