import { NEW_YORK, nyDateOf, wallTimeToUtc } from '../../market-data/zonedTime.js';
import type { MarketCalendar, Session } from '../../risk/calendar/MarketCalendar.js';

/**
 * Where an instant falls in the US equity day: the pre-market (04:00 to the open), the regular session,
 * the after-hours session (the close to 20:00, 17:00 on early-close days: Alpaca's calendar gives
 * `session_close` 2000 / 1700), or closed (nights, weekends, holidays).
 */
export type TradingPhase = 'pre' | 'regular' | 'post' | 'closed';

/** A session with its extended hours: `preOpen` 04:00 New York, `postClose` four hours after the close. */
export interface ExtendedSession extends Session {
  readonly preOpen: number;
  readonly postClose: number;
}

const HOUR = 3_600_000;

export function extendedSession(s: Session): ExtendedSession {
  const [y, m, d] = s.date.split('-').map(Number) as [number, number, number];
  return { ...s, preOpen: wallTimeToUtc(y, m, d, 4, 0, 0, 0, NEW_YORK), postClose: s.close + 4 * HOUR };
}

/** The session of the New York date of `ms` with its extended hours, or null on a day without one. */
export function sessionOf(calendar: MarketCalendar, ms: number): ExtendedSession | null {
  const s = calendar.session(nyDateOf(ms));
  return s === null ? null : extendedSession(s);
}

export function phaseAt(calendar: MarketCalendar, ms: number): TradingPhase {
  const s = sessionOf(calendar, ms);
  if (s === null || ms < s.preOpen || ms >= s.postClose) return 'closed';
  if (ms < s.open) return 'pre';
  return ms < s.close ? 'regular' : 'post';
}
