import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Bar } from '../core/Bar.js';
import { DataError } from '../core/errors.js';
import { barProblem } from './barProblem.js';
import { NEW_YORK, wallTimeToUtc } from './zonedTime.js';

export interface CsvBarOptions {
  /** Symbol of every bar; default: the file name up to its first `_` or `.` (`SPY_1min.csv` → SPY). */
  readonly symbol?: string;
  /** Zone of timestamps without an offset; default America/New_York. */
  readonly timeZone?: string;
  /**
   * The instant a date-only row (a daily bar, `2019-02-15`) stands for: a daily bar is complete at
   * the session's close. Default: 16:00 wall time in `timeZone`; the daemon and the backtests pass
   * the calendar's close (13:00 on early-close days).
   */
  readonly dailyBarTime?: (date: string) => number;
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

// 2019-02-15, 2019-02-15 16:00, 2019-02-15T16:00:00.000Z, 2019-02-15T16:00:00-05:00
const stampPattern = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** The symbol a data file holds, from its name: `data/SPY_1min.csv` → SPY. */
export function symbolFromFileName(file: string): string {
  const name = basename(file).replace(/\.[^.]*$/, '');
  const symbol = (name.split(/[_.\s]/)[0] ?? '').toUpperCase();
  if (!/^[A-Z][A-Z0-9.]{0,9}$/.test(symbol)) {
    throw new DataError(`cannot tell the symbol from the file name (expected SYMBOL_anything.csv, e.g. SPY_1min.csv)`, file);
  }
  return symbol;
}

/** Reads a CSV file of bars; see `parseCsvBars`. */
export async function loadCsvBars(file: string, options: CsvBarOptions = {}): Promise<Bar[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DataError(code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? String(error)})`, file, undefined, { cause: error });
  }
  return parseCsvBars(text, file, options);
}

/**
 * Parses bars from CSV text: a header naming `timestamp|datetime|date` (+ optional `time`), `open`,
 * `high`, `low`, `close` and optional `volume`, in any order and case, other columns ignored; rows
 * in any order (returned oldest first). Timestamps are ISO-8601 with `Z` or an offset, or naive
 * wall-clock time in `timeZone`. Every problem names the file and line: a missing column, a short
 * row, a timestamp or number that does not parse, a price that is not positive, a high below the
 * open/close or a low above them, a duplicate timestamp.
 */
export function parseCsvBars(text: string, file: string, options: CsvBarOptions = {}): Bar[] {
  const symbol = options.symbol ?? symbolFromFileName(file);
  const timeZone = options.timeZone ?? NEW_YORK;
  const dailyBarTime = options.dailyBarTime ?? ((date: string): number => parseStamp(`${date} 16:00`, timeZone)!);
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let headerLine = 0;
  while (headerLine < lines.length && lines[headerLine]!.trim() === '') headerLine++;
  if (headerLine === lines.length) throw new DataError('empty file: expected a header and rows of bars', file);
  const header = splitRow(lines[headerLine]!).map((h) => h.toLowerCase());
  const index = columnIndexes(header, file, headerLine + 1);

  const bars: Bar[] = [];
  const seen = new Map<number, number>();
  for (let i = headerLine + 1; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.trim() === '') continue;
    const lineNo = i + 1;
    const fields = splitRow(raw);
    if (fields.length < header.length) {
      throw new DataError(`expected ${header.length} fields (${header.join(',')}), found ${fields.length}`, file, lineNo);
    }
    const stampText = index.time === -1 ? fields[index.timestamp]! : `${fields[index.timestamp]!} ${fields[index.time]!}`;
    const time = /^\d{4}-\d{2}-\d{2}$/.test(stampText.trim()) && parseStamp(stampText, timeZone) !== null ? dailyBarTime(stampText.trim()) : parseStamp(stampText, timeZone);
    if (time === null) {
      throw new DataError(`"${stampText}" is not a timestamp (expected YYYY-MM-DD[ HH:MM[:SS]] with optional Z or ±HH:MM)`, file, lineNo);
    }
    const num = (column: Column): number => {
      const at = index[column];
      if (at === -1) return 0;
      const v = fields[at]!;
      const n = v === '' ? Number.NaN : Number(v);
      if (!Number.isFinite(n)) throw new DataError(`${column} "${v}" is not a finite number`, file, lineNo);
      return n;
    };
    const bar: Bar = { symbol, time, open: num('open'), high: num('high'), low: num('low'), close: num('close'), volume: num('volume') };
    checkBar(bar, file, lineNo);
    const earlier = seen.get(time);
    if (earlier !== undefined) throw new DataError(`duplicate timestamp ${stampText} (first on line ${earlier})`, file, lineNo);
    seen.set(time, lineNo);
    bars.push(bar);
  }
  if (bars.length === 0) throw new DataError('no bars: the file has a header but no rows', file);
  bars.sort((a, b) => a.time - b.time);
  return bars;
}

function splitRow(line: string): string[] {
  return line.split(',').map((f) => f.trim().replace(/^"(.*)"$/, '$1'));
}

function columnIndexes(header: string[], file: string, line: number): Record<Column, number> {
  const found = {} as Record<Column, number>;
  for (const column of Object.keys(aliases) as Column[]) {
    found[column] = header.findIndex((h) => (aliases[column] as readonly string[]).includes(h));
  }
  const missing = (['timestamp', 'open', 'high', 'low', 'close'] as const).filter((c) => found[c] === -1);
  if (missing.length > 0) {
    throw new DataError(
      `header is missing ${missing.map((c) => (c === 'timestamp' ? 'timestamp|datetime|date' : c)).join(', ')} (found: ${header.join(',')})`,
      file,
      line,
    );
  }
  return found;
}

function parseStamp(text: string, timeZone: string): number | null {
  const m = stampPattern.exec(text.trim());
  if (m === null) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0', zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  const ms = Math.floor(Number(`0.${frac}`) * 1000);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 59) return null;
  if (zone === undefined) return wallTimeToUtc(year, month, day, hour, minute, second, ms, timeZone);
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  if (zone.toUpperCase() === 'Z') return utc;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return utc - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function checkBar(b: Bar, file: string, line: number): void {
  const problem = barProblem(b);
  if (problem !== null) throw new DataError(problem, file, line);
}
