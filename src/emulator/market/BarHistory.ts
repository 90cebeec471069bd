import type { Bar } from '../../core/Bar.js';
import { NEW_YORK, nyDateOf, nyMinuteOfDay, wallTimeToUtc, zoneOffset } from '../../market-data/zonedTime.js';
import type { MarketCalendar } from '../../risk/calendar/MarketCalendar.js';
import { intradayMinutes, type AlpacaTimeframe } from './AlpacaTimeframe.js';
import type { StreamBar } from './MarketEvent.js';
import type { MarketSeries } from './MarketSeries.js';
import { minuteTape, printCount, UPDATED_BAR_DELAY, type TapeOptions } from './minuteTape.js';

/**
 * A bar and when it becomes known: visible once its first part is, complete once its last part is
 * final. A minute revised by a late print is `early` until then; an aggregate is rebuilt from what of
 * its parts is known at the moment asked.
 */
interface Known {
  readonly bar: StreamBar;
  readonly visibleAt: number;
  readonly completeAt: number;
  readonly early?: StreamBar;
  readonly parts?: readonly Known[];
}

/** One symbol's history levels, built on first use. */
interface Levels {
  /** Every replayed minute (extended hours included), oldest first. */
  readonly minutes: readonly Known[];
  /** The raw minute bars, for the tape (trades and quotes). */
  readonly minuteBars: readonly Bar[];
  /** One bar a trading day: the day's regular minutes, or the daily file before the minutes begin. */
  readonly days: readonly Known[];
  /** The 15-minute file's bars on days the minutes do not cover. */
  readonly quarters: readonly Known[];
  readonly byTimeframe: Map<string, readonly Known[]>;
}

const MINUTE = 60_000;
const QUARTER = 15 * MINUTE;
const DAY = 86_400_000;
const round4 = (x: number): number => Math.round(x * 10_000) / 10_000;

/**
 * Historical bars for GET /v2/stocks/bars, as Alpaca builds them: every timeframe aggregated from the
 * replayed minutes (the very bars, trade counts and VWAPs the streams published) on New York clock
 * boundaries: `[1-59]Min` from :00, hours on the hour, days at midnight, weeks on Monday, months on the
 * 1st. Intraday bars include the extended-hours minutes (Alpaca's hourly 09:00 bar holds 09:00–09:59:
 * alpacahq/alpaca-py#580); daily bars (and weeks, months) hold the regular session only (Alpaca's
 * snapshot example, market-data-api.json: at 06:19 ET the `dailyBar` is still the previous session's).
 * Days before the minutes begin come from the longer files (`_15min` for intraday timeframes that are
 * multiples of 15 minutes, `_daily` for days and longer). Never a bar the market has not reached; the
 * bar still forming is given as far as it goes (Alpaca gives it).
 */
export class BarHistory {
  readonly #series: ReadonlyMap<string, MarketSeries>;
  readonly #calendar: MarketCalendar;
  readonly #tape: TapeOptions;
  readonly #levels = new Map<string, Levels>();

  constructor(series: readonly MarketSeries[], calendar: MarketCalendar, tape: TapeOptions = { seed: 1, updatedBarRate: 0 }) {
    this.#series = new Map(series.map((s) => [s.symbol, s]));
    this.#calendar = calendar;
    this.#tape = tape;
  }

  has(symbol: string): boolean {
    return this.#series.has(symbol);
  }

  /** The bars of `symbol` with start in [start, end], as known at `now`, oldest first. */
  bars(symbol: string, tf: AlpacaTimeframe, start: number, end: number, now: number): StreamBar[] {
    const all = this.#aggregated(symbol, tf);
    const out: StreamBar[] = [];
    for (let i = lowerBound(all, start); i < all.length; i++) {
      const k = all[i]!;
      if (k.bar.time > end || k.visibleAt > now) break;
      out.push(asOf(k, now));
    }
    return out;
  }

  /** The regular-session close of the last trading day before `now`'s New York date (a position's `lastday_price`). */
  previousClose(symbol: string, now: number): number | undefined {
    const days = this.#of(symbol)?.days ?? [];
    const i = lowerBound(days, nyMidnight(nyDateOf(now))) - 1;
    return i >= 0 ? days[i]!.bar.close : undefined;
  }

  /** The last price printed by `at`: the close of the last minute ended by then (else of the last day closed). */
  priceAt(symbol: string, at: number): number | undefined {
    const l = this.#of(symbol);
    if (l === undefined) return undefined;
    const m = lowerBound(l.minutes, at - MINUTE + 1) - 1;
    const fromMinute = m >= 0 ? l.minutes[m]! : undefined;
    const d = lowerBound(l.days, at) - 1;
    let day: Known | undefined;
    for (let i = d; i >= 0; i--) {
      if (l.days[i]!.completeAt <= at) {
        day = l.days[i];
        break;
      }
    }
    if (fromMinute !== undefined && (day === undefined || fromMinute.bar.time + MINUTE >= day.completeAt)) return fromMinute.bar.close;
    return day?.bar.close;
  }

  /** The minute bars the tape of `symbol` is drawn from (trades and quotes history), oldest first. */
  minuteBars(symbol: string): readonly Bar[] {
    return this.#of(symbol)?.minuteBars ?? [];
  }

  #of(symbol: string): Levels | undefined {
    const hit = this.#levels.get(symbol);
    if (hit !== undefined) return hit;
    const s = this.#series.get(symbol);
    if (s === undefined) return undefined;
    const levels = this.#build(s);
    this.#levels.set(symbol, levels);
    return levels;
  }

  #build(s: MarketSeries): Levels {
    const minutes = s.minute.map((b) => this.#minute(b));
    // Days the minutes cover (any minute) and their regular minutes.
    const covered = new Set<string>();
    const regularByDate = new Map<string, Known[]>();
    for (const k of minutes) {
      const date = nyDateOf(k.bar.time);
      covered.add(date);
      const session = this.#calendar.session(date);
      if (session === null || k.bar.time < session.open || k.bar.time >= session.close) continue;
      const list = regularByDate.get(date) ?? [];
      list.push(k);
      regularByDate.set(date, list);
    }
    const days: Known[] = [];
    for (const b of s.daily) {
      const date = nyDateOf(b.time);
      if (regularByDate.has(date)) continue;
      const close = this.#calendar.session(date)?.close ?? b.time + DAY;
      days.push({ bar: estimated({ ...b, time: nyMidnight(date) }, 390), visibleAt: close, completeAt: close });
    }
    for (const [date, parts] of regularByDate) days.push(aggregate(parts, nyMidnight(date)));
    days.sort((a, b) => a.bar.time - b.bar.time);
    const quarters = s.quarter.filter((b) => !covered.has(nyDateOf(b.time))).map((b): Known => ({ bar: estimated(b, 15), visibleAt: b.time + QUARTER, completeAt: b.time + QUARTER }));
    return { minutes, minuteBars: s.minute, days, quarters, byTimeframe: new Map() };
  }

  /** A replayed minute as the tape makes it: published at its end, final once a late print is in. */
  #minute(b: Bar): Known {
    const tape = minuteTape(b, this.#tape);
    const end = b.time + MINUTE;
    if (tape.late === null) return { bar: tape.final, visibleAt: end, completeAt: end };
    return { bar: tape.final, early: tape.first, visibleAt: end, completeAt: end + UPDATED_BAR_DELAY };
  }

  #aggregated(symbol: string, tf: AlpacaTimeframe): readonly Known[] {
    const l = this.#of(symbol);
    if (l === undefined) return [];
    const hit = l.byTimeframe.get(tf.label);
    if (hit !== undefined) return hit;
    const minutes = intradayMinutes(tf);
    let parts: readonly Known[];
    if (minutes === 1) parts = l.minutes;
    else if (minutes > 0) parts = minutes % 15 === 0 && l.quarters.length > 0 ? [...l.quarters, ...l.minutes].sort((a, b) => a.bar.time - b.bar.time) : l.minutes;
    else parts = l.days;
    let out: Known[];
    if (minutes === 1 || tf.unit === 'Day') {
      out = [...parts];
    } else {
      out = [];
      let group: Known[] = [];
      let bucket = Number.NaN;
      for (const p of parts) {
        const b = this.#bucket(p.bar.time, tf);
        if (b !== bucket && group.length > 0) {
          out.push(aggregate(group, bucket));
          group = [];
        }
        bucket = b;
        group.push(p);
      }
      if (group.length > 0) out.push(aggregate(group, bucket));
    }
    l.byTimeframe.set(tf.label, out);
    return out;
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

function nyMidnight(date: string): number {
  return wallTimeToUtc(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)), 0, 0, 0, 0, NEW_YORK);
}

/** First index whose bar starts at or after `time`. */
function lowerBound(list: readonly Known[], time: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.bar.time < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The bar as known at `now`: a revised minute before its revision, an aggregate from its known parts. */
function asOf(k: Known, now: number): StreamBar {
  if (now >= k.completeAt) return k.bar;
  if (k.parts !== undefined) {
    const seen: StreamBar[] = [];
    for (const p of k.parts) if (p.visibleAt <= now) seen.push(asOf(p, now));
    return seen.length === 0 ? k.bar : merge(seen, k.bar.time);
  }
  return k.early ?? k.bar;
}

function aggregate(parts: readonly Known[], time: number): Known {
  let visibleAt = Number.POSITIVE_INFINITY;
  let completeAt = Number.NEGATIVE_INFINITY;
  for (const p of parts) {
    visibleAt = Math.min(visibleAt, p.visibleAt);
    completeAt = Math.max(completeAt, p.completeAt);
  }
  return { bar: merge(parts.map((p) => p.bar), time), visibleAt, completeAt, parts };
}

/**
 * A bar from a longer file (no tape behind it): a trade count of the order the tape would print over
 * its `minutes`, and the typical price (high + low + close) / 3 as its VWAP.
 */
function estimated(b: Bar, minutes: number): StreamBar {
  return { ...b, tradeCount: b.volume > 0 ? minutes * printCount(b.volume / minutes) : 0, vwap: round4((b.high + b.low + b.close) / 3) };
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
  return { symbol: first.symbol, time, open: first.open, high, low, close: last.close, volume, tradeCount, vwap: volume > 0 ? round4(notional / volume) : last.close };
}
