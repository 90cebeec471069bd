import type { Alpaca } from '@alpacahq/alpaca-trade-api';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { Bar } from '../../src/core/Bar.js';
import { SimClock } from '../../src/core/SimClock.js';
import { AlpacaData, type DataGap } from '../../src/market-data/AlpacaData.js';
import { BarAggregator } from '../../src/market-data/BarAggregator.js';
import type { BarBatch } from '../../src/market-data/ReplayFeed.js';
import { parseTimeframe } from '../../src/market-data/Timeframe.js';
import { StaticNyseCalendar } from '../../src/risk/calendar/StaticNyseCalendar.js';
import { FakeStream } from './fakeStream.js';

const MINUTE = 60_000;

describe('the session close on the live feed', () => {
  it.each([
    ['a full day', '2019-02-11', '21:00'],
    ['an early close (13:00 New York)', '2019-11-29', '18:00'],
  ])('%s whose last minute had no trade for any symbol (no bar): the buckets it ends are closed at the close, the same day, and the next morning is no gap', async (_what, date, closeUtc) => {
    const close = Date.parse(`${date}T${closeUtc}:00Z`);
    const next = new StaticNyseCalendar().nextSession(close).open;
    const clock = new SimClock(close - 3 * MINUTE);
    const stream = new FakeStream();
    // Alpaca's history has the next session's first minute (asked for, it would be a backfill).
    const first = (c: number) => [{ t: new Date(next), o: c, h: c, l: c, c, v: 100 }];
    const page = { bars: { BAC: first(33), JPM: first(103) }, nextPageToken: null };
    const client = { marketData: { stockStream: () => stream, stocks: { stockBars: () => Promise.resolve(page) } } } as unknown as Alpaca;
    const data = new AlpacaData({ client, streamUrl: 'ws://127.0.0.1:1/v2/iex', feed: 'iex', calendar: new StaticNyseCalendar(), clock, log: pino({ level: 'silent' }), now: () => clock.now() });
    const batches: BarBatch[] = [];
    const gaps: DataGap[] = [];
    await data.start(['BAC', 'JPM'], close - 3 * MINUTE, (b) => batches.push(b), { gap: (g) => gaps.push(g), silent: () => {}, back: () => {} });
    // What the daemon does with each batch (deliverBatch): minutes into 15-minute buckets, those over closed.
    const agg = new BarAggregator(parseTimeframe('15Min')!, new StaticNyseCalendar());
    const buckets: Bar[] = [];
    const step = (to: number): void => {
      clock.advanceTo(to);
      for (const b of batches.splice(0)) {
        for (const m of b.bars) buckets.push(...agg.push(m));
        buckets.push(...agg.flush(b.time));
      }
    };
    // The minutes before the last one trade; a minute after the bell came and went, and ten more.
    for (const k of [3, 2]) {
      stream.bar('BAC', close - k * MINUTE, 30 + k);
      stream.bar('JPM', close - k * MINUTE, 100 + k);
      step(close - (k - 1) * MINUTE + 1000);
    }
    step(close + 10 * MINUTE);
    const hm = (t: number): string => new Date(t).toISOString().slice(11, 16);
    expect(buckets.map((b) => `${b.symbol} ${hm(b.time)} c${b.close}`)).toEqual([`BAC ${closeUtc} c32`, `JPM ${closeUtc} c102`]);
    // The next session's first minute follows the close: nothing was missed, nothing to fetch.
    clock.advanceTo(next + MINUTE + 1000);
    stream.bar('BAC', next, 33);
    stream.bar('JPM', next, 103);
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    data.stop();
    expect([gaps, data.requests]).toEqual([[], 0]);
  });
});
