import { describe, expect, it } from 'vitest';
import type { Bar } from '../../src/core/Bar.js';
import { BarAggregator } from '../../src/market-data/BarAggregator.js';
import { parseTimeframe } from '../../src/market-data/Timeframe.js';
import { StaticNyseCalendar } from '../../src/risk/calendar/StaticNyseCalendar.js';

// Minute bars stamped at their end, 2019-02-11 (open 14:30Z, close 21:00Z).
const at = (hhmm: string): number => Date.parse(`2019-02-11T${hhmm}:00Z`);
const minute = (hhmm: string, o: number, h: number, l: number, c: number): Bar => ({ symbol: 'X', time: at(hhmm), open: o, high: h, low: l, close: c, volume: 10 });
const stamps = (bars: Bar[]): string[] => bars.map((b) => `${new Date(b.time).toISOString().slice(11, 16)} ${b.open}/${b.high}/${b.low}/${b.close} v${b.volume}`);

describe('BarAggregator (session-aligned)', () => {
  it('builds 15-minute bars from the open, stamped at their end, emitted with their last minute', () => {
    const agg = new BarAggregator(parseTimeframe('15Min')!, new StaticNyseCalendar());
    const out: Bar[] = [];
    for (let m = 1; m <= 16; m++) out.push(...agg.push(minute(`14:${30 + m}`, 10 + m, 11 + m, 9 + m, 10.5 + m)));
    expect(stamps(out)).toEqual(['14:45 11/26/10/25.5 v150']);
    expect(stamps(agg.flush(at('15:00')))).toEqual(['15:00 26/27/25/26.5 v10']);
  });

  it('closes a bucket whose last minute never came when a later minute arrives, and cuts the last bucket at the close', () => {
    const agg = new BarAggregator(parseTimeframe('1H')!, new StaticNyseCalendar());
    expect(agg.push(minute('14:31', 1, 2, 0.5, 1.5))).toEqual([]);
    // No minute bar 14:32–15:30 (no trades): the 14:30–15:30 bucket is done when 15:31 arrives.
    expect(stamps(agg.push(minute('15:31', 2, 3, 1, 2.5)))).toEqual(['15:30 1/2/0.5/1.5 v10']);
    const late = new BarAggregator(parseTimeframe('1H')!, new StaticNyseCalendar());
    // 20:30–21:00 is the session's last, half-hour bucket.
    expect(stamps(late.push(minute('21:00', 5, 5, 5, 5)))).toEqual(['21:00 5/5/5/5 v10']);
    expect(stamps(agg.flush(at('16:31')))).toEqual(['16:30 2/3/1/2.5 v10']);
  });

  it('a bucket closed without its last minute (the bar came after the batch): that late minute makes no second bar for the bucket', () => {
    const agg = new BarAggregator(parseTimeframe('15Min')!, new StaticNyseCalendar());
    for (let m = 1; m <= 14; m++) expect(agg.push(minute(`14:${30 + m}`, 10, 11, 9, 10))).toEqual([]);
    // The 14:45 batch came without X's last minute: the bucket is closed at 14:45 all the same.
    expect(stamps(agg.flush(at('14:45')))).toEqual(['14:45 10/11/9/10 v140']);
    // X's 14:45 minute comes late, delivered with the 14:46 batch: the strategies keep the bucket they saw.
    expect(agg.push(minute('14:45', 12, 13, 12, 13))).toEqual([]);
    expect(agg.push(minute('14:46', 14, 14, 14, 14))).toEqual([]);
    expect(stamps(agg.flush(at('15:00')))).toEqual(['15:00 14/14/14/14 v10']);
  });

  it('passes 1-minute bars through and builds a day from the whole session', () => {
    const one = new BarAggregator(parseTimeframe('1M')!, new StaticNyseCalendar());
    const m = minute('14:31', 1, 1, 1, 1);
    expect(one.push(m)).toEqual([m]);
    const day = new BarAggregator(parseTimeframe('1D')!, new StaticNyseCalendar());
    expect(day.push(minute('14:31', 1, 2, 0.5, 1.5))).toEqual([]);
    expect(stamps(day.push(minute('21:00', 1.5, 4, 1, 3)))).toEqual(['21:00 1/4/0.5/3 v20']);
  });
});
