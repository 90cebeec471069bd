import type { Bar } from '../core/Bar.js';
import type { MarketCalendar } from '../risk/calendar/MarketCalendar.js';
import { nyDateOf } from './zonedTime.js';
import type { Timeframe } from './Timeframe.js';

/**
 * Builds a strategy's bars from 1-minute bars, on session-aligned boundaries: buckets of the
 * timeframe counted from the open (09:30, 09:45 … for 15 minutes; 09:30, 10:30 … for an hour; the
 * last one cut at the close), a day being the whole session. Bars are stamped at their end, the
 * daemon's convention: a bar stamped t is complete at t. A bucket is emitted when its last minute
 * arrives, or when a later minute shows it is over (minutes without trades send no bar).
 */
export class BarAggregator {
  readonly #tf: Timeframe;
  readonly #calendar: MarketCalendar;
  readonly #open = new Map<string, { end: number; bar: Bar }>();
  /** Per symbol, the end of the last bucket emitted: the strategies have it, it is not emitted again. */
  readonly #emitted = new Map<string, number>();

  constructor(timeframe: Timeframe, calendar: MarketCalendar) {
    this.#tf = timeframe;
    this.#calendar = calendar;
  }

  /** Adds a minute bar (stamped at its end); returns the bars it completes, oldest first. */
  push(minute: Bar): Bar[] {
    if (this.#tf.ms === 60_000) return [minute];
    const out: Bar[] = [];
    const end = this.#bucketEnd(minute.time);
    // A minute that came after its bucket was closed without it (a late bar): the strategies keep the
    // bucket they saw, as they keep a bar Alpaca revises later (`u`); a second bar for it would count twice.
    if (end <= (this.#emitted.get(minute.symbol) ?? Number.NEGATIVE_INFINITY)) return out;
    const open = this.#open.get(minute.symbol);
    if (open !== undefined && open.end !== end) {
      out.push(open.bar);
      this.#open.delete(minute.symbol);
      this.#emitted.set(minute.symbol, open.end);
    }
    const current = this.#open.get(minute.symbol);
    const bar: Bar =
      current === undefined
        ? { ...minute, time: end }
        : { symbol: minute.symbol, time: end, open: current.bar.open, high: Math.max(current.bar.high, minute.high), low: Math.min(current.bar.low, minute.low), close: minute.close, volume: current.bar.volume + minute.volume };
    if (minute.time >= end) {
      out.push(bar);
      this.#open.delete(minute.symbol);
      this.#emitted.set(minute.symbol, end);
    } else this.#open.set(minute.symbol, { end, bar });
    return out;
  }

  /** Emits the buckets that are over at `now` though their last minute never came. */
  flush(now: number): Bar[] {
    const out: Bar[] = [];
    for (const [symbol, o] of this.#open) {
      if (o.end <= now) {
        out.push(o.bar);
        this.#open.delete(symbol);
        this.#emitted.set(symbol, o.end);
      }
    }
    return out;
  }

  /** End of the session-aligned bucket holding the minute that ends at `t`. */
  #bucketEnd(t: number): number {
    const s = this.#calendar.session(nyDateOf(t - 1));
    if (s === null) return t;
    if (this.#tf.unit === 'Day') return s.close;
    const k = Math.ceil((t - s.open) / this.#tf.ms);
    return Math.min(s.open + Math.max(1, k) * this.#tf.ms, s.close);
  }
}
