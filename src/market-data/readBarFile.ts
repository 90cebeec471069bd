import { open } from 'node:fs/promises';
import { DataError } from '../core/errors.js';
import { barProblem } from './barProblem.js';
import { BarTape } from './BarTape.js';
import { CsvRow, CsvScanner } from './CsvScanner.js';
import { decimalAt } from './decimalAt.js';
import { StampReader } from './StampReader.js';
import { NEW_YORK, zoneOffset } from './zonedTime.js';

export interface BarFileOptions {
  readonly symbol: string;
  /** Zone of timestamps without an offset; default America/New_York. */
  readonly timeZone?: string;
  /** The instant a date-only row (a daily bar) stands for; default 16:00 wall time in `timeZone`. */
  readonly dailyBarTime?: (date: string) => number;
  /**
   * New York days (days since 1970-01-01) of the bars wanted: rows stamped more than a day outside
   * are read (and checked, and counted as evidence of the labelling) but not kept.
   */
  readonly keepDays?: { readonly first: number; readonly last: number };
  /** Bytes read at a time (default 1 MiB; tests use tiny windows to cross every boundary). */
  readonly chunkBytes?: number;
}

/**
 * What the stamps of a whole file say about how it labels its bars (`barLabelling` decides), New
 * York time, every row counted, kept or not.
 */
export interface StampEvidence {
  readonly rows: number;
  /** Rows that are a date alone. */
  readonly dateOnlyRows: number;
  /** Rows stamped at 09:30:00, 16:00:00, 04:00:00, 20:00:00. */
  readonly at0930: number;
  readonly at1600: number;
  readonly at0400: number;
  readonly at2000: number;
  /** New York dates of rows stamped 13:00:00 (the close of an early-close day). */
  readonly at1300Dates: readonly string[];
  /** Most rows on one New York date. */
  readonly maxRowsPerDay: number;
  /** Every row at the same New York time of day. */
  readonly sameTimeOfDay: boolean;
  /** Every row with a time at 00:00:00 UTC. */
  readonly allUtcMidnight: boolean;
  /** The most common gap between consecutive bars of one New York day in the kept bars, ms; 0 if none. */
  readonly commonStepMs: number;
}

/** A CSV file of one symbol's bars, as stamped, oldest first. */
export interface BarFile {
  readonly file: string;
  readonly tape: BarTape;
  readonly evidence: StampEvidence;
  /** The header names the time column `t` (Alpaca's `t,o,h,l,c,v`). */
  readonly alpacaFormat: boolean;
}

/** Header names accepted for each column (case-insensitive); Alpaca's one-letter names included. */
const aliases = {
  timestamp: ['timestamp', 'datetime', 'date', 't'],
  time: ['time'],
  open: ['open', 'o'],
  high: ['high', 'h'],
  low: ['low', 'l'],
  close: ['close', 'c'],
  volume: ['volume', 'vol', 'v'],
} as const;
type Column = keyof typeof aliases;

const DAY = 86_400_000;
const CHUNK = 1 << 20;
const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;
const MINUS = 45;
const DOT = 46;
/** 10^0 … 10^22: the powers of ten a double holds exactly. */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);
/** What the fast path does with a column: skip it, read the timestamp, or read one of the numbers (in `#values` at that index). */
const Role = { Skip: 0, Stamp: 1, Open: 2, High: 3, Low: 4, Close: 5, Volume: 6 } as const;
const FAST_DONE = 0;
/** The window ends before the row does (or the input is all read). */
const FAST_STOP = 1;
/** Not the usual kind of row: for the general reader. */
const FAST_OTHER = 2;

/**
 * Reads a CSV file of bars as a stream (a window of 1 MiB, bars kept in columns: memory is the
 * bars kept, not the file), checking every row; see `BarCsvParser`.
 */
export async function readBarFile(file: string, options: BarFileOptions): Promise<BarFile> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DataError(code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? String(error)})`, file, undefined, { cause: error });
  }
  try {
    const size = (await handle.stat()).size;
    const parser = new BarCsvParser(file, options);
    let buf = Buffer.allocUnsafe(Math.max(1, Math.min(options.chunkBytes ?? CHUNK, Math.max(size, 64))));
    let filled = 0;
    let position = 0;
    let estimated = false;
    for (;;) {
      if (filled === buf.length) {
        // A row longer than the window: a bigger window.
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, filled);
        buf = bigger;
      }
      let read: number;
      try {
        ({ bytesRead: read } = await handle.read(buf, filled, buf.length - filled, position));
      } catch (error) {
        throw new DataError(`cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`, file, undefined, { cause: error });
      }
      position += read;
      filled += read;
      const eof = read === 0;
      const used = parser.feed(buf, filled, eof);
      if (!estimated && parser.rowsRead > 100 && position < size) {
        // Room for the whole file at the first chunk's bytes a row (kept rows only when filtered).
        estimated = true;
        parser.expect(Math.ceil((parser.rowsRead / used) * size * 1.02));
      }
      if (eof) break;
      buf.copy(buf, 0, used, filled);
      filled -= used;
    }
    return parser.finish();
  } finally {
    await handle.close();
  }
}

/** The same from text already in memory. */
export function parseBarText(text: string, file: string, options: BarFileOptions): BarFile {
  const parser = new BarCsvParser(file, options);
  const buf = Buffer.from(text, 'utf8');
  parser.feed(buf, buf.length, true);
  return parser.finish();
}

/**
 * Bars from CSV bytes: a header naming `timestamp|datetime|date|t` (+ optional `time`), `open`,
 * `high`, `low`, `close` and optional `volume`, in any order and case, other columns ignored; rows
 * in any order (returned oldest first); quoted fields, a BOM, CRLF. Every problem names the file
 * and line: a missing column, a short row, a timestamp or number that does not parse, a price that
 * is not positive, a high below the open/close or a low above them, a duplicate timestamp.
 */
class BarCsvParser {
  readonly #file: string;
  readonly #o: BarFileOptions;
  readonly #scanner = new CsvScanner();
  readonly #stamps: StampReader;
  #tape: BarTape;
  #header: string[] | null = null;
  #index = {} as Record<Column, number>;
  /** Per column: what the fast path does with it (see `Role`). */
  #roles = new Uint8Array(0);
  #alpaca = false;
  rowsRead = 0;
  // Evidence, over every row.
  #dateOnly = 0;
  #at0930 = 0;
  #at1600 = 0;
  #at0400 = 0;
  #at2000 = 0;
  #at1300: string[] = [];
  #firstTimeOfDay = -1;
  #sameTimeOfDay = true;
  #utcMidnight = true;
  #runDay = Number.NaN;
  #run = 0;
  #rowsPerDay = new Map<number, number>();
  // New York offset of the UTC day of the last row (NaN: it changes that day).
  #utcDay = Number.NaN;
  #nyOffset = 0;
  #prevTime = Number.NaN;
  #prevLine = 0;
  /** The row's numbers, by role (the fast path's scratch). */
  readonly #values = new Float64Array(8);

  constructor(file: string, o: BarFileOptions) {
    this.#file = file;
    this.#o = o;
    const timeZone = o.timeZone ?? NEW_YORK;
    const fallback = new StampReader(timeZone, () => Number.NaN);
    this.#stamps = new StampReader(timeZone, o.dailyBarTime ?? ((date: string): number => fallback.readText(`${date} 16:00`)));
    this.#tape = new BarTape([o.symbol], 1024, true);
  }

  /** Grows the columns for about `rows` rows. */
  expect(rows: number): void {
    if (this.#o.keepDays === undefined && rows > this.#tape.capacity) this.#tape.resize(rows);
  }

  /** Reads every complete row of `buf[0…end)`; returns the bytes used (the rest starts a row). */
  feed(buf: Uint8Array, end: number, eof: boolean): number {
    const sc = this.#scanner;
    sc.refill(buf, end, eof);
    for (;;) {
      if (this.#header !== null && this.#roles.length > 0) {
        // The usual row (no quotes) in one pass over its bytes; anything else the general way.
        const r = this.#fastRow();
        if (r === FAST_DONE) continue;
        if (r === FAST_STOP) break;
      }
      let r: CsvRow;
      try {
        r = sc.next();
      } catch (error) {
        throw new DataError((error as Error).message, this.#file, sc.line);
      }
      if (r !== CsvRow.Row) break;
      if (this.#header === null) this.#readHeader();
      else this.#readRow();
    }
    return sc.pos;
  }

  finish(): BarFile {
    if (this.#header === null) throw new DataError('empty file: expected a header and rows of bars', this.#file);
    if (this.rowsRead === 0) throw new DataError('no bars: the file has a header but no rows', this.#file);
    this.#flushDay();
    const tape = this.#tape;
    if (tape.sort()) {
      // Rows in no order: duplicates were not next to each other while reading.
      const t = tape.time;
      for (let i = 1; i < tape.length; i++) {
        if (t[i] === t[i - 1]) {
          const [a, b] = [tape.line![i - 1]!, tape.line![i]!].sort((x, y) => x - y);
          throw new DataError(`duplicate timestamp ${new Date(t[i]!).toISOString()} (first on line ${a})`, this.#file, b);
        }
      }
    }
    tape.line = null;
    tape.trim();
    return {
      file: this.#file,
      tape,
      alpacaFormat: this.#alpaca,
      evidence: {
        rows: this.rowsRead,
        dateOnlyRows: this.#dateOnly,
        at0930: this.#at0930,
        at1600: this.#at1600,
        at0400: this.#at0400,
        at2000: this.#at2000,
        at1300Dates: this.#at1300,
        maxRowsPerDay: this.#maxRowsPerDay(),
        sameTimeOfDay: this.#sameTimeOfDay,
        allUtcMidnight: this.#utcMidnight && this.#dateOnly < this.rowsRead,
        commonStepMs: commonStep(tape),
      },
    };
  }

  #maxRowsPerDay(): number {
    let most = 0;
    for (const n of this.#rowsPerDay.values()) if (n > most) most = n;
    return most;
  }

  #readHeader(): void {
    const sc = this.#scanner;
    const header: string[] = [];
    for (let j = 0; j < sc.count; j++) header.push(sc.text(j).trim().replace(/^"(.*)"$/, '$1').toLowerCase());
    const found = {} as Record<Column, number>;
    for (const column of Object.keys(aliases) as Column[]) {
      found[column] = header.findIndex((h) => (aliases[column] as readonly string[]).includes(h));
    }
    const missing = (['timestamp', 'open', 'high', 'low', 'close'] as const).filter((c) => found[c] === -1);
    if (missing.length > 0) {
      throw new DataError(
        `header is missing ${missing.map((c) => (c === 'timestamp' ? 'timestamp|datetime|date' : c)).join(', ')} (found: ${header.join(',')})`,
        this.#file,
        sc.line,
      );
    }
    this.#header = header;
    this.#index = found;
    this.#alpaca = header[found.timestamp] === 't';
    // A separate time column goes the general way (its text is joined to the date's).
    if (found.time === -1) {
      const roles = new Uint8Array(header.length);
      roles[found.timestamp] = Role.Stamp;
      roles[found.open] = Role.Open;
      roles[found.high] = Role.High;
      roles[found.low] = Role.Low;
      roles[found.close] = Role.Close;
      if (found.volume !== -1) roles[found.volume] = Role.Volume;
      this.#roles = roles;
    }
  }

  /**
   * Reads the next row in one pass when it is the usual kind (no quote at a field's start, every
   * field there): numbers are read as their digits go by. FAST_OTHER leaves the row (not consumed)
   * to the general reader, which reads it or names what is wrong with it.
   */
  #fastRow(): number {
    const sc = this.#scanner;
    const b = sc.buf;
    const e = sc.end;
    let p = sc.pos;
    let line = sc.nextLine;
    while (p < e) {
      const c = b[p]!;
      if (c === LF) line++;
      else if (c !== CR) break;
      p++;
    }
    if (p >= e) {
      sc.pos = p;
      sc.nextLine = line;
      return sc.eof ? FAST_STOP : FAST_STOP;
    }
    const roles = this.#roles;
    const values = this.#values;
    const columns = roles.length;
    let stampStart = 0;
    let stampEnd = 0;
    values[Role.Volume] = 0;
    for (let j = 0; j < columns; j++) {
      if (b[p] === QUOTE) return FAST_OTHER;
      const role = roles[j]!;
      const s = p;
      if (role >= Role.Open) {
        let mantissa = 0;
        let digits = 0;
        let scale = 0;
        let dot = false;
        let plain = true;
        const negative = b[p] === MINUS;
        if (negative) p++;
        for (; p < e; p++) {
          const c = b[p]!;
          if (c >= 48 && c <= 57) {
            mantissa = mantissa * 10 + (c - 48);
            digits++;
            if (dot) scale++;
          } else if (c === DOT && !dot) dot = true;
          else if (c === COMMA || c === LF || c === CR) break;
          else plain = false;
        }
        values[role] = plain && digits > 0 && digits <= 15 ? (negative ? -1 : 1) * (scale === 0 ? mantissa : mantissa / POW10[scale]!) : decimalAt(b, s, p);
      } else {
        for (; p < e; p++) {
          const c = b[p]!;
          if (c === COMMA || c === LF || c === CR) break;
        }
        if (role === Role.Stamp) {
          stampStart = s;
          stampEnd = p;
        }
      }
      if (p >= e) {
        if (!sc.eof) return FAST_STOP;
        if (j < columns - 1) return FAST_OTHER;
        break;
      }
      const c = b[p]!;
      if (c === COMMA) {
        if (j < columns - 1) {
          p++;
          continue;
        }
        // More fields than the header names: skipped, unless quoted.
        for (; p < e; p++) {
          const d = b[p]!;
          if (d === LF || d === CR) break;
          if (d === QUOTE) return FAST_OTHER;
        }
        if (p >= e && !sc.eof) return FAST_STOP;
        if (p >= e) break;
      } else if (j < columns - 1) return FAST_OTHER;
      // End of the row.
      const d = b[p]!;
      p++;
      if (d === CR && p < e && b[p] === LF) p++;
      else if (d === CR && p >= e && !sc.eof) return FAST_STOP;
      break;
    }
    this.#stamps.readInto(values, Role.Stamp, b, stampStart, stampEnd);
    // A number or time that is not one: the general reader names it.
    for (let r = Role.Stamp; r <= Role.Volume; r++) {
      const v = values[r]!;
      if (v - v !== 0) return FAST_OTHER;
    }
    sc.line = line;
    sc.pos = p;
    sc.nextLine = line + 1;
    this.#accept(line, stampStart, stampEnd);
    return FAST_DONE;
  }

  #readRow(): void {
    const sc = this.#scanner;
    const header = this.#header!;
    const line = sc.line;
    if (sc.count < header.length) {
      // A line of spaces is a blank line.
      if (sc.count === 1 && sc.text(0).trim() === '') return;
      throw new DataError(`expected ${header.length} fields (${header.join(',')}), found ${sc.count}`, this.#file, line);
    }
    const ix = this.#index;
    const stamps = this.#stamps;
    let time: number;
    const ts = ix.timestamp;
    if (ix.time !== -1) time = stamps.readText(`${sc.text(ts).trim()} ${sc.text(ix.time).trim()}`);
    else if (sc.escaped[ts] === 1) time = stamps.readText(sc.text(ts));
    else time = stamps.read(sc.buf, sc.starts[ts]!, sc.ends[ts]!);
    if (time !== time) {
      throw new DataError(`"${this.#stampText()}" is not a timestamp (expected YYYY-MM-DD[ HH:MM[:SS]] with optional Z or ±HH:MM)`, this.#file, line);
    }
    const v = this.#values;
    v[Role.Stamp] = time;
    v[Role.Open] = this.#number(ix.open, 'open');
    v[Role.High] = this.#number(ix.high, 'high');
    v[Role.Low] = this.#number(ix.low, 'low');
    v[Role.Close] = this.#number(ix.close, 'close');
    v[Role.Volume] = ix.volume === -1 ? 0 : this.#number(ix.volume, 'volume');
    this.#accept(line, -1, -1);
  }

  /** The row's timestamp as written (the general reader's current row). */
  #stampText(): string {
    const sc = this.#scanner;
    const ix = this.#index;
    return ix.time === -1 ? sc.text(ix.timestamp).trim() : `${sc.text(ix.timestamp).trim()} ${sc.text(ix.time).trim()}`;
  }

  /**
   * Checks the row's bar (in `#values`: numbers go through a typed array, not arguments, so that
   * the cold code allocates no boxed numbers) and keeps it; `stampStart…stampEnd`: its timestamp's
   * bytes (-1: the general reader's row).
   */
  #accept(line: number, stampStart: number, stampEnd: number): void {
    const v = this.#values;
    const time = v[Role.Stamp]!;
    const open = v[Role.Open]!;
    const high = v[Role.High]!;
    const low = v[Role.Low]!;
    const close = v[Role.Close]!;
    const volume = v[Role.Volume]!;
    if (!(open > 0 && high > 0 && low > 0 && close > 0 && volume >= 0 && high >= open && high >= close && high >= low && low <= open && low <= close)) {
      const problem = barProblem({ symbol: this.#o.symbol, time, open, high, low, close, volume });
      if (problem !== null) throw new DataError(problem, this.#file, line);
    }
    if (time === this.#prevTime) {
      const b = this.#scanner.buf;
      const text = stampStart === -1 ? this.#stampText() : Buffer.from(b.buffer, b.byteOffset + stampStart, stampEnd - stampStart).toString('utf8').trim();
      throw new DataError(`duplicate timestamp ${text} (first on line ${this.#prevLine})`, this.#file, line);
    }
    this.rowsRead++;
    const day = this.#evidence();
    const keep = this.#o.keepDays;
    if (keep !== undefined && (day < keep.first - 1 || day > keep.last + 1)) return;
    this.#prevTime = time;
    this.#prevLine = line;
    this.#tape.pushRow(v, line);
  }

  #number(at: number, column: Column): number {
    const sc = this.#scanner;
    const n = sc.escaped[at] === 1 ? Number(sc.text(at).trim() || Number.NaN) : decimalAt(sc.buf, sc.starts[at]!, sc.ends[at]!);
    if (n - n !== 0) throw new DataError(`${column} "${sc.text(at).trim()}" is not a finite number`, this.#file, sc.line);
    return n;
  }

  /** Counts what the row's stamp says about the labelling; returns its New York day. */
  #evidence(): number {
    const time = this.#values[Role.Stamp]!;
    const dateOnly = this.#stamps.dateOnly;
    const utcDay = Math.floor(time / DAY);
    if (utcDay !== this.#utcDay) {
      this.#utcDay = utcDay;
      const first = zoneOffset(utcDay * DAY, NEW_YORK);
      this.#nyOffset = first === zoneOffset(utcDay * DAY + DAY - 1, NEW_YORK) ? first : Number.NaN;
    }
    const offset = this.#nyOffset === this.#nyOffset ? this.#nyOffset : zoneOffset(time, NEW_YORK);
    const local = time + offset;
    const timeOfDay = ((local % DAY) + DAY) % DAY;
    const day = (local - timeOfDay) / DAY;
    if (dateOnly) this.#dateOnly++;
    else {
      if (time % DAY !== 0) this.#utcMidnight = false;
      if (timeOfDay === 34_200_000) this.#at0930++;
      else if (timeOfDay === 57_600_000) this.#at1600++;
      else if (timeOfDay === 14_400_000) this.#at0400++;
      else if (timeOfDay === 72_000_000) this.#at2000++;
      else if (timeOfDay === 46_800_000) this.#at1300.push(new Date(local - timeOfDay).toISOString().slice(0, 10));
    }
    if (this.#firstTimeOfDay === -1) this.#firstTimeOfDay = timeOfDay;
    else if (timeOfDay !== this.#firstTimeOfDay) this.#sameTimeOfDay = false;
    if (day !== this.#runDay) {
      this.#flushDay();
      this.#runDay = day;
    }
    this.#run++;
    return day;
  }

  #flushDay(): void {
    if (this.#run > 0) this.#rowsPerDay.set(this.#runDay, (this.#rowsPerDay.get(this.#runDay) ?? 0) + this.#run);
    this.#run = 0;
  }
}

/** The most common gap between consecutive bars on the same New York day (0 when no day has two). */
function commonStep(tape: BarTape): number {
  const counts = new Map<number, number>();
  const t = tape.time;
  // A sample is enough: the first 20,000 gaps.
  const n = Math.min(tape.length, 20_001);
  let offsetDay = Number.NaN;
  let offset = 0;
  let prevDay = Number.NaN;
  for (let i = 0; i < n; i++) {
    const utcDay = Math.floor(t[i]! / DAY);
    if (utcDay !== offsetDay) {
      offsetDay = utcDay;
      offset = zoneOffset(t[i]!, NEW_YORK);
    }
    const day = Math.floor((t[i]! + offset) / DAY);
    if (day === prevDay) {
      const gap = t[i]! - t[i - 1]!;
      counts.set(gap, (counts.get(gap) ?? 0) + 1);
    }
    prevDay = day;
  }
  let best = 0;
  let most = 0;
  for (const [gap, count] of counts) {
    if (count > most || (count === most && gap < best)) {
      best = gap;
      most = count;
    }
  }
  return best;
}
