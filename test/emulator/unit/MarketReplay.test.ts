import { describe, expect, it } from 'vitest';
import type { Bar } from '../../../src/core/Bar.js';
import type { MarketEvent } from '../../../src/emulator/market/MarketEvent.js';
import { MarketReplay } from '../../../src/emulator/market/MarketReplay.js';

const T = Date.parse('2019-02-11T14:30:00Z');
const bar = (symbol: string, minute: number, o: number, h: number, l: number, c: number, v: number): Bar => ({ symbol, time: T + minute * 60_000, open: o, high: h, low: l, close: c, volume: v });
const series = (bars: Bar[]) => [{ symbol: bars[0]!.symbol, minute: bars, quarter: [], daily: [] }];
const describeEvent = (e: MarketEvent): string => {
  const at = `+${(e.time - T) / 1000}s`;
  if (e.kind === 'quote') return `${at} q ${e.quote.bid}/${e.quote.ask}`;
  if (e.kind === 'trade') return `${at} t ${e.trade.price}x${e.trade.size}`;
  return `${at} ${e.kind} ${e.bar.open}/${e.bar.high}/${e.bar.low}/${e.bar.close} v${e.bar.volume}`;
};
const drain = (r: MarketReplay, until = Number.POSITIVE_INFINITY): string[] => {
  const out: string[] = [];
  while (r.peekTime() < Number.POSITIVE_INFINITY && r.peekTime() <= until) out.push(describeEvent(r.next()!));
  return out;
};

describe('MarketReplay', () => {
  it('quotes and prints each minute along open → nearer extreme → other extreme → close, then publishes the bar', () => {
    const r = new MarketReplay(series([bar('X', 0, 10, 10.5, 9.8, 10.2, 400), bar('X', 1, 10.2, 10.25, 9.9, 10.0, 101)]), { updatedBarRate: 0, random: () => 0.5 });
    expect(drain(r)).toEqual([
      '+0s q 9.99/10.01',
      '+0.001s t 10x100',
      '+15s q 9.79/9.81',
      '+15.001s t 9.8x100',
      '+30s q 10.49/10.51',
      '+30.001s t 10.5x100',
      '+45s q 10.19/10.21',
      '+45.001s t 10.2x100',
      '+60s bar 10/10.5/9.8/10.2 v400',
      '+60s dailyBar 10/10.5/9.8/10.2 v400',
      // A falling minute visits its high first.
      '+60s q 10.19/10.21',
      '+60.001s t 10.2x25',
      '+75s q 10.24/10.26',
      '+75.001s t 10.25x25',
      '+90s q 9.89/9.91',
      '+90.001s t 9.9x25',
      '+105s q 9.99/10.01',
      '+105.001s t 10x26',
      '+120s bar 10.2/10.25/9.9/10 v101',
      '+120s dailyBar 10/10.5/9.8/10 v501',
    ]);
  });

  it('re-sends a revised bar (u) 30 s after it, same time label, one late share more', () => {
    const r = new MarketReplay(series([bar('X', 0, 10, 10, 10, 10, 4)]), { updatedBarRate: 1, random: () => 0 });
    const events: MarketEvent[] = [];
    while (r.peekTime() < Number.POSITIVE_INFINITY) events.push(r.next()!);
    const u = events.find((e) => e.kind === 'updatedBar')!;
    expect([u.time - T, u.kind === 'updatedBar' ? [u.bar.time, u.bar.volume, u.bar.tradeCount] : null]).toEqual([90_000, [T, 5, 5]]);
  });

  it('interleaves symbols by time and skips minutes that ended before the start', () => {
    const bars = [bar('A', 0, 1, 1, 1, 1, 4), bar('A', 1, 2, 2, 2, 2, 4), bar('B', 1, 3, 3, 3, 3, 4)];
    const r = new MarketReplay([...series([bars[0]!, bars[1]!]), ...series([bars[2]!])], { updatedBarRate: 0, random: () => 0.5 });
    r.skipTo(T + 60_000);
    const first = r.next()!;
    expect([first.time - T, first.kind === 'quote' ? first.quote.symbol : '']).toEqual([60_000, 'A']);
    expect(r.next()!.kind === 'quote' && r.latestQuote('B')).toBeTruthy();
  });
});
