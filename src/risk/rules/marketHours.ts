import { nyDateOf, nyDayNumber, nyMinuteOfDay } from '../../market-data/zonedTime.js';
import type { MarketCalendar, Session } from '../calendar/MarketCalendar.js';
import type { RiskRule } from '../RiskRule.js';
import { RiskRuleName } from '../RiskRuleName.js';

const hhmm = (minutes: number): string => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
const duration = (ms: number): string => {
  const m = Math.round(ms / 60_000);
  return m < 60 ? `${m} min` : `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
};
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
const weekdayName = (date: string): string => WEEKDAYS[new Date(`${date}T12:00:00Z`).getUTCDay()]!;
const opening = (s: Session): string => `next open ${weekdayName(s.date)} ${s.date} 09:30 ET`;

/**
 * Orders are decided in the regular session only: on a bar that ends after the open and at or
 * before the close (the closing bar included, and daily bars stamped at the close). An order
 * decided at the close waits for the next session's open (a day order, as Alpaca queues it).
 * Decisions on pre-market or after-hours data, on weekends or holidays are refused: extended hours
 * are off.
 */
export function marketHours(calendar: MarketCalendar): RiskRule {
  // Orders come in bursts on the same day: its session is looked up once.
  let day = Number.NaN;
  let session: Session | null = null;
  return {
    name: RiskRuleName.MarketHours,
    check(_intent, view) {
      const t = view.now;
      const d = nyDayNumber(t);
      if (d !== day) {
        day = d;
        session = calendar.session(nyDateOf(t));
      }
      const s = session;
      if (s !== null && t > s.open && t <= s.close) return null;
      const date = nyDateOf(t);
      const now = hhmm(nyMinuteOfDay(t));
      // Before the open the next session is today's (at the open instant too: a bar ending then is pre-market).
      const next = s !== null && t <= s.open ? s : calendar.nextSession(t);
      if (s === null) {
        const day = weekdayName(date);
        return `market closed: ${date} is ${day === 'Saturday' || day === 'Sunday' ? `a ${day}` : 'a market holiday'} (${now} ET); ${opening(next)}`;
      }
      if (t <= s.open) return `market closed: ${now} ET is ${duration(s.open - t)} before the 09:30 open; ${opening(next)}`;
      const close = s.earlyClose ? '13:00 (early) close' : '16:00 close';
      return `market closed: ${now} ET is ${duration(t - s.close)} after the ${close}; ${opening(next)}`;
    },
  };
}
