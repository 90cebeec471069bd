import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dailyBarTime } from '../../src/risk/calendar/dailyBarTime.js';
import { StaticNyseCalendar } from '../../src/risk/calendar/StaticNyseCalendar.js';
import { DataError } from '../../src/core/errors.js';
import { loadCsvBars, parseCsvBars, symbolFromFileName } from '../../src/market-data/loadCsvBars.js';
import { simDataFile } from '../../src/market-data/simDataFiles.js';
import { parseTimeframe } from '../../src/market-data/Timeframe.js';
import { assertTimeZone, nyDateOf, nyMinuteOfDay, wallTimeToUtc } from '../../src/market-data/zonedTime.js';

const iso = (ms: number): string => new Date(ms).toISOString();
const NY = 'America/New_York';

describe('zoned time', () => {
  it('reads New York wall time in winter and summer', () => {
    expect(iso(wallTimeToUtc(2019, 2, 11, 9, 31, 0, 0, NY))).toBe('2019-02-11T14:31:00.000Z');
    expect(iso(wallTimeToUtc(2019, 7, 1, 9, 31, 0, 0, NY))).toBe('2019-07-01T13:31:00.000Z');
    expect(iso(wallTimeToUtc(2019, 7, 1, 9, 31, 0, 0, 'Europe/Paris'))).toBe('2019-07-01T07:31:00.000Z');
  });
  it('takes the first of a repeated autumn hour and the pre-change offset in a spring gap', () => {
    expect(iso(wallTimeToUtc(2019, 11, 3, 1, 30, 0, 0, NY))).toBe('2019-11-03T05:30:00.000Z');
    expect(iso(wallTimeToUtc(2019, 3, 10, 2, 30, 0, 0, NY))).toBe('2019-03-10T07:30:00.000Z');
    expect(iso(wallTimeToUtc(2019, 3, 10, 3, 0, 0, 0, NY))).toBe('2019-03-10T07:00:00.000Z');
  });
  it('gives the New York trading date and minute of an instant', () => {
    expect(nyDateOf(Date.parse('2019-02-12T04:59:59Z'))).toBe('2019-02-11');
    expect(nyDateOf(Date.parse('2019-02-12T05:00:00Z'))).toBe('2019-02-12');
    expect(nyMinuteOfDay(Date.parse('2019-02-11T14:31:00Z'))).toBe(571);
    expect(nyMinuteOfDay(Date.parse('2019-07-01T20:00:00Z'))).toBe(960);
  });
  it('refuses an unknown zone', () => {
    expect(() => assertTimeZone('Mars/Olympus')).toThrow(RangeError);
  });
});

describe('parseTimeframe', () => {
  it('reads the seed and Alpaca spellings', () => {
    expect(parseTimeframe('1M')).toEqual({ amount: 1, unit: 'Min', ms: 60_000, label: '1Min' });
    expect(parseTimeframe('15Min')).toEqual({ amount: 15, unit: 'Min', ms: 900_000, label: '15Min' });
    expect(parseTimeframe('1H')).toEqual({ amount: 1, unit: 'Hour', ms: 3_600_000, label: '1Hour' });
    expect(parseTimeframe('4Hour')?.label).toBe('4Hour');
    expect(parseTimeframe('1D')).toEqual({ amount: 1, unit: 'Day', ms: 86_400_000, label: '1Day' });
  });
  it('refuses what Alpaca cannot serve', () => {
    for (const t of ['0M', '60M', '24H', '2D', 'abc', '', '1W']) expect(parseTimeframe(t)).toBeNull();
  });
});

describe('CSV bars', () => {
  const header = 'datetime,open,high,low,close,volume';
  it('sorts newest-first rows and reads naive times in New York', () => {
    const bars = parseCsvBars(`${header}\n2019-02-11 09:32:00,2,3,1,2.5,20\n2019-02-11 09:31:00,1,2,1,1.5,10\n`, 'data/SPY_1min.csv');
    expect(bars).toEqual([
      { symbol: 'SPY', time: Date.parse('2019-02-11T14:31:00Z'), open: 1, high: 2, low: 1, close: 1.5, volume: 10 },
      { symbol: 'SPY', time: Date.parse('2019-02-11T14:32:00Z'), open: 2, high: 3, low: 1, close: 2.5, volume: 20 },
    ]);
  });
  it('detects the header: any order and case, BOM, CRLF, extra columns, no volume', () => {
    const bars = parseCsvBars('\uFEFFClose,VWAP,Timestamp,Low,High,Open\r\n1.5,9,2019-02-11T14:31:00Z,1,2,1\r\n', 'x.csv', { symbol: 'AAPL' });
    expect(bars).toEqual([{ symbol: 'AAPL', time: Date.parse('2019-02-11T14:31:00Z'), open: 1, high: 2, low: 1, close: 1.5, volume: 0 }]);
  });
  it('reads date + time columns, Alpaca one-letter names, offsets, date-only rows and another zone', () => {
    expect(parseCsvBars('date,time,open,high,low,close\n2019-02-11,09:31,1,2,1,1.5\n', 'x.csv', { symbol: 'A' })[0]!.time).toBe(Date.parse('2019-02-11T14:31:00Z'));
    expect(parseCsvBars('t,o,h,l,c,v\n2019-02-11T09:31:00-05:00,1,2,1,1.5,3\n', 'x.csv', { symbol: 'A' })[0]!.time).toBe(Date.parse('2019-02-11T14:31:00Z'));
    // A daily bar is complete at the close: 16:00 New York time by default, the calendar's close when given.
    expect(parseCsvBars('date,open,high,low,close\n2019-02-11,1,2,1,1.5\n', 'x.csv', { symbol: 'A' })[0]!.time).toBe(Date.parse('2019-02-11T21:00:00Z'));
    const early = parseCsvBars('date,open,high,low,close\n2019-11-29,1,2,1,1.5\n', 'x.csv', { symbol: 'A', dailyBarTime: dailyBarTime(new StaticNyseCalendar()) });
    expect(early[0]!.time).toBe(Date.parse('2019-11-29T18:00:00Z'));
    expect(parseCsvBars('date,open,high,low,close\n2019-07-01 08:00,1,2,1,1.5\n', 'x.csv', { symbol: 'A', timeZone: 'Europe/London' })[0]!.time).toBe(
      Date.parse('2019-07-01T07:00:00Z'),
    );
  });
  it('names the file and line of every bad row', () => {
    const bad = (rows: string, h = header): string => {
      try {
        parseCsvBars(`${h}\n${rows}`, 'SPY.csv');
      } catch (error) {
        expect(error).toBeInstanceOf(DataError);
        return (error as Error).message;
      }
      throw new Error('expected a DataError');
    };
    const ok = '2019-02-11 09:31:00,1,2,1,1.5,10\n';
    expect(bad(`${ok}2019-02-11 09:32:00,1,2\n`)).toBe('SPY.csv:3: expected 6 fields (datetime,open,high,low,close,volume), found 3');
    expect(bad(`${ok}yesterday,1,2,1,1.5,10\n`)).toBe('SPY.csv:3: "yesterday" is not a timestamp (expected YYYY-MM-DD[ HH:MM[:SS]] with optional Z or ±HH:MM)');
    expect(bad(`${ok}2019-02-30 09:32:00,1,2,1,1.5,10\n`)).toMatch(/^SPY\.csv:3: "2019-02-30 09:32:00" is not a timestamp/);
    expect(bad(`${ok}2019-02-11 09:32:00,1,2,1,abc,10\n`)).toBe('SPY.csv:3: close "abc" is not a finite number');
    expect(bad(`${ok}2019-02-11 09:32:00,1,2,1,,10\n`)).toBe('SPY.csv:3: close "" is not a finite number');
    expect(bad(`${ok}2019-02-11 09:32:00,NaN,2,1,1.5,10\n`)).toBe('SPY.csv:3: open "NaN" is not a finite number');
    expect(bad(`${ok}2019-02-11 09:32:00,1,Infinity,1,1.5,10\n`)).toBe('SPY.csv:3: high "Infinity" is not a finite number');
    expect(bad(`${ok}2019-02-11 09:32:00,0,2,0,1.5,10\n`)).toBe('SPY.csv:3: open 0 is not a positive price');
    expect(bad(`${ok}2019-02-11 09:32:00,1,1.2,1,1.5,10\n`)).toBe('SPY.csv:3: high 1.2 is below the open, close or low');
    expect(bad(`${ok}2019-02-11 09:32:00,1,2,1.2,1.5,10\n`)).toBe('SPY.csv:3: low 1.2 is above the open or close');
    expect(bad(`${ok}2019-02-11 09:32:00,1,2,1,1.5,-1\n`)).toBe('SPY.csv:3: volume -1 is not a finite count ≥ 0');
    expect(bad(`${ok}\n2019-02-11 09:31:00,1,2,1,1.5,10\n`)).toBe('SPY.csv:4: duplicate timestamp 2019-02-11 09:31:00 (first on line 2)');
    expect(bad(ok, 'datetime,open,high,close')).toBe('SPY.csv:1: header is missing low (found: datetime,open,high,close)');
    expect(bad(ok, 'when,open,high,low,close')).toBe('SPY.csv:1: header is missing timestamp|datetime|date (found: when,open,high,low,close)');
    expect(bad('')).toBe('SPY.csv: no bars: the file has a header but no rows');
    expect(() => parseCsvBars('\n\n', 'SPY.csv')).toThrow('SPY.csv: empty file: expected a header and rows of bars');
  });
  it('tells the symbol from the file name', () => {
    expect(symbolFromFileName('data/eqker/SPY_1min.csv')).toBe('SPY');
    expect(symbolFromFileName('brk.b.csv')).toBe('BRK');
    expect(() => symbolFromFileName('/tmp/_x.csv')).toThrow(DataError);
  });
  it('loads files, and names a missing one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'csv-'));
    const file = join(dir, 'QQQ_1min.csv');
    writeFileSync(file, `${header}\n2019-02-11 09:31:00,1,2,1,1.5,10`);
    expect((await loadCsvBars(file)).map((b) => b.symbol)).toEqual(['QQQ']);
    await expect(loadCsvBars(join(dir, 'nope.csv'))).rejects.toThrow(`${join(dir, 'nope.csv')}: no such file`);
  });
  it('loads the shipped SPY minute bars oldest first', async () => {
    const bars = await loadCsvBars(join(import.meta.dirname, '..', 'fixtures', 'backtrader', 'SPY_1min.csv'));
    expect(bars).toHaveLength(1950);
    expect(iso(bars[0]!.time)).toBe('2019-02-11T14:31:00.000Z');
    expect(iso(bars.at(-1)!.time)).toBe('2019-02-15T21:00:00.000Z');
    expect(bars.every((b, i) => i === 0 || b.time > bars[i - 1]!.time)).toBe(true);
  });
  it('finds the sample file of a symbol and timeframe, or says what it looked for', () => {
    const dir = join(import.meta.dirname, '..', '..', 'data', 'eqker');
    expect(simDataFile(dir, 'SPY', parseTimeframe('1M')!)).toBe(join(dir, 'SPY_1min.csv'));
    expect(simDataFile(dir, 'SPY', parseTimeframe('15M')!)).toBe(join(dir, 'SPY_15min.csv'));
    expect(simDataFile(dir, 'SPY', parseTimeframe('1D')!)).toBe(join(dir, 'SPY_daily.csv'));
    expect(() => simDataFile(dir, 'SPY', parseTimeframe('1H')!)).toThrow(
      `${dir}: no 1Hour bars for SPY (looked for SPY_1hour.csv; found SPY_15min.csv, SPY_1min.csv, SPY_daily.csv)`,
    );
  });
});
