import { NEW_YORK, nyDateOf, wallTimeToUtc } from '../../market-data/zonedTime.js';
import type { MarketCalendar, Session } from './MarketCalendar.js';
import { nyseEarlyCloses, nyseHolidays } from './nyseHolidays.js';

const DAY = 86_400_000;

/**
 * The NYSE regular sessions computed from the exchange's rules: 09:30–16:00 New York time on
 * weekdays, 09:30–13:00 on early-close days, closed on holidays. Used offline; Alpaca's own
 * calendar replaces it in alpaca mode.
 */
export class StaticNyseCalendar implements MarketCalendar {
  readonly #years = new Map<number, { holidays: Set<string>; early: Set<string> }>();
  readonly #sessions = new Map<string, Session | null>();

  session(date: string): Session | null {
    let s = this.#sessions.get(date);
    if (s === undefined) {
      s = this.#compute(date);
      this.#sessions.set(date, s);
    }
    return s;
  }

  nextSession(ms: number): Session {
    // From the New York date of `ms`: today's session if it has not opened yet, else a later day.
    let t = Date.parse(`${nyDateOf(ms)}T12:00:00Z`);
    for (let i = 0; i < 30; i++, t += DAY) {
      const s = this.session(new Date(t).toISOString().slice(0, 10));
      if (s !== null && s.open > ms) return s;
    }
    throw new RangeError(`no session within 30 days after ${new Date(ms).toISOString()}`);
  }

  #compute(date: string): Session | null {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
    if (m === null) throw new RangeError(`not a date YYYY-MM-DD: "${date}"`);
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const dow = new Date(Date.UTC(y, mo - 1, d)).getUTCDay();
    if (dow === 0 || dow === 6) return null;
    const year = this.#year(y);
    if (year.holidays.has(date)) return null;
    const earlyClose = year.early.has(date);
    return {
      date,
      open: wallTimeToUtc(y, mo, d, 9, 30, 0, 0, NEW_YORK),
      close: wallTimeToUtc(y, mo, d, earlyClose ? 13 : 16, 0, 0, 0, NEW_YORK),
      earlyClose,
    };
  }

  #year(y: number): { holidays: Set<string>; early: Set<string> } {
    let v = this.#years.get(y);
    if (v === undefined) {
      v = { holidays: nyseHolidays(y), early: nyseEarlyCloses(y) };
      this.#years.set(y, v);
    }
    return v;
  }
}
