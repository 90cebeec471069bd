import { describe, expect, it } from 'vitest';
import type { Bar } from '../../../src/core/Bar.js';
import { parseAlpacaTimeframe } from '../../../src/emulator/market/AlpacaTimeframe.js';
import { BarHistory } from '../../../src/emulator/market/BarHistory.js';
import { StaticNyseCalendar } from '../../../src/risk/calendar/StaticNyseCalendar.js';

const T = Date.parse('2019-02-11T14:30:00Z');
const minute = (m: number, o: number, h: number, l: number, c: number, v: number): Bar => ({ symbol: 'X', time: T + m * 60_000, open: o, high: h, low: l, close: c, volume: v });
// 09:30–09:36: seven minutes.
const minutes = [minute(0, 10, 11, 9, 10.5, 100), minute(1, 10.5, 12, 10, 11, 100), minute(2, 11, 11, 10, 10, 100), minute(3, 10, 10, 8, 9, 100), minute(4, 9, 9.5, 8.5, 9.5, 100), minute(5, 9.5, 10, 9, 10, 100), minute(6, 10, 13, 10, 12, 100)];
const history = (): BarHistory => new BarHistory([{ symbol: 'X', minute: minutes, quarter: [], daily: [] }], new StaticNyseCalendar());
const tf = (s: string) => parseAlpacaTimeframe(s)!;

describe('BarHistory', () => {
  it('aggregates minutes on New York clock boundaries (5Min: 09:30, 09:35)', () => {
    const bars = history().bars('X', tf('5Min'), 0, Number.MAX_SAFE_INTEGER, T + 7 * 60_000);
    expect(bars.map((b) => [new Date(b.time).toISOString(), b.open, b.high, b.low, b.close, b.volume, b.tradeCount])).toEqual([
      ['2019-02-11T14:30:00.000Z', 10, 12, 8, 9.5, 500, 20],
      ['2019-02-11T14:35:00.000Z', 9.5, 13, 9, 12, 200, 8],
    ]);
  });

  it('gives the bucket still forming as far as the market has gone, and nothing the market has not reached', () => {
    const at = T + 6 * 60_000 + 30_000; // 09:36:30: the 09:35 minute is done, the 09:36 one is not.
    const bars = history().bars('X', tf('5Min'), 0, Number.MAX_SAFE_INTEGER, at);
    expect(bars.map((b) => [b.open, b.close, b.volume])).toEqual([
      [10, 9.5, 500],
      [9.5, 10, 100],
    ]);
    expect(history().bars('X', tf('1Min'), 0, Number.MAX_SAFE_INTEGER, T + 59_999)).toEqual([]);
  });

  it('stamps daily aggregates at New York midnight and weekly ones on Monday', () => {
    const end = T + 7 * 60_000;
    expect(history().bars('X', tf('1Day'), 0, Number.MAX_SAFE_INTEGER, end).map((b) => new Date(b.time).toISOString())).toEqual(['2019-02-11T05:00:00.000Z']);
    expect(history().bars('X', tf('1Week'), 0, Number.MAX_SAFE_INTEGER, end).map((b) => new Date(b.time).toISOString())).toEqual(['2019-02-11T05:00:00.000Z']);
  });

  it('reads Alpaca timeframes and refuses what Alpaca refuses', () => {
    expect(['1Min', '15T', '23Hour', '1D', '1Week', '3M'].map((s) => parseAlpacaTimeframe(s)?.label)).toEqual(['1Min', '15Min', '23Hour', '1Day', '1Week', '3Month']);
    expect(['60Min', '24H', '2Day', '5Month', '1min', ''].map(parseAlpacaTimeframe)).toEqual([null, null, null, null, null, null]);
  });
});
