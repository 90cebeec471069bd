import type { Bar } from '../../core/Bar.js';

/** The bars the emulator knows for one symbol, labelled as Alpaca labels them (by their start), oldest first. */
export interface MarketSeries {
  readonly symbol: string;
  /** 1-minute bars: the replayed market and the `1Min` history. */
  readonly minute: readonly Bar[];
  /** 15-minute bars, when a file gives them (longer intraday history than the minute file). */
  readonly quarter: readonly Bar[];
  /** Daily bars stamped at New York midnight, as Alpaca stamps them. */
  readonly daily: readonly Bar[];
}
