/** Wall-clock parts of an instant in a time zone. */
export interface ZonedParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

export const NEW_YORK = 'America/New_York';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Throws a RangeError when `timeZone` is not an IANA zone this Node knows. */
export function assertTimeZone(timeZone: string): void {
  formatter(timeZone);
}

/** The wall-clock date and time of `ms` in `timeZone`. */
export function zonedParts(ms: number, timeZone: string): ZonedParts {
  const p: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(ms)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return { year: p.year!, month: p.month!, day: p.day!, hour: p.hour!, minute: p.minute!, second: p.second! };
}

// Zone offsets change at most twice a year, on quarter-hour boundaries. A UTC day whose first and
// last instants have the same offset has it throughout; only a day with a change is looked up by
// quarter hour. Lookups (Intl) are slow, so each day or quarter hour is looked up once.
const QUARTER_HOUR = 900_000;
const DAY = 86_400_000;
const dayOffsets = new Map<string, Map<number, number | null>>();
const quarterOffsets = new Map<string, Map<number, number>>();

function cacheOf<V>(caches: Map<string, Map<number, V>>, timeZone: string): Map<number, V> {
  let c = caches.get(timeZone);
  if (c === undefined) {
    c = new Map();
    caches.set(timeZone, c);
  }
  return c;
}

function lookUpOffset(at: number, timeZone: string): number {
  const p = zonedParts(at, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - (at - (at % 1000));
}

/** Offset of `timeZone` from UTC at instant `ms`, in ms (New York in winter: −5 h). */
export function zoneOffset(ms: number, timeZone: string): number {
  const days = cacheOf(dayOffsets, timeZone);
  const day = Math.floor(ms / DAY);
  let offset = days.get(day);
  if (offset === undefined) {
    const first = lookUpOffset(day * DAY, timeZone);
    offset = first === lookUpOffset(day * DAY + DAY - QUARTER_HOUR, timeZone) ? first : null;
    days.set(day, offset);
  }
  if (offset !== null) return offset;
  const quarters = cacheOf(quarterOffsets, timeZone);
  const key = Math.floor(ms / QUARTER_HOUR);
  let exact = quarters.get(key);
  if (exact === undefined) {
    exact = lookUpOffset(key * QUARTER_HOUR, timeZone);
    quarters.set(key, exact);
  }
  return exact;
}

/**
 * The instant at which clocks in `timeZone` show the given wall time (month 1–12). A wall time
 * that occurs twice (autumn) is its first occurrence; one skipped by a spring-forward is read with
 * the offset from before the change, as most libraries do.
 */
export function wallTimeToUtc(year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number, timeZone: string): number {
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const first = asUtc - zoneOffset(asUtc, timeZone);
  const second_ = asUtc - zoneOffset(first, timeZone);
  if (first === second_) return first;
  // Around a change the two guesses differ: keep the one whose wall time is the one asked for.
  const earlier = Math.min(first, second_);
  return zoneOffset(earlier, timeZone) === asUtc - earlier ? earlier : Math.max(first, second_);
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** The New York calendar date of an instant, `YYYY-MM-DD`: the trading day it belongs to. */
export function nyDateOf(ms: number): string {
  const local = new Date(ms + zoneOffset(ms, NEW_YORK));
  return `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`;
}

/** The New York calendar day of an instant as a day count since 1970-01-01: same day, same number. */
export function nyDayNumber(ms: number): number {
  return Math.floor((ms + zoneOffset(ms, NEW_YORK)) / DAY);
}

/** Minutes since midnight, New York wall time (09:30 is 570, 16:00 is 960). */
export function nyMinuteOfDay(ms: number): number {
  const local = new Date(ms + zoneOffset(ms, NEW_YORK));
  return local.getUTCHours() * 60 + local.getUTCMinutes();
}

/** The first instant of the New York day after the one `ms` falls in (UTC ms). */
export function nyNextMidnight(ms: number): number {
  const offset = zoneOffset(ms, NEW_YORK);
  const localMidnight = (Math.floor((ms + offset) / 86_400_000) + 1) * 86_400_000;
  // The offset may change during the day (daylight saving): take the one in force at midnight.
  return localMidnight - zoneOffset(localMidnight - offset, NEW_YORK);
}
