import { describe, expect, it } from 'vitest';
import { splitWarmUp } from '../../src/backtest/splitWarmUp.js';
import { CliError } from '../../src/core/errors.js';
import { BarTape } from '../../src/market-data/BarTape.js';
import { messageOf } from '../core/messageOf.js';

/** Two symbols, two bars each on five New York days (2019-02-11 … 15), in time then symbol order. */
function week(skip = ''): BarTape {
  const days = ['2019-02-11', '2019-02-12', '2019-02-13', '2019-02-14', '2019-02-15'].filter((d) => d !== skip);
  const tape = new BarTape(['A', 'B'], days.length * 4);
  tape.symbolIndex = new Uint16Array(days.length * 4);
  let k = 0;
  for (const [d, day] of days.entries()) {
    for (const hour of [15, 16]) {
      for (const s of [0, 1]) {
        tape.push(Date.parse(`${day}T${hour}:00:00Z`), 100 + d, 101 + d, 99 + d, 100.5 + d, 1000, 0);
        tape.symbolIndex[k++] = s;
      }
    }
  }
  return tape;
}

const failure = (run: () => unknown): string => messageOf(run, CliError);

describe('--warm-up-days: the trading days before --from as a warm-up', () => {
  it('cuts the N days of bars right before the date off as the warm-up; the tape keeps the rest', () => {
    const tape = week();
    const w = splitWarmUp(tape, '2019-02-14', 2);
    expect([w.days, w.from, w.to]).toEqual([2, '2019-02-12', '2019-02-13']);
    // Days 2 and 3: bars 4 … 11 of the week, both symbols, in order.
    expect(w.bars.map((b) => `${b.symbol} ${new Date(b.time).toISOString().slice(0, 13)} ${b.open}`)).toEqual([
      'A 2019-02-12T15 101',
      'B 2019-02-12T15 101',
      'A 2019-02-12T16 101',
      'B 2019-02-12T16 101',
      'A 2019-02-13T15 102',
      'B 2019-02-13T15 102',
      'A 2019-02-13T16 102',
      'B 2019-02-13T16 102',
    ]);
    expect(tape.length).toBe(8);
    expect(tape.bar(0)).toEqual({ symbol: 'A', time: Date.parse('2019-02-14T15:00:00Z'), open: 103, high: 104, low: 102, close: 103.5, volume: 1000 });
    expect(tape.bar(7).time).toBe(Date.parse('2019-02-15T16:00:00Z'));
  });

  it('a date without bars starts at the next day that has some (a holiday)', () => {
    const tape = week('2019-02-13');
    const w = splitWarmUp(tape, '2019-02-13', 1);
    expect([w.from, w.to, w.bars.length]).toEqual(['2019-02-12', '2019-02-12', 4]);
    expect(tape.length).toBe(8);
    expect(new Date(tape.bar(0).time).toISOString()).toBe('2019-02-14T15:00:00.000Z');
  });

  it('refuses more days than the data has before the date, or a date after the data', () => {
    expect(failure(() => splitWarmUp(week(), '2019-02-13', 3))).toBe('--warm-up-days 3: the data has 2 trading days before 2019-02-13');
    expect(failure(() => splitWarmUp(week(), '2019-02-12', 2))).toBe('--warm-up-days 2: the data has 1 trading day before 2019-02-12');
    expect(failure(() => splitWarmUp(week(), '2019-02-16', 1))).toBe('no bars between 2019-02-16 and the end of the data');
  });
});
