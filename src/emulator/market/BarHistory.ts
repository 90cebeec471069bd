import type { Bar } from '../../core/Bar.js';
import { NEW_YORK, nyDateOf, nyMinuteOfDay, wallTimeToUtc, zoneOffset } from '../../market-data/zonedTime.js';
import type { MarketCalendar } from '../../risk/calendar/MarketCalendar.js';
import { intradayMinutes, type AlpacaTimeframe } from './AlpacaTimeframe.js';
import type { StreamBar } from './MarketEvent.js';
import type { MarketSeries } from './MarketSeries.js';
import { pathVwap } from './pricePath.js';

/** A bar and when it becomes known: its first part (a bucket still forming), then all of it. */
interface Known {
  readonly bar: StreamBar;
  readonly visibleAt: number;
  readonly completeAt: number;
}

const MINUTE = 60_000;

/**
 * Historical bars for GET /v2/stocks/bars: the replayed files, aggregated to the asked timeframe on
 * New York clock boundaries (15-minute bars at :00, :15 …, hourly bars on the hour, daily bars at
 * midnight, weekly on Monday, monthly on the 1st), and never a bar the emulator's market has not
 * reached yet (a bucket still forming is given as far as it goes, as Alpaca gives it).
 */
export class BarHistory {
  readonly #series: ReadonlyMap<string, MarketSeries>;
  readonly #calendar: MarketCalendar;
  readonly #cache = new Map<string, readonly Known[]>();

  constructor(series: readonly MarketSeries[], calendar: MarketCalendar) {
    this.#series = new Map(series.map((s) => [s.symbol, s]));
    this.#calendar = calendar;
  }

  has(symbol: string): boolean {
    return this.#series.has(symbol);
  }

  /** The bars of `symbol` with start in [start, end], known at `now`, oldest first. */
  bars(symbol: string, tf: AlpacaTimeframe, start: number, end: number, now: number): StreamBar[] {
    const all = this.#aggregated(symbol, tf);
    const out: StreamBar[] = [];
    let lo = 0;
    let hi = all.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (all[mid]!.bar.time < start) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < all.length; i++) {
      const k = all[i]!;
      if (k.bar.time > end) break;
      if (k.visibleAt > now) break;
      out.push(k.completeAt <= now ? k.bar : this.#asOf(symbol, tf, k, now));
    }
    return out;
  }

  /** An aggregate whose last parts come after `now` is rebuilt from the parts known at `now`. */
  #asOf(symbol: string, tf: AlpacaTimeframe, k: Known, now: number): StreamBar {
    const parts = this.#parts(symbol, tf).filter((p) => p.visibleAt <= now && this.#bucket(p.bar.time, tf) === k.bar.time);
    return parts.length === 0 ? k.bar : merge(parts.map((p) => p.bar), k.bar.time);
  }

  #aggregated(symbol: string, tf: AlpacaTimeframe): readonly Known[] {
    const key = `${symbol}|${tf.label}`;
    const hit = this.#cache.get(key);
    if (hit !== undefined) return hit;
    const parts = this.#parts(symbol, tf);
    const out: Known[] = [];
    let group: Known[] = [];
    const flush = (): void => {
      if (group.length === 0) return;
      const bar = merge(
        group.map((g) => g.bar),
        this.#bucket(group[0]!.bar.time, tf),
      );
      out.push({ bar, visibleAt: group[0]!.visibleAt, completeAt: group[group.length - 1]!.completeAt });
      group = [];
    };
    for (const p of parts) {
      if (group.length > 0 && this.#bucket(p.bar.time, tf) !== this.#bucket(group[0]!.bar.time, tf)) flush();
      group.push(p);
    }
    flush();
    this.#cache.set(key, out);
    return out;
  }

  /** The source bars a timeframe is built from: minutes, quarters (if they divide it), or days. */
  #parts(symbol: string, tf: AlpacaTimeframe): readonly Known[] {
    const key = `${symbol}|parts|${tf.label}`;
    const hit = this.#cache.get(key);
    if (hit !== undefined) return hit;
    const s = this.#series.get(symbol);
    if (s === undefined) return [];
    const minutes = intradayMinutes(tf);
    let parts: Known[];
    if (minutes > 0) {
      const source = minutes % 15 === 0 && s.quarter.length > 0 ? s.quarter : s.minute;
      const size = source === s.quarter ? 15 * MINUTE : MINUTE;
      parts = source.map((b) => known(b, b.time + size));
    } else if (s.daily.length > 0) {
      parts = s.daily.map((b) => known(b, this.#calendar.session(nyDateOf(b.time))?.close ?? b.time + 86_400_000));
    } else {
      parts = s.minute.map((b) => known(b, b.time + MINUTE));
    }
    this.#cache.set(key, parts);
    return parts;
  }

  /** Start of the bucket holding an instant, on New York clock boundaries. */
  #bucket(ms: number, tf: AlpacaTimeframe): number {
    const minutes = intradayMinutes(tf);
    const date = nyDateOf(ms);
    const y = Number(date.slice(0, 4));
    const mo = Number(date.slice(5, 7));
    const d = Number(date.slice(8, 10));
    if (minutes > 0) {
      const m = Math.floor(nyMinuteOfDay(ms) / minutes) * minutes;
      return wallTimeToUtc(y, mo, d, Math.floor(m / 60), m % 60, 0, 0, NEW_YORK);
    }
    if (tf.unit === 'Day') return wallTimeToUtc(y, mo, d, 0, 0, 0, 0, NEW_YORK);
    if (tf.unit === 'Week') {
      const weekday = new Date(ms + zoneOffset(ms, NEW_YORK)).getUTCDay();
      const back = (weekday + 6) % 7;
      const monday = new Date(Date.UTC(y, mo - 1, d - back));
      return wallTimeToUtc(monday.getUTCFullYear(), monday.getUTCMonth() + 1, monday.getUTCDate(), 0, 0, 0, 0, NEW_YORK);
    }
    const first = Math.floor((mo - 1) / tf.amount) * tf.amount + 1;
    return wallTimeToUtc(y, first, 1, 0, 0, 0, 0, NEW_YORK);
  }
}

/** A file bar as Alpaca gives it (trade count and VWAP of the replayed price path), known once it ends. */
function known(b: Bar, end: number): Known {
  return { bar: { ...b, tradeCount: 4, vwap: pathVwap(b) }, visibleAt: end, completeAt: end };
}

function merge(bars: readonly StreamBar[], time: number): StreamBar {
  const first = bars[0]!;
  let high = first.high;
  let low = first.low;
  let volume = 0;
  let notional = 0;
  let tradeCount = 0;
  for (const b of bars) {
    if (b.high > high) high = b.high;
    if (b.low < low) low = b.low;
    volume += b.volume;
    notional += b.vwap * b.volume;
    tradeCount += b.tradeCount;
  }
  const last = bars[bars.length - 1]!;
  return { symbol: first.symbol, time, open: first.open, high, low, close: last.close, volume, tradeCount, vwap: volume > 0 ? Math.round((notional / volume) * 10_000) / 10_000 : last.close };
}
