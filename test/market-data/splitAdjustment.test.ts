import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Alpaca } from '@alpacahq/alpaca-trade-api';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { LiveClock } from '../../src/core/LiveClock.js';
import { AlpacaData } from '../../src/market-data/AlpacaData.js';
import { HistoryCache } from '../../src/market-data/HistoryCache.js';
import { StaticNyseCalendar } from '../../src/risk/calendar/StaticNyseCalendar.js';

const DAY = 86_400_000;
/** Daily bars of X (t = midnight New York): a 2:1 split takes effect at the open of 2019-02-08. */
const RAW: ReadonlyArray<readonly [string, number]> = [
  ['2019-02-06', 200],
  ['2019-02-07', 202],
  ['2019-02-08', 101],
  ['2019-02-11', 102],
];
const SPLIT_DAY = '2019-02-08';

/**
 * Alpaca's GET /v2/stocks/bars for X as its spec describes `adjustment`: `raw` as traded, `split`
 * (or `all`) with the bars before a split divided by its ratio — once the split has happened.
 */
function alpaca(now: () => number): { client: Alpaca; asked: string[] } {
  const asked: string[] = [];
  const stockBars = (q: { start: Date; end: Date; adjustment?: string }): Promise<unknown> => {
    asked.push(q.adjustment ?? 'raw');
    const split = (q.adjustment ?? 'raw').split(',').some((a) => a === 'split' || a === 'all') && now() > Date.parse(`${SPLIT_DAY}T14:30:00Z`);
    const bars = RAW.map(([date, close]) => ({ t: new Date(`${date}T05:00:00Z`), close: split && date < SPLIT_DAY ? close / 2 : close }))
      .filter((b) => b.t.getTime() >= q.start.getTime() && b.t.getTime() <= q.end.getTime() && b.t.getTime() + 16 * 3_600_000 <= now())
      .map((b) => ({ t: b.t, o: b.close, h: b.close, l: b.close, c: b.close, v: 1000 }));
    return Promise.resolve({ bars: { X: bars }, nextPageToken: null });
  };
  return { client: { marketData: { stocks: { stockBars } } } as unknown as Alpaca, asked };
}

const closes = (bars: ReadonlyArray<{ close: number }>): number[] => bars.map((b) => b.close);

describe('warm-up history across a stock split', () => {
  const from = Date.parse('2019-02-06T05:00:00Z');

  it('is split-adjusted: the days before the split on the share basis of the live bars, no 50 % fall', async () => {
    const now = Date.parse('2019-02-12T05:00:00Z');
    const { client } = alpaca(() => now);
    const data = new AlpacaData({ client, streamUrl: 'ws://127.0.0.1:1', feed: 'iex', calendar: new StaticNyseCalendar(), clock: new LiveClock(), log: pino({ level: 'silent' }), now: () => now });
    expect(closes(await data.history(['X'], '1Day', from, now))).toEqual([100, 101, 101, 102]);
  });

  it('kept on disk before the split: a restart after it does not mix the old basis with the new', async () => {
    let now = Date.parse('2019-02-08T05:00:00Z');
    const { client } = alpaca(() => now);
    const cache = new HistoryCache(join(mkdtempSync(join(tmpdir(), 'history-')), 'iex'));
    const data = new AlpacaData({ client, streamUrl: 'ws://127.0.0.1:1', feed: 'iex', calendar: new StaticNyseCalendar(), clock: new LiveClock(), log: pino({ level: 'silent' }), now: () => now, cache });
    // Before the split: the two days as traded.
    expect(closes(await data.warmUp(['X'], '1Day', from, now))).toEqual([200, 202]);
    now += 4 * DAY;
    expect(closes(await data.warmUp(['X'], '1Day', from, now))).toEqual([100, 101, 101, 102]);
  });
});
