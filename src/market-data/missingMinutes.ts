import type { MarketCalendar } from '../risk/calendar/MarketCalendar.js';
import { nyDateOf } from './zonedTime.js';

const MINUTE = 60_000;

/** A run of regular-session minutes, as bar ends: the minutes ending in (from, to]. */
export interface MinuteRun {
  readonly from: number;
  readonly to: number;
}

/**
 * Runs of at least `minRun` regular-session minutes in (from, to] in which no symbol had a bar
 * (`barEnds` holds the end of every minute that had one): holes in the broker's own history, not
 * minutes the stream missed. A single quiet minute is normal (no trade, no bar); a long run for every
 * symbol at once is the data that is missing.
 */
export function missingMinutes(calendar: MarketCalendar, from: number, to: number, barEnds: ReadonlySet<number>, minRun: number): MinuteRun[] {
  const out: MinuteRun[] = [];
  let t = from;
  while (t < to) {
    const today = calendar.session(nyDateOf(t));
    const s = today !== null && today.close > t ? today : calendar.nextSession(t);
    if (s.open >= to) break;
    const last = Math.min(s.close, to);
    let start: number | null = null;
    const close = (end: number): void => {
      if (start !== null && (end - start) / MINUTE >= minRun) out.push({ from: start, to: end });
      start = null;
    };
    for (let end = Math.max(s.open, t) + MINUTE; end <= last; end += MINUTE) {
      if (barEnds.has(end)) close(end - MINUTE);
      else start ??= end - MINUTE;
    }
    close(last);
    t = s.close;
  }
  return out;
}
