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

const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

/**
 * BAC and JPM live from three minutes before the close of `date`; the stream sends the two minutes
 * before the last. Alpaca's history has those, the last one when `lastTraded`, and the next session's
 * first minute. Returns the 15-minute buckets the daemon builds until ten minutes after the bell (as
 * deliverBatch builds them), then the gaps and history requests once the next session's first minute came live.
 */
async function closeOf(date: string, closeUtc: string, lastTraded: boolean): Promise<{ buckets: string[]; gaps: DataGap[]; requests: number }> {
  const close = Date.parse(`${date}T${closeUtc}:00Z`);
  const next = new StaticNyseCalendar().nextSession(close).open;
  const clock = new SimClock(close - 3 * MINUTE);
  const stream = new FakeStream();
  const history = [...[3, 2, ...(lastTraded ? [1] : [])].map((k) => ({ start: close - k * MINUTE, k })), { start: next, k: 0 }];
  const stockBars = (q: { start: Date; end: Date }): Promise<unknown> => {
    const mine = history.filter((b) => b.start >= q.start.getTime() && b.start <= q.end.getTime() && b.start + MINUTE <= clock.now());
    const rows = (base: number) => mine.map((b) => ({ t: new Date(b.start), o: base + b.k, h: base + b.k, l: base + b.k, c: base + b.k, v: 100 }));
    return Promise.resolve({ bars: { BAC: rows(30), JPM: rows(100) }, nextPageToken: null });
  };
  const client = { marketData: { stockStream: () => stream, stocks: { stockBars } } } as unknown as Alpaca;
  const data = new AlpacaData({ client, streamUrl: 'ws://127.0.0.1:1/v2/iex', feed: 'iex', calendar: new StaticNyseCalendar(), clock, log: pino({ level: 'silent' }), now: () => clock.now() });
  const batches: BarBatch[] = [];
  const gaps: DataGap[] = [];
  await data.start(['BAC', 'JPM'], close - 3 * MINUTE, (b) => batches.push(b), { gap: (g) => gaps.push(g), silent: () => {}, back: () => {} });
  for (const k of [3, 2]) {
    clock.advanceTo(close - (k - 1) * MINUTE + 1000);
    stream.bar('BAC', close - k * MINUTE, 30 + k);
    stream.bar('JPM', close - k * MINUTE, 100 + k);
  }
  // A minute after the bell came and went, and ten more.
  clock.advanceTo(close + 10 * MINUTE);
  await settle();
  const agg = new BarAggregator(parseTimeframe('15Min')!, new StaticNyseCalendar());
  const buckets: Bar[] = [];
  for (const b of batches.splice(0)) {
    for (const m of b.bars) buckets.push(...agg.push(m));
    buckets.push(...agg.flush(b.time));
  }
  const requests = data.requests;
  // The next session's first minute follows the close.
  clock.advanceTo(next + MINUTE + 1000);
  stream.bar('BAC', next, 30);
  stream.bar('JPM', next, 100);
  await settle();
  data.stop();
  const hm = (t: number): string => new Date(t).toISOString().slice(11, 16);
  return { buckets: buckets.map((b) => `${b.symbol} ${hm(b.time)} c${b.close}`), gaps, requests: data.requests - requests };
}

describe('the session close on the live feed', () => {
  it.each([
    ['a full day', '2019-02-11', '21:00'],
    ['an early close (13:00 New York)', '2019-11-29', '18:00'],
  ])('%s whose last minute had no trade for any symbol (no bar): the buckets it ends are closed at the close, the same day, and the next morning is no gap', async (_what, date, closeUtc) => {
    expect(await closeOf(date, closeUtc, false)).toEqual({ buckets: [`BAC ${closeUtc} c32`, `JPM ${closeUtc} c102`], gaps: [], requests: 0 });
  });

  it('whose last minute had trades the stream did not send: fetched over REST a minute after the bell, the buckets closed with it, the gap said', async () => {
    const close = Date.parse('2019-02-11T21:00:00Z');
    expect(await closeOf('2019-02-11', '21:00', true)).toEqual({ buckets: ['BAC 21:00 c31', 'JPM 21:00 c101'], gaps: [{ from: close - MINUTE, to: close + MINUTE, backfilled: 2 }], requests: 0 });
  });
});
