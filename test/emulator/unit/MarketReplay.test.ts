import { describe, expect, it } from 'vitest';
import type { Bar } from '../../../src/core/Bar.js';
import type { MarketEvent } from '../../../src/emulator/market/MarketEvent.js';
import { MarketReplay } from '../../../src/emulator/market/MarketReplay.js';
import { minuteTape, printCount } from '../../../src/emulator/market/minuteTape.js';
import { StaticNyseCalendar } from '../../../src/risk/calendar/StaticNyseCalendar.js';

const T = Date.parse('2019-02-11T14:30:00Z');
const calendar = new StaticNyseCalendar();
const bar = (symbol: string, minute: number, o: number, h: number, l: number, c: number, v: number): Bar => ({ symbol, time: T + minute * 60_000, open: o, high: h, low: l, close: c, volume: v });
const series = (bars: Bar[]) => [{ symbol: bars[0]!.symbol, minute: bars, quarter: [], daily: [] }];
const replay = (bars: Bar[], updatedBarRate = 0) => new MarketReplay(series(bars), { seed: 1, updatedBarRate, calendar });
const all = (r: MarketReplay): MarketEvent[] => {
  const out: MarketEvent[] = [];
  while (r.peekTime() < Number.POSITIVE_INFINITY) out.push(r.next()!);
  return out;
};

describe('MarketReplay', () => {
  it('quotes each minute along open → nearer extreme → other extreme → close, prints at those prices, then publishes the bar', () => {
    const events = all(replay([bar('X', 0, 10, 10.5, 9.8, 10.2, 400), bar('X', 1, 10.2, 10.25, 9.9, 10.0, 101)]));
    const quotes = events.flatMap((e) => (e.kind === 'quote' ? [[(e.time - T) / 1000, e.quote.bid, e.quote.ask]] : []));
    expect(quotes).toEqual([
      [0, 9.99, 10.01],
      [15, 9.79, 9.81],
      [30, 10.49, 10.51],
      [45, 10.19, 10.21],
      // A falling minute visits its high first.
      [60, 10.19, 10.21],
      [75, 10.24, 10.26],
      [90, 9.89, 9.91],
      [105, 9.99, 10.01],
    ]);
    const first = events.filter((e) => e.time < T + 60_000 && e.kind === 'trade').map((e) => (e.kind === 'trade' ? e.trade : null)!);
    // Every print is at the price its quote is centered on, after it; the first is the open, the last the close.
    expect(first.map((t) => t.price)).toEqual([10, 9.8, 10.5, 10.2]);
    expect(first.reduce((s, t) => s + t.size, 0)).toBe(400);
    const bars = events.filter((e) => e.kind === 'bar' || e.kind === 'dailyBar').map((e) => (e.kind === 'bar' || e.kind === 'dailyBar' ? [(e.time - T) / 1000, e.kind, e.bar.volume, e.bar.tradeCount] : []));
    expect(bars).toEqual([
      [60, 'bar', 400, 4],
      [60, 'dailyBar', 400, 4],
      [120, 'bar', 101, 4],
      [120, 'dailyBar', 501, 8],
    ]);
  });

  it('gives busy minutes more prints, whose sizes add up to the volume and whose VWAP is the bar’s', () => {
    expect([0, 3, 4, 10_000, 100_000, 620_000, 5_000_000].map(printCount)).toEqual([0, 3, 4, 4, 8, 20, 24]);
    const t = minuteTape(bar('AAPL', 0, 171.14, 171.2, 170.7, 170.97, 619_925), { seed: 1, updatedBarRate: 0 });
    expect(t.prints).toHaveLength(20);
    expect(t.prints.reduce((s, p) => s + p.size, 0)).toBe(619_925);
    expect(t.prints.every((p, i) => i === 0 || p.time > t.prints[i - 1]!.time)).toBe(true);
    const vwap = t.prints.reduce((s, p) => s + p.price * p.size, 0) / 619_925;
    expect(t.final.vwap).toBeCloseTo(vwap, 4);
    expect([t.final.tradeCount, t.final.volume]).toEqual([20, 619_925]);
    // The same seed gives the same tape; another seed another one.
    expect(minuteTape(bar('AAPL', 0, 171.14, 171.2, 170.7, 170.97, 619_925), { seed: 1, updatedBarRate: 0 })).toEqual(t);
    expect(minuteTape(bar('AAPL', 0, 171.14, 171.2, 170.7, 170.97, 619_925), { seed: 2, updatedBarRate: 0 }).final.vwap).not.toBe(t.final.vwap);
  });

  it('reports a late print 4 s after its minute and re-sends the bar revised with it (u) 30 s after, same time label', () => {
    const events = all(replay([bar('X', 0, 10, 10, 10, 10, 400)], 1));
    const b = events.find((e) => e.kind === 'bar')!;
    const late = events.filter((e) => e.kind === 'trade').at(-1)!;
    const u = events.find((e) => e.kind === 'updatedBar')!;
    expect(b.kind === 'bar' && [b.bar.volume, b.bar.tradeCount]).toEqual([396, 4]);
    expect(late.kind === 'trade' && [late.time - T, late.trade.time - T, late.trade.size]).toEqual([64_000, 59_999, 4]);
    expect(u.kind === 'updatedBar' && [u.time - T, u.bar.time, u.bar.volume, u.bar.tradeCount]).toEqual([90_000, T, 400, 5]);
  });

  it('holds the opening auction at the first regular minute’s open and the closing one at its last close, just before the close', () => {
    const premarket = bar('X', -60, 9, 9, 9, 9, 10);
    const events = all(replay([premarket, bar('X', 0, 10, 10, 10, 10, 4), bar('X', 1, 11, 11, 11, 11.5, 4)]));
    const auctions = events.flatMap((e) => (e.kind === 'auction' ? [[e.auction.phase, e.time - T, e.auction.price]] : []));
    expect(auctions).toEqual([
      ['open', 0, 10],
      ['close', 6.5 * 3_600_000 - 1, 11.5],
    ]);
    // The pre-market minute is replayed (bar, quotes, prints) but makes no daily bar.
    const daily = events.filter((e) => e.kind === 'dailyBar');
    expect(daily.map((e) => e.time - T)).toEqual([60_000, 120_000]);
    expect(events.some((e) => e.kind === 'bar' && e.bar.time === premarket.time)).toBe(true);
  });

  it('interleaves symbols by time and skips minutes that ended before the start', () => {
    const bars = [bar('A', 0, 1, 1, 1, 1, 4), bar('A', 1, 2, 2, 2, 2, 4), bar('B', 1, 3, 3, 3, 3, 4)];
    const r = new MarketReplay([...series([bars[0]!, bars[1]!]), ...series([bars[2]!])], { seed: 1, updatedBarRate: 0, calendar });
    r.skipTo(T + 60_000);
    const first = r.next()!;
    expect([first.time - T, first.kind === 'quote' ? first.quote.symbol : '']).toEqual([60_000, 'A']);
    while (r.peekTime() === T + 60_000) r.next();
    expect(r.latestQuote('B')?.bid).toBe(2.99);
  });
});
