import { NEW_YORK, nyDateOf, wallTimeToUtc } from '../../market-data/zonedTime.js';
import type { MarketCalendar, Session } from './MarketCalendar.js';

/** One day of Alpaca's GET /v2/calendar: `date` YYYY-MM-DD, `open`/`close` HH:MM New York time. */
export interface CalendarDay {
  readonly date: string;
  readonly open: string;
  readonly close: string;
}

const REGULAR_CLOSE = '16:00';

/**
 * The market's sessions as Alpaca publishes them (holidays and early closes included), over the
 * range fetched; outside it the static NYSE calendar answers. Built once at start, saved beside the
 * state so a restart without the network still knows the days.
 */
export class AlpacaCalendar implements MarketCalendar {
  readonly #sessions: readonly Session[];
  readonly #byDate: ReadonlyMap<string, Session>;
  readonly #fallback: MarketCalendar;
  readonly #first: string;
  readonly #last: string;

  constructor(days: readonly CalendarDay[], fallback: MarketCalendar) {
    const sessions = days.map((d) => toSession(d)).sort((a, b) => a.open - b.open);
    this.#sessions = sessions;
    this.#byDate = new Map(sessions.map((s) => [s.date, s]));
    this.#fallback = fallback;
    this.#first = sessions[0]?.date ?? '9999-12-31';
    this.#last = sessions[sessions.length - 1]?.date ?? '0000-01-01';
  }

  get days(): readonly CalendarDay[] {
    return this.#sessions.map((s) => ({ date: s.date, open: hhmm(s.open), close: hhmm(s.close) }));
  }

  session(date: string): Session | null {
    if (date < this.#first || date > this.#last) return this.#fallback.session(date);
    return this.#byDate.get(date) ?? null;
  }

  nextSession(ms: number): Session {
    const date = nyDateOf(ms);
    if (date < this.#first || date >= this.#last) return this.#fallback.nextSession(ms);
    let lo = 0;
    let hi = this.#sessions.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#sessions[mid]!.open <= ms) lo = mid + 1;
      else hi = mid;
    }
    return this.#sessions[lo] ?? this.#fallback.nextSession(ms);
  }
}

function toSession(d: CalendarDay): Session {
  const [y, m, day] = d.date.split('-').map(Number) as [number, number, number];
  const at = (t: string): number => wallTimeToUtc(y, m, day, Number(t.slice(0, 2)), Number(t.slice(3, 5)), 0, 0, NEW_YORK);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d.date) || !/^\d{2}:\d{2}$/.test(d.open) || !/^\d{2}:\d{2}$/.test(d.close)) throw new RangeError(`calendar day from Alpaca: ${JSON.stringify(d)} is not {date: YYYY-MM-DD, open: HH:MM, close: HH:MM}`);
  return { date: d.date, open: at(d.open), close: at(d.close), earlyClose: d.close !== REGULAR_CLOSE };
}

const hhmmFormat = new Intl.DateTimeFormat('en-GB', { timeZone: NEW_YORK, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

function hhmm(ms: number): string {
  return hhmmFormat.format(new Date(ms));
}
