import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/core/errors.js';
import { applyLabelling, BarStamps, decideLabelling, type BarTime } from '../../src/market-data/barLabelling.js';
import { loadLabelledBars, loadLabelledTape } from '../../src/market-data/loadCsvBars.js';
import { parseBarText } from '../../src/market-data/readBarFile.js';
import { StaticNyseCalendar } from '../../src/risk/calendar/StaticNyseCalendar.js';

const calendar = new StaticNyseCalendar();
const iso = (ms: number): string => new Date(ms).toISOString();
/** Rows at these stamps (any spelling), prices that are bars. */
const file = (stamps: readonly string[], header = 'datetime,open,high,low,close,volume'): string => `${header}\n${stamps.map((s) => `${s},1,2,1,1.5,10`).join('\n')}\n`;
const minutes = (date: string, from: string, to: string, stepMinutes = 1): string[] => {
  const out: string[] = [];
  const [fh, fm] = from.split(':').map(Number) as [number, number];
  const [th, tm] = to.split(':').map(Number) as [number, number];
  for (let m = fh * 60 + fm; m <= th * 60 + tm; m += stepMinutes) out.push(`${date} ${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00`);
  return out;
};
const decide = (text: string, barTime: BarTime = 'auto', name = 'SPY_x.csv') => decideLabelling(parseBarText(text, name, { symbol: 'SPY' }), barTime, calendar, '--bar-time');
const refusal = (text: string): string => {
  try {
    decide(text);
  } catch (error) {
    expect(error).toBeInstanceOf(DataError);
    return (error as Error).message;
  }
  throw new Error('expected a DataError');
};

describe('deciding how a file stamps its bars', () => {
  it('auto: a bar at 09:30 (the open) means start, one at the close end', () => {
    const start = decide(file([...minutes('2019-02-11', '09:30', '15:59'), ...minutes('2019-02-12', '09:30', '15:59')]));
    expect(start).toMatchObject({ stamps: 'start', barMs: 60_000, reason: 'auto: bars stamped 09:30, the open (2 days)' });
    expect(decide(file(minutes('2019-02-11', '09:31', '16:00')))).toMatchObject({ stamps: 'end', barMs: 60_000 });
    expect(decide(file(minutes('2019-02-11', '09:45', '16:00', 15)))).toMatchObject({ stamps: 'end', barMs: 900_000 });
    expect(decide(file(minutes('2019-02-11', '09:30', '15:45', 15)))).toMatchObject({ stamps: 'start', barMs: 900_000 });
    // The day after Thanksgiving closes at 13:00: a bar stamped then is the close.
    expect(decide(file(minutes('2019-11-29', '09:31', '13:00')))).toMatchObject({ stamps: 'end' });
    // 13:00 on a full day is mid-session: no evidence.
    expect(refusal(file(minutes('2019-11-27', '09:31', '13:00')))).toMatch(/no bar is stamped at 09:30/);
  });

  it("auto: Alpaca's t,o,h,l,c,v files are start-labelled; hourly bars from 09:00 too", () => {
    const alpaca = decide(file(['2019-02-11T14:00:00Z', '2019-02-11T15:00:00Z', '2019-02-11T16:00:00Z', '2019-02-11T21:00:00Z'], 't,o,h,l,c,v'));
    expect(alpaca).toMatchObject({ stamps: 'start', barMs: 3_600_000, reason: 'auto: Alpaca’s t,o,h,l,c,v format stamps a bar at its start' });
  });

  it('auto: with extended hours, 04:00 without 20:00 means start, 20:00 without 04:00 end', () => {
    expect(decide(file(minutes('2019-02-11', '04:00', '19:59')))).toMatchObject({ stamps: 'start' });
    expect(decide(file(minutes('2019-02-11', '04:01', '20:00')))).toMatchObject({ stamps: 'end' });
  });

  it('says when the data cannot tell, and asks for the flag', () => {
    expect(refusal(file(minutes('2019-02-11', '10:00', '15:00', 60)))).toBe(
      'SPY_x.csv: cannot tell whether the bars are stamped at their start or at their end: no bar is stamped at 09:30 (the open: start-labelled) or at the close (16:00: end-labelled); say which with --bar-time start or --bar-time end',
    );
    expect(refusal(file(minutes('2019-02-11', '09:30', '16:00')))).toMatch(/stamped both at 09:30 .* and at the close .*; say which with --bar-time start or --bar-time end$/);
    // The flag decides.
    expect(decide(file(minutes('2019-02-11', '10:00', '15:00', 60)), 'start')).toMatchObject({ stamps: 'start', barMs: 3_600_000, reason: '--bar-time start' });
    expect(decide(file(minutes('2019-02-11', '09:30', '16:00')), 'end')).toMatchObject({ stamps: 'end', reason: '--bar-time end' });
  });

  it('daily bars are each their date’s session, whatever the flag: dates alone, midnight New York, 00:00 UTC, one time a day', () => {
    const dates = ['2019-02-11', '2019-02-12', '2019-02-13'];
    expect(decide(file(dates))).toMatchObject({ stamps: 'session', barMs: 0, reason: 'daily bars (dates alone), each its date’s session' });
    // Alpaca stamps 1Day bars at midnight New York: 05:00 UTC in winter, 04:00 in summer.
    const midnight = decide(file(['2019-03-08T05:00:00Z', '2019-03-11T04:00:00Z', '2019-03-12T04:00:00Z'], 't,o,h,l,c,v'), 'start');
    expect(midnight).toMatchObject({ stamps: 'session', utcDates: false, reason: 'daily bars stamped 00:00 New York, each its date’s session' });
    expect(decide(file(dates.map((d) => `${d}T00:00:00Z`)))).toMatchObject({ stamps: 'session', utcDates: true });
    expect(decide(file(dates.map((d) => `${d} 16:00`)), 'end')).toMatchObject({ stamps: 'session', reason: 'daily bars stamped 16:00 New York, each its date’s session' });
  });
});

describe('putting bars at their end and back', () => {
  it('a start-labelled bar ends a bar later; its stamp comes back for the output', () => {
    const f = parseBarText(file([...minutes('2019-02-11', '09:30', '10:00', 15), '2019-02-11 15:45:00']), 'x.csv', { symbol: 'SPY' });
    const l = decideLabelling(f, 'auto', calendar, '--bar-time');
    const map = applyLabelling(f, l, calendar);
    expect(l.barMs).toBe(900_000);
    expect(Array.from(f.tape.time).map(iso)).toEqual(['2019-02-11T14:45:00.000Z', '2019-02-11T15:00:00.000Z', '2019-02-11T15:15:00.000Z', '2019-02-11T21:00:00.000Z']);
    const stamps = new BarStamps();
    stamps.add('SPY', map);
    expect(iso(stamps.stampOf(Date.parse('2019-02-11T21:00:00Z'), 'SPY'))).toBe('2019-02-11T20:45:00.000Z');
    expect(stamps.identity).toBe(false);
  });

  it('a longer start-labelled bar ends at the close at the latest (an hourly bar stamped 15:30 is the last half hour)', () => {
    const f = parseBarText(file([...minutes('2019-02-11', '09:30', '15:30', 60), ...minutes('2019-11-29', '09:30', '12:30', 60)]), 'x.csv', { symbol: 'SPY' });
    const l = decideLabelling(f, 'auto', calendar, '--bar-time');
    expect(l).toMatchObject({ stamps: 'start', barMs: 3_600_000 });
    const map = applyLabelling(f, l, calendar);
    const ends = Array.from(f.tape.time).map(iso);
    expect(ends.slice(0, 7)).toEqual(['15:30', '16:30', '17:30', '18:30', '19:30', '20:30', '21:00'].map((t) => `2019-02-11T${t}:00.000Z`));
    // The day after Thanksgiving closes at 13:00 (18:00 UTC): its 12:30 bar ends then.
    expect(ends.slice(7)).toEqual(['15:30', '16:30', '17:30', '18:00'].map((t) => `2019-11-29T${t}:00.000Z`));
    const stamps = new BarStamps();
    stamps.add('SPY', map);
    expect(iso(stamps.stampOf(Date.parse('2019-02-11T21:00:00Z'), 'SPY'))).toBe('2019-02-11T20:30:00.000Z');
    expect(iso(stamps.stampOf(Date.parse('2019-02-11T20:30:00Z'), 'SPY'))).toBe('2019-02-11T19:30:00.000Z');
    expect(iso(stamps.stampOf(Date.parse('2019-11-29T18:00:00Z'), 'SPY'))).toBe('2019-11-29T17:30:00.000Z');
  });

  it('a daily bar goes to its session’s close (13:00 on early closes); its stamp comes back', () => {
    const f = parseBarText(file(['2019-11-27T05:00:00Z', '2019-11-29T05:00:00Z', '2019-12-02T05:00:00Z'], 't,o,h,l,c,v'), 'x.csv', { symbol: 'SPY' });
    const l = decideLabelling(f, 'auto', calendar, '--bar-time');
    const map = applyLabelling(f, l, calendar);
    expect(Array.from(f.tape.time).map(iso)).toEqual(['2019-11-27T21:00:00.000Z', '2019-11-29T18:00:00.000Z', '2019-12-02T21:00:00.000Z']);
    const stamps = new BarStamps();
    stamps.add('SPY', map);
    expect(iso(stamps.stampOf(Date.parse('2019-11-29T18:00:00Z')))).toBe('2019-11-29T05:00:00.000Z');
    // 00:00 UTC stamps are dated by their UTC date, not the New York evening before.
    const utc = parseBarText(file(['2019-11-27T00:00:00Z', '2019-11-29T00:00:00Z']), 'x.csv', { symbol: 'SPY' });
    applyLabelling(utc, decideLabelling(utc, 'auto', calendar, '--bar-time'), calendar);
    expect(Array.from(utc.tape.time).map(iso)).toEqual(['2019-11-27T21:00:00.000Z', '2019-11-29T18:00:00.000Z']);
  });

  it('loads a file as the daemon uses it (sim.bar_time), and keeps only the dates asked for', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'labelled-'));
    const path = join(dir, 'SPY_1min.csv');
    writeFileSync(path, file([...minutes('2019-02-11', '09:30', '15:59'), ...minutes('2019-02-12', '09:30', '15:59'), ...minutes('2019-02-13', '09:30', '15:59')]));
    const bars = await loadLabelledBars(path, { calendar, barTime: 'auto', flag: 'sim.bar_time' });
    expect(bars).toHaveLength(3 * 390);
    expect(iso(bars[0]!.time)).toBe('2019-02-11T14:31:00.000Z');
    expect(iso(bars.at(-1)!.time)).toBe('2019-02-13T21:00:00.000Z');
    const kept = await loadLabelledTape(path, { calendar, barTime: 'auto', flag: 'sim.bar_time', from: '2019-02-12', to: '2019-02-12' });
    expect(kept.tape.length).toBe(390);
    expect(iso(kept.tape.time[0]!)).toBe('2019-02-12T14:31:00.000Z');
    writeFileSync(path, file(minutes('2019-02-11', '10:00', '15:00', 60)));
    await expect(loadLabelledBars(path, { calendar, barTime: 'auto', flag: 'sim.bar_time' })).rejects.toThrow('say which with sim.bar_time start or sim.bar_time end');
  });
});
