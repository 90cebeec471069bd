import type { Bar } from '../core/Bar.js';
import { BarAggregator } from '../market-data/BarAggregator.js';
import { parseTimeframe } from '../market-data/Timeframe.js';
import type { MarketCalendar } from '../risk/calendar/MarketCalendar.js';

/** Completed bars kept per symbol and timeframe. */
const KEPT = 500;

/**
 * A strategy's longer timeframes (a 15-minute strategy reading the daily trend), built from the bars
 * it receives by the same session-aligned aggregation as the live feed. A timeframe is built from the
 * moment it is first asked for (the bar being processed included): ask from the first bar, warm-up
 * included. Nothing is kept for timeframes nobody asked for: the per-bar cost is nothing when the
 * owner keeps each symbol's last bar itself (`current`), else one map write.
 */
export class HigherTimeframes {
  readonly #calendar: MarketCalendar;
  readonly #aggregators = new Map<string, BarAggregator>();
  readonly #bars = new Map<string, Bar[]>();
  #labels: string[] = [];
  /** The bar being processed, per symbol: a timeframe asked for during it starts with it. */
  readonly #current = new Map<string, Bar>();
  readonly #lastBars: () => Iterable<Bar>;
  readonly #keepsCurrent: boolean;

  /** `current`: the last bar of each symbol, kept by the owner (the bar being processed included); default: kept here. */
  constructor(calendar: MarketCalendar, current?: () => Iterable<Bar>) {
    this.#calendar = calendar;
    this.#lastBars = current ?? (() => this.#current.values());
    this.#keepsCurrent = current === undefined;
  }

  /** Completed bars of `symbol` at `timeframe` (`1H`, `1D`, `15Min` …), oldest first, at most 500. */
  bars(symbol: string, timeframe: string): readonly Bar[] {
    const tf = parseTimeframe(timeframe);
    if (tf === null) throw new RangeError(`"${timeframe}" is not a timeframe (1M…59M, 1H…23H, 1D)`);
    if (!this.#aggregators.has(tf.label)) {
      const agg = new BarAggregator(tf, this.#calendar);
      this.#aggregators.set(tf.label, agg);
      this.#labels = [...this.#aggregators.keys()];
      for (const b of this.#lastBars()) this.#keep(`${b.symbol}|${tf.label}`, agg.push(b));
    }
    return this.#bars.get(`${symbol}|${tf.label}`) ?? [];
  }

  /** Every bar the strategy receives passes here first. */
  push(bar: Bar): void {
    if (this.#keepsCurrent) this.#current.set(bar.symbol, bar);
    for (let i = 0; i < this.#labels.length; i++) {
      const label = this.#labels[i]!;
      this.#keep(`${bar.symbol}|${label}`, this.#aggregators.get(label)!.push(bar));
    }
  }

  #keep(key: string, done: readonly Bar[]): void {
    if (done.length === 0) return;
    const list = this.#bars.get(key) ?? [];
    list.push(...done);
    if (list.length > KEPT) list.splice(0, list.length - KEPT);
    this.#bars.set(key, list);
  }
}
