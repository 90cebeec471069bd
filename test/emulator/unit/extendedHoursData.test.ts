import { describe, expect, it } from 'vitest';
import type { Bar } from '../../../src/core/Bar.js';
import { parseAlpacaTimeframe } from '../../../src/emulator/market/AlpacaTimeframe.js';
import { BarHistory } from '../../../src/emulator/market/BarHistory.js';
import { endLabelled } from '../../../src/emulator/market/loadMarketSeries.js';
import type { MarketSeries } from '../../../src/emulator/market/MarketSeries.js';
import { withSyntheticExtendedHours } from '../../../src/emulator/market/syntheticExtendedHours.js';
import { phaseAt } from '../../../src/emulator/market/tradingPhase.js';
import { StaticNyseCalendar } from '../../../src/risk/calendar/StaticNyseCalendar.js';

const calendar = new StaticNyseCalendar();
const OPEN = Date.parse('2019-02-11T14:30:00Z');
const MINUTE = 60_000;
const minute = (symbol: string, time: number, price: number, volume = 1000): Bar => ({ symbol, time, open: price, high: price + 0.05, low: price - 0.05, close: price + 0.01, volume });
/** A regular session of 390 minutes for 2019-02-11 and 2019-02-12. */
function day(symbol: string, open: number, price: number, volume = 1000): Bar[] {
  return Array.from({ length: 390 }, (_, i) => minute(symbol, open + i * MINUTE, price + i * 0.001, volume));
}
const series = (symbol: string, minutes: Bar[]): MarketSeries => ({ symbol, minute: minutes, quarter: [], daily: [] });

describe('extended hours in the data', () => {
  it('tells the session phases apart: pre-market from 04:00, after-hours to 20:00 (17:00 after an early close)', () => {
    const at = (iso: string): string => phaseAt(calendar, Date.parse(iso));
    expect(['2019-02-11T08:59:00Z', '2019-02-11T09:00:00Z', '2019-02-11T14:30:00Z', '2019-02-11T21:00:00Z', '2019-02-12T00:59:00Z', '2019-02-12T01:00:00Z', '2019-02-16T15:00:00Z'].map(at)).toEqual([
      'closed', 'pre', 'regular', 'post', 'post', 'closed', 'closed',
    ]);
    // 2019-11-29 closed at 13:00: after-hours until 17:00.
    expect([at('2019-11-29T18:00:00Z'), at('2019-11-29T21:59:00Z'), at('2019-11-29T22:00:00Z')]).toEqual(['post', 'post', 'closed']);
  });

  it('makes thin pre-market and after-hours minutes up, seeded, bridging the previous close to the open', () => {
    const feb12 = Date.parse('2019-02-12T14:30:00Z');
    const data = [series('X', [...day('X', OPEN, 100), ...day('X', feb12, 110)]), series('VIX', day('VIX', OPEN, 15, 0))];
    const [x, vix] = withSyntheticExtendedHours(data, calendar, 7);
    expect(withSyntheticExtendedHours(data, calendar, 7)).toEqual([x, vix]);
    expect(vix!.minute).toHaveLength(390);
    const extended = x!.minute.filter((b) => phaseAt(calendar, b.time) !== 'regular');
    const pre12 = extended.filter((b) => b.time >= Date.parse('2019-02-12T09:00:00Z') && b.time < feb12);
    expect(pre12.length).toBeGreaterThan(40);
    expect(pre12.length).toBeLessThan(200);
    // The walk ends near the open (110) and starts near the previous close (about 100.4).
    expect(Math.abs(pre12.at(-1)!.close - 110)).toBeLessThan(1);
    expect(Math.abs(pre12[0]!.open - 100.4)).toBeLessThan(1);
    expect(extended.every((b) => b.volume >= 1 && b.volume <= 5 && b.low <= Math.min(b.open, b.close) && b.high >= Math.max(b.open, b.close))).toBe(true);
    expect(extended.every((b) => Math.abs(b.close * 100 - Math.round(b.close * 100)) < 1e-6)).toBe(true);
    expect(x!.minute.every((b, i) => i === 0 || b.time > x!.minute[i - 1]!.time)).toBe(true);
    // A session the data already has extended minutes for is left as it is.
    const own = [minute('Y', OPEN - 60 * MINUTE, 100), ...day('Y', OPEN, 100)];
    const [y] = withSyntheticExtendedHours([series('Y', own)], calendar, 7);
    expect(y!.minute.filter((b) => b.time < OPEN)).toEqual([own[0]]);
  });

  it('reads which end a file stamps its bars by, extended hours included', () => {
    const stamps = (...hhmm: string[]): Bar[] => hhmm.map((t) => minute('X', Date.parse(`2019-02-11T${t}:00-05:00`), 1));
    expect(endLabelled(stamps('09:31', '12:00', '16:00'))).toBe(true);
    expect(endLabelled(stamps('09:30', '12:00', '15:59'))).toBe(false);
    expect(endLabelled(stamps('04:01', '09:30', '16:00', '20:00'))).toBe(true);
    expect(endLabelled(stamps('04:00', '09:30', '16:00', '19:59'))).toBe(false);
  });

  it('builds hourly bars from extended and regular minutes, daily bars from the regular session, from the same tape', () => {
    const pre = minute('X', OPEN - 20 * MINUTE, 99);
    const h = new BarHistory([series('X', [pre, ...day('X', OPEN, 100)])], calendar, { seed: 3, updatedBarRate: 0.2 });
    const tf = (s: string) => parseAlpacaTimeframe(s)!;
    const end = Date.parse('2019-02-12T00:00:00Z');
    const hour9 = h.bars('X', tf('1Hour'), 0, end, end)[0]!;
    const minutes = h.bars('X', tf('1Min'), 0, end, end);
    expect([hour9.time, hour9.open, hour9.volume]).toEqual([Date.parse('2019-02-11T14:00:00Z'), 99, 31 * 1000]);
    const daily = h.bars('X', tf('1Day'), 0, end, end);
    expect(daily.map((b) => [b.open, b.volume, b.tradeCount])).toEqual([[100, 390_000, minutes.slice(1).reduce((s, b) => s + b.tradeCount, 0)]]);
    // A revised minute is its first version until the revision is out, 30 s after the minute.
    const revised = minutes.findIndex((b, i) => i > 0 && b.tradeCount === 5);
    const m = minutes[revised]!;
    const early = h.bars('X', tf('1Min'), m.time, m.time, m.time + 60_000)[0]!;
    expect([early.tradeCount, early.volume < m.volume]).toEqual([4, true]);
    expect(h.bars('X', tf('1Min'), m.time, m.time, m.time + 90_000)[0]).toEqual(m);
  });
});
