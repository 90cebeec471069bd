import type { Alpaca } from '@alpacahq/alpaca-trade-api';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { SimClock } from '../../src/core/SimClock.js';
import { AlpacaData, type DataGap } from '../../src/market-data/AlpacaData.js';
import type { BarBatch } from '../../src/market-data/ReplayFeed.js';
import { StaticNyseCalendar } from '../../src/risk/calendar/StaticNyseCalendar.js';
import { FakeStream } from './fakeStream.js';

const MINUTE = 60_000;
const T = Date.parse('2019-02-11T16:00:00Z');

/** Two symbols trading in the minutes `traded` (from 11:00 New York) of Alpaca's history; the stream sends 11:00 and 11:02 only. */
async function run(traded: readonly number[]): Promise<{ batches: string[]; gaps: DataGap[] }> {
  const clock = new SimClock(T);
  const stream = new FakeStream();
  // Alpaca's history: the bars of the minutes that had trades, published as they close.
  const history = traded.flatMap((k) => ['BAC', 'JPM'].map((symbol) => ({ symbol, start: T + k * MINUTE, c: 30 + k })));
  const stockBars = (q: { start: Date; end: Date }): Promise<unknown> => {
    const bars: Record<string, unknown[]> = {};
    for (const b of history) {
      if (b.start < q.start.getTime() || b.start > q.end.getTime() || b.start + MINUTE > clock.now()) continue;
      (bars[b.symbol] ??= []).push({ t: new Date(b.start), o: b.c, h: b.c, l: b.c, c: b.c, v: 100 });
    }
    return Promise.resolve({ bars, nextPageToken: null });
  };
  const client = { marketData: { stockStream: () => stream, stocks: { stockBars } } } as unknown as Alpaca;
  const data = new AlpacaData({ client, streamUrl: 'ws://127.0.0.1:1/v2/iex', feed: 'iex', calendar: new StaticNyseCalendar(), clock, log: pino({ level: 'silent' }), now: () => clock.now() });
  const batches: BarBatch[] = [];
  const gaps: DataGap[] = [];
  await data.start(['BAC', 'JPM'], T, (b) => batches.push(b), { gap: (g) => gaps.push(g), silent: () => {}, back: () => {} });
  for (const k of [0, 2]) {
    clock.advanceTo(T + (k + 1) * MINUTE + 1000);
    stream.bar('BAC', T + k * MINUTE, 30 + k);
    stream.bar('JPM', T + k * MINUTE, 30 + k);
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  }
  clock.advanceTo(T + 4 * MINUTE);
  data.stop();
  const hm = (t: number): string => new Date(t).toISOString().slice(11, 16);
  return { batches: batches.map((b) => `${hm(b.time)} ${b.bars.map((x) => `${x.symbol} ${x.close}`).join(', ')}`), gaps };
}

describe('a minute the stream skipped', () => {
  it('in which no symbol traded (no bar, live or in history): no gap, the next live minute is delivered once, no alert says bars were backfilled', async () => {
    expect(await run([0, 2])).toEqual({ batches: ['16:01 BAC 30, JPM 30', '16:03 BAC 32, JPM 32'], gaps: [] });
  });

  it('that had trades: fetched over REST before the next one, and a gap of its bars alerted', async () => {
    expect(await run([0, 1, 2])).toEqual({
      batches: ['16:01 BAC 30, JPM 30', '16:02 BAC 31, JPM 31', '16:03 BAC 32, JPM 32'],
      gaps: [{ from: T + MINUTE, to: T + 3 * MINUTE + 1000, backfilled: 2 }],
    });
  });
});
