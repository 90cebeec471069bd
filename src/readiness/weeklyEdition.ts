import type { Logger } from 'pino';
import type { DaemonConfig } from '../config/configSchema.js';
import type { DaemonEnv } from '../config/env.js';
import type { Clock } from '../core/Clock.js';
import type { MarketCalendar } from '../risk/calendar/MarketCalendar.js';
import { formatReadinessBrief } from './formatReadiness.js';
import { readinessOf } from './readinessOf.js';

/** Monday of the week of a New York date (YYYY-MM-DD). */
function mondayOf(date: string): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

/** Whether `date` is the last session of its week (the next one falls in another week: a Friday, or a Thursday before Good Friday). */
export function lastSessionOfWeek(calendar: MarketCalendar, date: string): boolean {
  const session = calendar.session(date);
  if (session === null) return false;
  return mondayOf(calendar.nextSession(session.close).date) !== mondayOf(date);
}

/**
 * The daily summary's weekly edition: on the week's last session, the live checklist's verdict per
 * strategy (items 1–5 from the saved record; the fill comparison is `npm run readiness`'s).
 */
export function weeklyEdition(config: DaemonConfig, o: { readonly env: DaemonEnv; readonly calendar: MarketCalendar; readonly wallClock: Clock; readonly logger: Logger }): (date: string) => Promise<string | null> | null {
  return (date) => {
    if (!lastSessionOfWeek(o.calendar, date)) return null;
    return readinessOf(config, { env: o.env, now: o.wallClock.now(), logger: o.logger, measureFills: false }).then((r) => `🗓 Weekly edition\n${formatReadinessBrief(r).join('\n')}`);
  };
}
