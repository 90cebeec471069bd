/**
 * NYSE full-day closures and 13:00 early closes by rule (the exchange's published rules, checked
 * against its calendars for 2019–2026), plus the unscheduled closures since 2004. Dates are New
 * York dates `YYYY-MM-DD`.
 */

const iso = (y: number, m: number, d: number): string => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
/** Day of week of a date, 0 = Sunday. */
const weekday = (y: number, m: number, d: number): number => new Date(Date.UTC(y, m - 1, d)).getUTCDay();

/** The `n`th (1-based) `dow` of a month; n = −1 is the last. */
function nthWeekday(y: number, m: number, dow: number, n: number): number {
  if (n > 0) {
    const first = weekday(y, m, 1);
    return 1 + ((dow - first + 7) % 7) + (n - 1) * 7;
  }
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const last = weekday(y, m, days);
  return days - ((last - dow + 7) % 7);
}

/** Easter Sunday (Gregorian), by the anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
export function easterSunday(y: number): { month: number; day: number } {
  const a = y % 19;
  const b = Math.floor(y / 100);
  const c = y % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return { month, day };
}

/** A fixed-date holiday on a Saturday is observed the Friday before, on a Sunday the Monday after. */
function observed(y: number, m: number, d: number): string {
  const dow = weekday(y, m, d);
  const t = Date.UTC(y, m - 1, d) + (dow === 6 ? -1 : dow === 0 ? 1 : 0) * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** Closures outside the rules (national days of mourning, Hurricane Sandy). */
const UNSCHEDULED = ['2004-06-11', '2007-01-02', '2012-10-29', '2012-10-30', '2018-12-05', '2025-01-09'];

/** Every full-day NYSE holiday of year `y`. */
export function nyseHolidays(y: number): Set<string> {
  const out = new Set<string>();
  // New Year's Day on a Saturday is not moved to the Friday before (that Friday closes a year).
  if (weekday(y, 1, 1) !== 6) out.add(observed(y, 1, 1));
  out.add(iso(y, 1, nthWeekday(y, 1, 1, 3))); // Martin Luther King Jr. Day: third Monday of January
  out.add(iso(y, 2, nthWeekday(y, 2, 1, 3))); // Washington's Birthday: third Monday of February
  const easter = easterSunday(y);
  out.add(new Date(Date.UTC(y, easter.month - 1, easter.day) - 2 * 86_400_000).toISOString().slice(0, 10)); // Good Friday
  out.add(iso(y, 5, nthWeekday(y, 5, 1, -1))); // Memorial Day: last Monday of May
  if (y >= 2022) out.add(observed(y, 6, 19)); // Juneteenth, a market holiday since 2022
  out.add(observed(y, 7, 4)); // Independence Day
  out.add(iso(y, 9, nthWeekday(y, 9, 1, 1))); // Labor Day: first Monday of September
  out.add(iso(y, 11, nthWeekday(y, 11, 4, 4))); // Thanksgiving: fourth Thursday of November
  out.add(observed(y, 12, 25)); // Christmas
  for (const d of UNSCHEDULED) if (d.startsWith(`${y}-`)) out.add(d);
  return out;
}

/** Every 13:00 early close of year `y`: July 3, the day after Thanksgiving, Christmas Eve, when trading days. */
export function nyseEarlyCloses(y: number): Set<string> {
  const out = new Set<string>();
  // July 3 on a Friday is the observed Independence Day itself; Monday to Thursday it closes early.
  const july3 = weekday(y, 7, 3);
  if (july3 >= 1 && july3 <= 4) out.add(iso(y, 7, 3));
  out.add(iso(y, 11, nthWeekday(y, 11, 4, 4) + 1));
  // Christmas Eve on a Friday is the observed Christmas; Monday to Thursday it closes early.
  const eve = weekday(y, 12, 24);
  if (eve >= 1 && eve <= 4) out.add(iso(y, 12, 24));
  return out;
}
