import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Bar } from '../../src/core/Bar.js';
import { HistoryCache } from '../../src/market-data/HistoryCache.js';
import { cachedDriftBars } from '../../src/readiness/driftBars.js';
import { StaticNyseCalendar } from '../../src/risk/calendar/StaticNyseCalendar.js';
import { readConfig, scratch, writeDailyConfig } from './paperRecordHarness.js';

const MIN = 60_000;
/** 2025-03-04 (New York winter time): the session opens at 14:30 UTC. */
const OPEN = Date.parse('2025-03-04T14:30:00Z');

/** Minute `k` of the session (stamped at its end, 1 = 09:31), prices rising by `k` cents from 100. */
const minute = (symbol: string, k: number): Bar => ({ symbol, time: OPEN + k * MIN, open: 100 + k / 100, high: 100.5 + k / 100, low: 99.5 + k / 100, close: 100.01 + k / 100, volume: 10 * k });

describe("item 6's bars on Alpaca: the daemon's history cache", () => {
  it('aggregates the kept minute bars to the configured timeframe as the daemon does, the last bucket included, and names a symbol without bars', async () => {
    const dir = scratch();
    const config = readConfig(writeDailyConfig(dir, join(dir, 'data'), (c) => void (c.data = { timeframe: '15M', history_days: 30 })));
    const cache = new HistoryCache(join(dir, 'history', 'iex'));
    // Minutes 1–15 (09:31–09:45) and 16–29: the last minute of the second bucket (09:46–10:00) had no trade.
    const kept = Array.from({ length: 29 }, (_, i) => minute('AAA', i + 1));
    cache.write('AAA', '1Min', OPEN, OPEN + 30 * MIN, kept);
    const got = await cachedDriftBars(config, join(dir, 'state'), 'iex', new StaticNyseCalendar())(['AAA', 'BBB']);
    // 09:45: minutes 1–15 (volume 10·(1 + … + 15) = 1200); 10:00: minutes 16–29 (volume 10·(16 + … + 29) = 3150).
    const [m1, m15, m16, m29] = [1, 15, 16, 29].map((k) => minute('AAA', k));
    expect(got.bars).toEqual([
      { symbol: 'AAA', time: OPEN + 15 * MIN, open: m1!.open, high: m15!.high, low: m1!.low, close: m15!.close, volume: 1200 },
      { symbol: 'AAA', time: OPEN + 30 * MIN, open: m16!.open, high: m29!.high, low: m16!.low, close: m29!.close, volume: 3150 },
    ]);
    expect(got.source).toBe(`the daemon's history cache ${join(dir, 'history', 'iex')}`);
    expect(got.problems).toEqual([`no 1Min bars of BBB in ${join(dir, 'history', 'iex', '1Min')} (the daemon keeps them at each start)`]);
  });

  it('reads daily bars as they are kept', async () => {
    const dir = scratch();
    const config = readConfig(writeDailyConfig(dir, join(dir, 'data')));
    const day: Bar = { symbol: 'TRND', time: Date.parse('2025-03-04T21:00:00Z'), open: 10, high: 11, low: 9, close: 10.5, volume: 1000 };
    new HistoryCache(join(dir, 'history', 'sip')).write('TRND', '1Day', day.time - 86_400_000, day.time, [day]);
    const got = await cachedDriftBars(config, join(dir, 'state'), 'sip', new StaticNyseCalendar())(['TRND']);
    expect(got.bars).toEqual([day]);
    expect(got.problems).toEqual([]);
  });
});
