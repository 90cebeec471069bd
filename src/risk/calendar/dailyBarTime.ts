import { NEW_YORK, wallTimeToUtc } from '../../market-data/zonedTime.js';
import type { MarketCalendar } from './MarketCalendar.js';

/**
 * When a daily bar dated `YYYY-MM-DD` is complete: its session's close (16:00 New York time, 13:00
 * on early closes); 16:00 for a date the calendar has no session on.
 */
export function dailyBarTime(calendar: MarketCalendar): (date: string) => number {
  return (date) => calendar.session(date)?.close ?? wallTimeToUtc(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)), 16, 0, 0, 0, NEW_YORK);
}
