import { wallTimeToUtc } from './zonedTime.js';

// 2019-02-15, 2019-02-15 16:00, 2019-02-15T16:00:00.000Z, 2019-02-15T16:00:00-05:00
const stampPattern = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const datePattern = /^\d{4}-\d{2}-\d{2}$/;

const isDigit = (c: number | undefined): boolean => c !== undefined && c >= 48 && c <= 57;
const two = (b: Uint8Array, p: number): number => (isDigit(b[p]) && isDigit(b[p + 1]) ? (b[p]! - 48) * 10 + (b[p + 1]! - 48) : -1);

/**
 * Reads timestamps: ISO-8601 with `Z` or an offset, or naive wall-clock time in `timeZone`
 * (`YYYY-MM-DD[ HH:MM[:SS[.fff]]]`, `T` or a space between date and time); a date alone is a
 * daily bar and stands for `dailyBarTime(date)`. Straight from the bytes of a CSV field: the day's
 * UTC midnight and its zone offset are worked out once per day (a day whose offset changes, a
 * daylight-saving Sunday, is read time by time), so a row costs a few integer operations.
 */
export class StampReader {
  readonly #timeZone: string;
  readonly #dailyBarTime: (date: string) => number;
  /** The day of the last stamp, as y·10⁴ + m·100 + d, its UTC midnight, and the zone's offset that day (NaN: it changes). */
  #dayKey = -1;
  #dayUtc = 0;
  #dayOffset = Number.NaN;
  #dailyKey = -1;
  #dailyTime = 0;
  /** Whether the last stamp read was a date alone. */
  dateOnly = false;
  readonly #out = new Float64Array(1);

  constructor(timeZone: string, dailyBarTime: (date: string) => number) {
    this.#timeZone = timeZone;
    this.#dailyBarTime = dailyBarTime;
  }

  /** The instant written in bytes `s…e` of `b` (spaces around ignored), NaN when it is not a timestamp. */
  read(b: Uint8Array, s: number, e: number): number {
    this.readInto(this.#out, 0, b, s, e);
    return this.#out[0]!;
  }

  /** `read`, the instant written to `out[at]` (no number is boxed on the way while the code is cold). */
  readInto(out: Float64Array, at: number, b: Uint8Array, s: number, e: number): void {
    while (s < e && b[s] === 32) s++;
    while (e > s && b[e - 1] === 32) e--;
    if (this.#fast(out, at, b, s, e)) return;
    // Rare spellings (lower-case `t`, spaces before the zone, 7-9 fraction digits …): the full rule.
    out[at] = this.readText(Buffer.from(b.buffer, b.byteOffset + s, e - s).toString('utf8'));
  }

  /** The same for text (a date and a time column joined by a space, or a field the fast path left). */
  readText(text: string): number {
    const trimmed = text.trim();
    const m = stampPattern.exec(trimmed);
    if (m === null) return Number.NaN;
    const [, y, mo, d, h, mi = '0', s = '0', frac = '', zone] = m;
    const year = Number(y);
    const month = Number(mo);
    const day = Number(d);
    if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return Number.NaN;
    if (h === undefined && datePattern.test(trimmed)) {
      this.dateOnly = true;
      return this.#daily(year, month, day);
    }
    this.dateOnly = false;
    const hour = Number(h ?? '0');
    const minute = Number(mi);
    const second = Number(s);
    if (hour > 23 || minute > 59 || second > 59) return Number.NaN;
    const ms = Number(frac.padEnd(3, '0').slice(0, 3));
    if (zone === undefined) return wallTimeToUtc(year, month, day, hour, minute, second, ms, this.#timeZone);
    const utc = Date.UTC(year, month - 1, day, hour, minute, second, ms);
    if (zone.toUpperCase() === 'Z') return utc;
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    return utc - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }

  /** The usual spellings straight from the bytes, into `out[at]`; false: not one of them (or not a valid time). */
  #fast(out: Float64Array, at: number, b: Uint8Array, s: number, e: number): boolean {
    if (e - s < 10 || b[s + 4] !== 45 || b[s + 7] !== 45) return false;
    const y1 = two(b, s);
    const y2 = two(b, s + 2);
    const month = two(b, s + 5);
    const day = two(b, s + 8);
    if (y1 < 0 || y2 < 0 || month < 1 || month > 12 || day < 1) return false;
    const year = y1 * 100 + y2;
    const key = year * 10_000 + month * 100 + day;
    if (e - s === 10) {
      if (day > daysIn(year, month)) return false;
      this.dateOnly = true;
      out[at] = this.#daily(year, month, day);
      return true;
    }
    let p = s + 10;
    const sep = b[p];
    if ((sep !== 84 && sep !== 32) || e - p < 6 || b[p + 3] !== 58) return false;
    const hour = two(b, p + 1);
    const minute = two(b, p + 4);
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return false;
    p += 6;
    let second = 0;
    let ms = 0;
    if (p < e && b[p] === 58) {
      second = two(b, p + 1);
      if (second < 0 || second > 59) return false;
      p += 3;
      if (p < e && b[p] === 46) {
        p++;
        let digits = 0;
        while (p < e && isDigit(b[p])) {
          if (digits < 3) ms = ms * 10 + (b[p]! - 48);
          digits++;
          p++;
        }
        if (digits === 0 || digits > 6) return false;
        for (let k = digits; k < 3; k++) ms *= 10;
      }
    }
    const clock = ((hour * 60 + minute) * 60 + second) * 1000 + ms;
    if (p === e) {
      // Naive: wall-clock time in the zone.
      if (key !== this.#dayKey) this.#newDay(key, year, month, day);
      if (this.#dayOffset === this.#dayOffset) {
        this.dateOnly = false;
        out[at] = this.#dayUtc + clock - this.#dayOffset;
        return true;
      }
      if (this.#dayUtc !== this.#dayUtc) return false;
      this.dateOnly = false;
      out[at] = wallTimeToUtc(year, month, day, hour, minute, second, ms, this.#timeZone);
      return true;
    }
    let offset: number;
    const z = b[p];
    if ((z === 90 || z === 122) && p + 1 === e) offset = 0;
    else if (z === 43 || z === 45) {
      const oh = two(b, p + 1);
      const colon = b[p + 3] === 58 ? 1 : 0;
      const om = two(b, p + 3 + colon);
      if (oh < 0 || om < 0 || p + 5 + colon !== e) return false;
      offset = (z === 45 ? -1 : 1) * (oh * 60 + om) * 60_000;
    } else return false;
    if (key !== this.#dayKey) this.#newDay(key, year, month, day);
    if (this.#dayUtc !== this.#dayUtc) return false;
    this.dateOnly = false;
    out[at] = this.#dayUtc + clock - offset;
    return true;
  }

  #newDay(key: number, year: number, month: number, day: number): void {
    this.#dayKey = key;
    if (day > daysIn(year, month)) {
      this.#dayUtc = Number.NaN;
      this.#dayOffset = Number.NaN;
      return;
    }
    this.#dayUtc = Date.UTC(year, month - 1, day);
    const first = this.#dayUtc - wallTimeToUtc(year, month, day, 0, 0, 0, 0, this.#timeZone);
    const last = this.#dayUtc + 86_340_000 - wallTimeToUtc(year, month, day, 23, 59, 0, 0, this.#timeZone);
    this.#dayOffset = first === last ? first : Number.NaN;
  }

  #daily(year: number, month: number, day: number): number {
    const key = year * 10_000 + month * 100 + day;
    if (key !== this.#dailyKey) {
      this.#dailyKey = key;
      this.#dailyTime = this.#dailyBarTime(`${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);
    }
    return this.#dailyTime;
  }
}

function daysIn(year: number, month: number): number {
  return month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
