import { DataError } from '../core/errors.js';
import type { MarketCalendar } from '../risk/calendar/MarketCalendar.js';
import type { BarFile } from './readBarFile.js';
import { NEW_YORK, nyDateOf, nyDayNumber, wallTimeToUtc, zoneOffset } from './zonedTime.js';

/** How a file stamps its intraday bars: by their start (Alpaca, most vendors), their end, or told from the data. */
export const BarTime = { Auto: 'auto', Start: 'start', End: 'end' } as const;
export type BarTime = (typeof BarTime)[keyof typeof BarTime];
export const BAR_TIMES: readonly BarTime[] = [BarTime.Auto, BarTime.Start, BarTime.End];

/** What a file's stamps mean, decided once per file. */
export interface Labelling {
  readonly symbol: string;
  readonly file: string;
  /**
   * `start` / `end`: each intraday bar of `barMs` is stamped at its start / its end; `session`:
   * daily bars, each the regular session of its date (stamped at midnight, at a time, or a date alone).
   */
  readonly stamps: 'start' | 'end' | 'session';
  /** The bar's length (the most common step within a day); 0 for daily bars. */
  readonly barMs: number;
  /** Why: the flag, or what in the data decided it. */
  readonly reason: string;
  /** Daily bars dated by their UTC date (every stamp at 00:00 UTC) rather than their New York date. */
  readonly utcDates: boolean;
}

const plural = (n: number, what: string): string => `${n.toLocaleString('en-US')} ${what}${n === 1 ? '' : 's'}`;
const hhmm = (ms: number): string => new Date(ms).toISOString().slice(11, 16);

/**
 * Decides how a file labels its bars. Daily bars (dates alone, one bar a day at one time of day,
 * or every stamp at 00:00 UTC) are each their date's session whatever the flag. Intraday bars
 * follow `barTime`; with `auto`: Alpaca's `t,o,h,l,c,v` files are stamped by the start; otherwise
 * a bar stamped 09:30 (the open) means start-labelled and one stamped at the close (16:00, or 13:00
 * on an early close) end-labelled; with both (extended hours), 04:00 without 20:00 means start and
 * 20:00 without 04:00 end. Anything else cannot be told: a DataError asks for `flag`.
 */
export function decideLabelling(f: BarFile, barTime: BarTime, calendar: MarketCalendar, flag: string): Labelling {
  const ev = f.evidence;
  const symbol = f.tape.symbols[0]!;
  const base = { symbol, file: f.file, utcDates: false };
  if (ev.dateOnlyRows === ev.rows) return { ...base, stamps: 'session', barMs: 0, reason: 'daily bars (dates alone), each its date’s session' };
  if (ev.dateOnlyRows === 0 && ev.allUtcMidnight && ev.rows > 1) {
    return { ...base, stamps: 'session', barMs: 0, utcDates: true, reason: 'daily bars stamped 00:00 UTC, each its UTC date’s session' };
  }
  if (ev.maxRowsPerDay <= 1 && ev.sameTimeOfDay && ev.rows > 1) {
    const first = f.tape.time[0]!;
    const at = hhmm(first + zoneOffset(first, NEW_YORK));
    return { ...base, stamps: 'session', barMs: 0, reason: `daily bars stamped ${at} New York, each its date’s session` };
  }
  const barMs = ev.commonStepMs > 0 ? ev.commonStepMs : 60_000;
  if (barTime !== BarTime.Auto) return { ...base, stamps: barTime, barMs, reason: `${flag} ${barTime}` };
  if (f.alpacaFormat) return { ...base, stamps: 'start', barMs, reason: 'auto: Alpaca’s t,o,h,l,c,v format stamps a bar at its start' };
  const atOpen = ev.at0930 > 0;
  const earlyCloses = ev.at1300Dates.filter((d) => calendar.session(d)?.earlyClose === true).length;
  const atClose = ev.at1600 + earlyCloses > 0;
  if (atOpen && !atClose) return { ...base, stamps: 'start', barMs, reason: `auto: bars stamped 09:30, the open (${plural(ev.at0930, 'day')})` };
  if (atClose && !atOpen) return { ...base, stamps: 'end', barMs, reason: `auto: bars stamped at the close, 16:00 (13:00 on early closes) (${plural(ev.at1600 + earlyCloses, 'day')})` };
  if (atOpen && atClose) {
    if (ev.at0400 > 0 && ev.at2000 === 0) return { ...base, stamps: 'start', barMs, reason: 'auto: extended hours from 04:00 to before 20:00' };
    if (ev.at2000 > 0 && ev.at0400 === 0) return { ...base, stamps: 'end', barMs, reason: 'auto: extended hours from after 04:00 to 20:00' };
  }
  const why = atOpen
    ? 'bars are stamped both at 09:30 (the open, as start-labelled files do) and at the close (as end-labelled files do)'
    : 'no bar is stamped at 09:30 (the open: start-labelled) or at the close (16:00: end-labelled)';
  throw new DataError(`cannot tell whether the bars are stamped at their start or at their end: ${why}; say which with ${flag} start or ${flag} end`, f.file);
}

/**
 * Puts the file's bars on the daemon's time, each at its end (a decision on a bar is taken when it
 * is complete; market hours are checked then): a start-labelled bar moves by its length, a daily
 * bar goes to its session's close (13:00 on early closes). Returns how to get the file's stamps
 * back, for output that names bars as the file does.
 */
export function applyLabelling(f: BarFile, l: Labelling, calendar: MarketCalendar): BarStampMap {
  const t = f.tape.time;
  const n = f.tape.length;
  if (l.stamps === 'end') return { shift: 0, stamps: null };
  if (l.stamps === 'start') {
    if (l.barMs <= 60_000) {
      for (let i = 0; i < n; i++) t[i] = t[i]! + l.barMs;
      return { shift: l.barMs, stamps: null };
    }
    // A longer bar that starts in a session ends at its close at the latest (an hourly bar stamped
    // 15:30 is the session's last half hour; a 15-minute bar stamped 12:45 on an early close ends at 13:00).
    const stamps = new Map<number, number>();
    let day = Number.NaN;
    let close = Number.NaN;
    let previous = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const stamp = t[i]!;
      const d = nyDayNumber(stamp);
      if (d !== day) {
        day = d;
        close = calendar.session(nyDateOf(stamp))?.close ?? Number.NaN;
      }
      let end = stamp + l.barMs;
      if (stamp < close && end > close && close > previous) {
        end = close;
        stamps.set(end, stamp);
      }
      t[i] = end;
      previous = end;
    }
    return { shift: l.barMs, stamps: stamps.size > 0 ? stamps : null };
  }
  const stamps = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const stamp = t[i]!;
    const date = new Date(l.utcDates ? stamp : stamp + zoneOffset(stamp, NEW_YORK)).toISOString().slice(0, 10);
    const close = calendar.session(date)?.close ?? wallTimeToUtc(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)), 16, 0, 0, 0, NEW_YORK);
    if (close !== stamp) stamps.set(close, stamp);
    t[i] = close;
  }
  return { shift: 0, stamps };
}

/** From the daemon's time of a file's bar back to the file's stamp. */
export interface BarStampMap {
  /** A start-labelled bar's length. */
  readonly shift: number;
  /** Bars whose end is not their stamp + `shift`: end → stamp (daily bars; start-labelled bars cut short by a close). */
  readonly stamps: ReadonlyMap<number, number> | null;
}

/**
 * The file stamps of every symbol's bars, for output: fills, trades and equity name bars as the
 * input files stamp them. Times without a symbol (equity, breaker events) use the first file's.
 */
export class BarStamps {
  readonly #bySymbol = new Map<string, BarStampMap>();
  #first: BarStampMap | null = null;

  add(symbol: string, map: BarStampMap): void {
    this.#bySymbol.set(symbol, map);
    this.#first ??= map;
  }

  /** The file's stamp of the bar that ends at `time` (of `symbol`, or of the first file). */
  stampOf(time: number, symbol?: string): number {
    const m = (symbol === undefined ? null : this.#bySymbol.get(symbol)) ?? this.#first;
    if (m === null) return time;
    const stamp = m.stamps?.get(time);
    return stamp ?? time - m.shift;
  }

  /** Every symbol's map, in the order added (to hand them to another thread or machine; `add` them back). */
  entries(): Array<[string, BarStampMap]> {
    return [...this.#bySymbol];
  }

  /** True when every stamp is the daemon's time (end-labelled files, dates alone). */
  get identity(): boolean {
    for (const m of this.#bySymbol.values()) if (m.shift !== 0 || (m.stamps !== null && m.stamps.size > 0)) return false;
    return true;
  }
}
