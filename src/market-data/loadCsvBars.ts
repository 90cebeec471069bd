import { basename } from 'node:path';
import type { Bar } from '../core/Bar.js';
import { DataError } from '../core/errors.js';
import type { MarketCalendar } from '../risk/calendar/MarketCalendar.js';
import { applyLabelling, decideLabelling, type BarStampMap, type BarTime, type Labelling } from './barLabelling.js';
import type { BarTape } from './BarTape.js';
import { parseBarText, readBarFile } from './readBarFile.js';
import { nyDayNumber } from './zonedTime.js';

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

/** The symbol a data file holds, from its name: `data/SPY_1min.csv` → SPY. */
export function symbolFromFileName(file: string): string {
  const name = basename(file).replace(/\.[^.]*$/, '');
  const symbol = (name.split(/[_.\s]/)[0] ?? '').toUpperCase();
  if (!/^[A-Z][A-Z0-9.]{0,9}$/.test(symbol)) {
    throw new DataError(`cannot tell the symbol from the file name (expected SYMBOL_anything.csv, e.g. SPY_1min.csv)`, file);
  }
  return symbol;
}

/**
 * Reads a CSV file of bars, each at the time the file stamps it (a date alone: `dailyBarTime`),
 * oldest first; see `readBarFile` for the format and the checks.
 */
export async function loadCsvBars(file: string, options: CsvBarOptions = {}): Promise<Bar[]> {
  const f = await readBarFile(file, barFileOptions(file, options));
  return f.tape.toBars();
}

/** The same from CSV text. */
export function parseCsvBars(text: string, file: string, options: CsvBarOptions = {}): Bar[] {
  return parseBarText(text, file, barFileOptions(file, options)).tape.toBars();
}

function barFileOptions(file: string, o: CsvBarOptions): { symbol: string; timeZone?: string; dailyBarTime?: (date: string) => number } {
  return {
    symbol: o.symbol ?? symbolFromFileName(file),
    ...(o.timeZone === undefined ? {} : { timeZone: o.timeZone }),
    ...(o.dailyBarTime === undefined ? {} : { dailyBarTime: o.dailyBarTime }),
  };
}

export interface LabelledBarOptions {
  readonly symbol?: string;
  readonly timeZone?: string;
  readonly calendar: MarketCalendar;
  /** How the file stamps its bars (`auto`: told from the data, see `decideLabelling`). */
  readonly barTime: BarTime;
  /** The setting that says it, for the message when the data cannot tell (`--bar-time`, `sim.bar_time`). */
  readonly flag: string;
  /** New York dates to keep (inclusive, `YYYY-MM-DD`); every row is still read and checked. */
  readonly from?: string | null;
  readonly to?: string | null;
}

/** A file's bars on the daemon's time (each at its end), with how they were labelled and the way back to the file's stamps. */
export interface LabelledBars {
  readonly tape: BarTape;
  readonly labelling: Labelling;
  readonly stamps: BarStampMap;
}

const dayNumber = (date: string): number => Date.parse(`${date}T00:00:00Z`) / 86_400_000;

/**
 * Reads a CSV file as the daemon and the backtests use it: labelled (`decideLabelling`), every bar
 * stamped at its end (`applyLabelling`), only the New York dates `from`…`to` kept, in columns.
 */
export async function loadLabelledTape(file: string, o: LabelledBarOptions): Promise<LabelledBars> {
  const symbol = o.symbol ?? symbolFromFileName(file);
  const from = o.from ?? null;
  const to = o.to ?? null;
  const filtered = from !== null || to !== null;
  const f = await readBarFile(file, {
    symbol,
    ...(o.timeZone === undefined ? {} : { timeZone: o.timeZone }),
    ...(filtered ? { keepDays: { first: from === null ? -Infinity : dayNumber(from), last: to === null ? Infinity : dayNumber(to) } } : {}),
  });
  const labelling = decideLabelling(f, o.barTime, o.calendar, o.flag);
  const stamps = applyLabelling(f, labelling, o.calendar);
  if (filtered) {
    const lo = from === null ? -Infinity : dayNumber(from);
    const hi = to === null ? Infinity : dayNumber(to);
    f.tape.retain((t) => {
      const d = nyDayNumber(t);
      return d >= lo && d <= hi;
    });
    f.tape.trim();
  }
  return { tape: f.tape, labelling, stamps };
}

/** The same as bar objects (the offline daemon's replay). */
export async function loadLabelledBars(file: string, o: LabelledBarOptions): Promise<Bar[]> {
  return (await loadLabelledTape(file, o)).tape.toBars();
}
