import { nyDateOf } from '../../market-data/zonedTime.js';
import type { MarketCalendar, Session } from './MarketCalendar.js';

const DAY = 86_400_000;
/** The longest the market stays shut (a long weekend next to a holiday, the 2012 hurricane closing): two weeks covers all of it. */
const LOOK_BACK_DAYS = 14;

/** The latest session that had closed at instant `ms` (its close at or before `ms`), or null when none in the last two weeks. */
export function lastClosedSession(calendar: MarketCalendar, ms: number): Session | null {
  for (let k = 0; k <= LOOK_BACK_DAYS; k++) {
    const session = calendar.session(nyDateOf(ms - k * DAY));
    if (session !== null && session.close <= ms) return session;
  }
  return null;
}
