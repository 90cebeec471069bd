import { describe, expect, it } from 'vitest';
import { missingMinutes } from '../../src/market-data/missingMinutes.js';
import { StaticNyseCalendar } from '../../src/risk/calendar/StaticNyseCalendar.js';

const cal = new StaticNyseCalendar();
const MINUTE = 60_000;
const at = (iso: string): number => Date.parse(iso);
const iso = (runs: ReadonlyArray<{ from: number; to: number }>): string[][] => runs.map((r) => [new Date(r.from).toISOString().slice(0, 16), new Date(r.to).toISOString().slice(0, 16)]);
/** Bar ends every minute in (from, to]. */
const every = (from: number, to: number): number[] => Array.from({ length: (to - from) / MINUTE }, (_, i) => from + (i + 1) * MINUTE);

describe('missingMinutes', () => {
  const open = at('2019-02-12T14:30:00Z');
  const close = at('2019-02-12T21:00:00Z');

  it('finds a run of minutes with no bar at all, not a single quiet minute', () => {
    // Bars every minute of the session except 10:00–10:07 (8 minutes) and 11:00 (one).
    const ends = new Set(every(open, close).filter((e) => !(e > at('2019-02-12T15:00:00Z') && e <= at('2019-02-12T15:08:00Z')) && e !== at('2019-02-12T16:01:00Z')));
    expect(iso(missingMinutes(cal, open, close, ends, 5))).toEqual([['2019-02-12T15:00', '2019-02-12T15:08']]);
    expect(iso(missingMinutes(cal, open, close, ends, 1))).toEqual([
      ['2019-02-12T15:00', '2019-02-12T15:08'],
      ['2019-02-12T16:00', '2019-02-12T16:01'],
    ]);
  });

  it('counts only regular-session minutes: the night and the weekend are not holes', () => {
    // From Friday's 15:50 to Monday's 09:40 (New York): bars at every session minute.
    const from = at('2019-02-08T20:50:00Z');
    const to = at('2019-02-11T14:40:00Z');
    const ends = new Set([...every(from, at('2019-02-08T21:00:00Z')), ...every(at('2019-02-11T14:30:00Z'), to)]);
    expect(missingMinutes(cal, from, to, ends, 1)).toEqual([]);
    // Monday's first ten minutes gone: one hole, from the open.
    const monday = new Set(every(from, at('2019-02-08T21:00:00Z')));
    expect(iso(missingMinutes(cal, from, to, monday, 5))).toEqual([['2019-02-11T14:30', '2019-02-11T14:40']]);
  });
});
