import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_DATA, OPEN_0211, startEmulator, until, type TestEmulator } from '../harness.js';
import { MINUTE, rest, TradeUpdates, type Json } from './rawClient.js';

type Bar = { t: string; o: number; h: number; l: number; c: number; v: number; n: number; vw: number };
type Bars = { bars: Bar[]; symbol: string; next_page_token: string | null };
type Multi<K extends string, T> = { next_page_token: string | null } & Record<K, Record<string, T[]>>;

/** Aggregates minute bars as Alpaca does: first open, extremes, last close, summed volume and count, volume-weighted VWAP. */
function merge(bars: readonly Bar[]): Omit<Bar, 't' | 'vw'> {
  return { o: bars[0]!.o, h: Math.max(...bars.map((b) => b.h)), l: Math.min(...bars.map((b) => b.l)), c: bars.at(-1)!.c, v: bars.reduce((s, b) => s + b.v, 0), n: bars.reduce((s, b) => s + b.n, 0) };
}
const ohlcvn = (b: Bar): Omit<Bar, 't' | 'vw'> => ({ o: b.o, h: b.h, l: b.l, c: b.c, v: b.v, n: b.n });

/**
 * Items 3 (market data) and 4: latest bars, snapshots, historical trades and quotes (paged as Alpaca
 * pages), and bars that agree across timeframes because every one is built from the replayed minutes.
 */
describe('conformance: market data', () => {
  let t: TestEmulator;
  let api: ReturnType<typeof rest>;
  let data: ReturnType<typeof rest>;

  beforeAll(async () => {
    // The market has reached 10:07:30 New York time on 2019-02-11.
    t = await startEmulator({ start: OPEN_0211 + 37 * MINUTE + 30_000, partialFillRate: 0 });
    api = rest(t.urls.baseUrl);
    data = rest(t.urls.dataUrl);
  });
  afterAll(async () => {
    await t.stop();
    expect(t.contract.failures).toEqual([]);
  });

  it('gives latest bars, one symbol or several, and snapshots with today’s bar so far and the previous day’s', async () => {
    const one = (await data.get<{ symbol: string; bar: Bar }>('/v2/stocks/AAPL/bars/latest')).body;
    expect([one.symbol, one.bar.t]).toEqual(['AAPL', '2019-02-11T15:06:00.000Z']);
    const many = (await data.get<{ bars: Record<string, Bar> }>('/v2/stocks/bars/latest?symbols=AAPL,SPY,NOPE')).body;
    expect(Object.keys(many.bars)).toEqual(['AAPL', 'SPY']);
    expect(many.bars['AAPL']).toEqual(one.bar);
    const snap = (await data.get<Json>('/v2/stocks/AAPL/snapshot')).body;
    expect(Object.keys(snap).sort()).toEqual(['currency', 'dailyBar', 'latestQuote', 'latestTrade', 'minuteBar', 'prevDailyBar', 'symbol']);
    expect(snap['minuteBar']).toEqual(one.bar);
    expect([(snap['dailyBar'] as Bar).t, (snap['dailyBar'] as Bar).o, (snap['prevDailyBar'] as Bar).t, (snap['prevDailyBar'] as Bar).c]).toEqual(['2019-02-11T05:00:00.000Z', 171.14, '2019-02-08T05:00:00.000Z', 170.41]);
    const snaps = (await data.get<Record<string, Json>>('/v2/stocks/snapshots?symbols=SPY,AAPL')).body;
    expect(Object.keys(snaps).sort()).toEqual(['AAPL', 'SPY']);
    expect((snaps['AAPL']!['latestTrade'] as Json)['p']).toBe((snap['latestTrade'] as Json)['p']);
    expect((await data.get('/v2/stocks/NOPE/snapshot')).status).toBe(404);
    expect((await data.get('/v2/stocks/NOPE/bars/latest')).status).toBe(404);
  });

  it('builds every timeframe from the replayed minutes: 15Min, 1Hour, 1Day, odd sizes, weeks and months agree', async () => {
    const minutes = (await data.get<Bars>('/v2/stocks/AAPL/bars?timeframe=1Min&start=2019-02-11&limit=10000')).body.bars;
    expect(minutes).toHaveLength(37);
    const quarter = (await data.get<Bars>('/v2/stocks/AAPL/bars?timeframe=15Min&start=2019-02-11')).body.bars;
    expect(quarter.map((b) => b.t)).toEqual(['2019-02-11T14:30:00.000Z', '2019-02-11T14:45:00.000Z', '2019-02-11T15:00:00.000Z']);
    expect(ohlcvn(quarter[0]!)).toEqual(merge(minutes.slice(0, 15)));
    // The bar still forming (10:00–10:07 so far) is given as far as it goes.
    expect(ohlcvn(quarter[2]!)).toEqual(merge(minutes.slice(30)));
    for (const tf of ['7Min', '1Hour', '2Hour', '1Day', '1Week', '1Month']) {
      // A bar is labelled by its start: February's starts on the 1st.
      const bars = (await data.get<Bars>(`/v2/stocks/AAPL/bars?timeframe=${tf}&start=2019-02-01`)).body.bars;
      const all = bars.at(-1)!;
      const covered = minutes.filter((m) => m.t >= all.t);
      if (tf === '1Week' || tf === '1Month') {
        // Weeks and months also hold the days before, from the daily file.
        expect([all.c, all.h >= merge(covered).h]).toEqual([merge(covered).c, true]);
      } else {
        expect(ohlcvn(all), tf).toEqual(merge(covered));
      }
      expect(all.vw).toBeGreaterThanOrEqual(all.l);
      expect(all.vw).toBeLessThanOrEqual(all.h);
    }
    // Trade counts follow the volume (never a constant), VWAPs lie within the bar.
    expect(new Set(minutes.map((b) => b.n)).size).toBeGreaterThan(3);
    expect(minutes.every((b) => b.vw >= b.l && b.vw <= b.h)).toBe(true);
  });

  it('gives the day’s daily bar from its minutes (2019-02-11 closes at 169.45, the last minute’s close)', async () => {
    t.emulator.step(Date.parse('2019-02-11T21:00:00Z') - t.emulator.clock.now());
    const days = (await data.get<Bars>('/v2/stocks/AAPL/bars?timeframe=1Day&start=2019-02-07&end=2019-02-11')).body.bars;
    expect(days.map((b) => [b.t.slice(0, 10), b.c])).toEqual([
      ['2019-02-07', 170.94],
      ['2019-02-08', 170.41],
      ['2019-02-11', 169.45],
    ]);
    const minutes = (await data.get<Bars>('/v2/stocks/AAPL/bars?timeframe=1Min&start=2019-02-11&limit=10000')).body.bars;
    expect(ohlcvn(days[2]!)).toEqual(merge(minutes));
    const hours = (await data.get<Bars>('/v2/stocks/AAPL/bars?timeframe=1Hour&start=2019-02-11')).body.bars;
    expect(merge(hours)).toEqual(merge(minutes));
  });

  it('pages historical trades across symbols (limit counts every point), each minute’s prints adding up to its bar', async () => {
    const q = 'start=2019-02-11T14:30:00Z&end=2019-02-11T14:31:59Z';
    const bars = (await data.get<Multi<'bars', Bar>>(`/v2/stocks/bars?symbols=AAPL,SPY&timeframe=1Min&${q}`)).body.bars;
    const got: Record<string, Json[]> = {};
    let token: string | null = null;
    let pages = 0;
    do {
      const page: Multi<'trades', Json> = (await data.get<Multi<'trades', Json>>(`/v2/stocks/trades?symbols=SPY,AAPL&${q}&limit=10${token === null ? '' : `&page_token=${token}`}`)).body;
      const points = Object.values(page.trades).reduce((s, l) => s + l.length, 0);
      expect(points).toBeLessThanOrEqual(10);
      for (const [s, l] of Object.entries(page.trades)) got[s] = [...(got[s] ?? []), ...l];
      token = page.next_page_token;
      pages++;
    } while (token !== null);
    for (const symbol of ['AAPL', 'SPY']) {
      for (const bar of bars[symbol]!) {
        const end = new Date(Date.parse(bar.t) + MINUTE).toISOString();
        const prints = got[symbol]!.filter((x) => (x['t'] as string) >= bar.t && (x['t'] as string) < end);
        expect([prints.length, prints.reduce((s, x) => s + (x['s'] as number), 0), prints[0]!['p'], prints.at(-1)!['p']]).toEqual([bar.n, bar.v, bar.o, bar.c]);
      }
    }
    expect(pages).toBe(Math.ceil((got['AAPL']!.length + got['SPY']!.length) / 10));
    // One symbol, newest first.
    const single = (await data.get<{ trades: Json[]; symbol: string }>(`/v2/stocks/AAPL/trades?${q}&sort=desc&limit=3`)).body;
    expect(single.trades.map((x) => x['t'])).toEqual([...single.trades.map((x) => x['t'] as string)].sort().reverse());
    expect(single.trades[0]!['p']).toBe(bars['AAPL']![1]!.c);
  });

  it('gives historical quotes: four NBBO changes a minute, paged the same way', async () => {
    const page1 = (await data.get<{ quotes: Json[]; next_page_token: string | null }>('/v2/stocks/AAPL/quotes?start=2019-02-11T14:30:00Z&end=2019-02-11T14:30:59Z&limit=3')).body;
    expect(page1.quotes.map((x) => [x['t'], x['bp'], x['ap']])).toEqual([
      ['2019-02-11T14:30:00.000Z', 171.13, 171.15],
      ['2019-02-11T14:30:15.000Z', 171.19, 171.21],
      ['2019-02-11T14:30:30.000Z', 170.69, 170.71],
    ]);
    const page2 = (await data.get<{ quotes: Json[]; next_page_token: string | null }>(`/v2/stocks/AAPL/quotes?start=2019-02-11T14:30:00Z&end=2019-02-11T14:30:59Z&limit=3&page_token=${page1.next_page_token!}`)).body;
    expect([page2.quotes.map((x) => x['t']), page2.next_page_token]).toEqual([['2019-02-11T14:30:45.000Z'], null]);
    const multi = (await data.get<Multi<'quotes', Json>>('/v2/stocks/quotes?symbols=AAPL,SPY&start=2019-02-11T14:30:00Z&end=2019-02-11T14:30:59Z')).body;
    expect([multi.quotes['AAPL']!.length, multi.quotes['SPY']!.length, multi.next_page_token]).toEqual([4, 4, null]);
  });

  it('never gives a trade or quote the market has not reached', async () => {
    const e = await startEmulator({ start: OPEN_0211 + 20_000 });
    try {
      const trades = (await rest(e.urls.dataUrl).get<{ trades: Json[] }>('/v2/stocks/AAPL/trades?start=2019-02-11')).body.trades;
      expect(trades.every((x) => (x['t'] as string) <= '2019-02-11T14:30:20.000Z')).toBe(true);
      expect(trades.length).toBeGreaterThan(1);
      const quotes = (await rest(e.urls.dataUrl).get<{ quotes: Json[] }>('/v2/stocks/AAPL/quotes?start=2019-02-11')).body.quotes;
      expect(quotes.map((x) => x['t'])).toEqual(['2019-02-11T14:30:00.000Z', '2019-02-11T14:30:15.000Z']);
    } finally {
      await e.stop();
      expect(e.contract.failures).toEqual([]);
    }
  });

  it('values a position against the previous session’s close from the first day (lastday_price)', async () => {
    const e = await startEmulator({ start: OPEN_0211 + 5_000, partialFillRate: 0 });
    try {
      const stream = new TradeUpdates(e.urls.tradeStreamUrl);
      await stream.listen();
      const r = rest(e.urls.baseUrl);
      const o = (await r.post<Json>('/v2/orders', { symbol: 'AAPL', qty: '2', side: 'buy', type: 'market', time_in_force: 'day' })).body;
      await until(() => stream.of(String(o['id'])).includes('fill'), 3000, 'fill');
      stream.close();
      const p = (await r.get<Json>('/v2/positions/AAPL')).body;
      // 2019-02-08 closed at 170.41 (the daily file: the minutes start on the 11th).
      expect([p['lastday_price'], p['exchange']]).toEqual(['170.41', 'NYSE']);
      expect(Number(p['change_today'])).toBeCloseTo((Number(p['current_price']) - 170.41) / 170.41, 8);
    } finally {
      await e.stop();
    }
  });

  it('lists assets on the exchange the data says (assets.csv), positions too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emu-assets-'));
    for (const f of ['AAPL_1min.csv', 'SPY_1min.csv']) copyFileSync(join(FIXTURE_DATA, f), join(dir, f));
    writeFileSync(join(dir, 'assets.csv'), 'symbol,exchange,name\nAAPL,NASDAQ,Apple Inc. Common Stock\nSPY,ARCA,SPDR S&P 500 ETF Trust\n');
    const e = await startEmulator({ dataDir: dir });
    try {
      const assets = (await rest(e.urls.baseUrl).get<Json[]>('/v2/assets')).body;
      expect(assets.map((a) => [a['symbol'], a['exchange'], a['name']])).toEqual([
        ['AAPL', 'NASDAQ', 'Apple Inc. Common Stock'],
        ['SPY', 'ARCA', 'SPDR S&P 500 ETF Trust'],
      ]);
    } finally {
      await e.stop();
      expect(e.contract.failures).toEqual([]);
    }
    expect(api).toBeDefined();
  });
});
