import type { MarketCalendar } from '../risk/calendar/MarketCalendar.js';
import type { Timeframe } from './Timeframe.js';
import { nyDateOf, nyMinuteOfDay } from './zonedTime.js';

/** Bars Alpaca serves history in, as the daemon asks for them: `NMin` (N dividing 60) or `1Day`. */
export type HistoryTimeframe = '1Day' | `${number}Min`;

const DAY = 86_400_000;

/** Minutes a history bar lasts; 0 for daily bars (a session). */
export function historyMinutes(tf: HistoryTimeframe): number {
  return tf === '1Day' ? 0 : Number(tf.slice(0, -3));
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * The coarsest bars Alpaca serves whose every bar lies inside exactly one of a strategy's buckets,
 * so that the strategy's warm-up bars built from them are the bars built from minutes (each bucket
 * is the open of its first part, the highest high, the lowest low, the close of its last part, the
 * summed volume). Alpaca's N-minute bars start on New York clock multiples of N (09:30, 10:00 … for
 * 30 minutes; 09:00, 10:00 … for an hour), the strategy's buckets at the session's open, every
 * `timeframe` after it, and the close (see BarAggregator): N must divide the bucket length and the
 * minute of day of every session's open and close. With the 09:30 open that is at most 30 minutes:
 * a 60-minute strategy warms up on 30-minute bars (Alpaca's 1Hour bars start at 09:00 and would mix
 * the pre-market into the first hour), a 15-minute one on 15-minute bars, a 7-minute one on minutes.
 * A daily strategy warms up on daily bars; without a known session, minutes.
 */
export function warmUpTimeframe(timeframe: Timeframe, sessions: Iterable<{ readonly open: number; readonly close: number }>): HistoryTimeframe {
  if (timeframe.unit === 'Day') return '1Day';
  let g = timeframe.ms / 60_000;
  let known = false;
  for (const s of sessions) {
    g = gcd(gcd(g, nyMinuteOfDay(s.open)), nyMinuteOfDay(s.close));
    known = true;
  }
  // No session known to align on: minutes, as always.
  if (!known) return '1Min';
  // N-minute bars are on the clock's grid only when N divides the hour.
  return `${gcd(g, 60)}Min`;
}

/** The regular sessions of the New York days from `from` to `to` (those the calendar knows). */
export function sessionsBetween(calendar: MarketCalendar, from: number, to: number): Array<{ open: number; close: number }> {
  const out: Array<{ open: number; close: number }> = [];
  // Half-day steps (a day of 23 or 25 hours never skips a date), and `to`'s own date.
  for (let t = from; t < to + DAY / 2; t += DAY / 2) {
    const s = calendar.session(nyDateOf(Math.min(t, to)));
    if (s !== null && (out.length === 0 || out[out.length - 1]!.open !== s.open)) out.push(s);
  }
  return out;
}
