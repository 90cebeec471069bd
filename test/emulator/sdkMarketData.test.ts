import { Alpaca, values, type streaming } from '@alpacahq/alpaca-trade-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY, OPEN_0211, SECRET, startEmulator, until, type TestEmulator } from './harness.js';

const MINUTE = 60_000;

describe('market data through the official SDK (v4)', () => {
  let t: TestEmulator;
  let alpaca: Alpaca;
  const barRequests: string[] = [];

  beforeAll(async () => {
    t = await startEmulator();
    const { baseUrl, dataUrl } = t.urls;
    alpaca = new Alpaca({
      keyId: KEY,
      secret: SECRET,
      rateLimit: false,
      retry: false,
      fetchApi: (url, init) => {
        const local = String(url).replace('https://paper-api.alpaca.markets', baseUrl).replace('https://data.alpaca.markets', dataUrl);
        if (local.includes('/v2/stocks/bars')) barRequests.push(local);
        return fetch(local, init);
      },
    });
  });
  afterAll(async () => {
    await t.stop();
    expect(t.contract.failures).toEqual([]);
  });

  it('streams minute bars and quotes in msgpack, labelled by the start of the minute', async () => {
    const stream = alpaca.marketData.stockStream({ feed: 'iex', url: `${t.urls.dataStreamUrl}/v2/iex`, reconnect: false });
    const bars: streaming.StreamBar[] = [];
    const quotes: streaming.StreamQuote[] = [];
    stream.onBar((b) => bars.push(b));
    stream.onQuote((q) => quotes.push(q));
    const subscribed = new Promise<unknown>((resolve) => stream.once('subscription', resolve));
    stream.connect();
    expect(await stream.waitForAuthentication(5000)).toBe(true);
    stream.subscribeForBars(['AAPL', 'SPY']);
    await subscribed;
    stream.subscribeForQuotes(['AAPL']);
    await new Promise((r) => setTimeout(r, 50));
    // 09:29 → 09:31: the 09:30 minute is quoted four times, then published as a bar at 09:31.
    t.emulator.step(2 * MINUTE);
    await until(() => bars.length === 2, 5000, 'two bars');
    stream.disconnect();
    expect(bars.map((b) => [b.symbol, b.timestamp.toISOString(), b.open, b.high, b.low, b.close, b.volume, b.tradeCount, b.vwap])).toEqual([
      ['AAPL', '2019-02-11T14:30:00.000Z', 171.14, 171.2, 170.7, 170.97, 619925, 20, 171.0147],
      ['SPY', '2019-02-11T14:30:00.000Z', 271.19, 271.34, 271.07, 271.34, 1488804, 24, 271.2625],
    ]);
    // The AAPL path: open 171.14, high 171.20, low 170.70, close 170.97, each with a cent of spread at least.
    expect(quotes.map((q) => [q.timestamp.toISOString(), q.bidPrice, q.askPrice])).toEqual([
      ['2019-02-11T14:30:00.000Z', 171.13, 171.15],
      ['2019-02-11T14:30:15.000Z', 171.19, 171.21],
      ['2019-02-11T14:30:30.000Z', 170.69, 170.71],
      ['2019-02-11T14:30:45.000Z', 170.96, 170.98],
      ['2019-02-11T14:31:00.000Z', 170.91, 170.93],
    ]);
  });

  it('pages through multi-symbol bars: the limit counts points across symbols', async () => {
    t.emulator.step(Date.parse('2019-02-11T21:00:00Z') - t.emulator.clock.now());
    barRequests.length = 0;
    const bars = await alpaca.marketData.getStockBars({ symbols: ['SPY', 'AAPL'], timeframe: values.TimeFrame.Minute, start: new Date(OPEN_0211), limit: 100 });
    expect(Object.keys(bars).sort()).toEqual(['AAPL', 'SPY']);
    expect([bars['AAPL']!.length, bars['SPY']!.length]).toEqual([390, 390]);
    // 780 points, 100 a page.
    expect(barRequests.length).toBe(8);
    expect(bars['AAPL']![389]!.timestamp.toISOString()).toBe('2019-02-11T20:59:00.000Z');
  });

  it('never serves a bar the replayed market has not reached', async () => {
    const daily = await alpaca.marketData.getStockBarsFor('AAPL', { timeframe: values.TimeFrame.Day, start: new Date('2019-02-01T00:00:00Z') });
    // 2019-02-11 closed at 16:00 (now): its daily bar is known; the 12th is not.
    expect(daily.map((b) => b.timestamp.toISOString().slice(0, 10))).toEqual(['2019-02-01', '2019-02-04', '2019-02-05', '2019-02-06', '2019-02-07', '2019-02-08', '2019-02-11']);
    const hourly = await alpaca.marketData.getStockBarsFor('SPY', { timeframe: values.TimeFrame.Hour, start: new Date('2019-02-11T05:00:00Z') });
    // Clock hours, New York: the 09:00 bucket holds 09:30–09:59, …, 15:00 holds 15:00–15:59 (built from the 15-minute file).
    expect(hourly.map((b) => b.timestamp.toISOString().slice(11, 16))).toEqual(['14:00', '15:00', '16:00', '17:00', '18:00', '19:00', '20:00']);
  });

  it('gives bars: [] (never null) for a range without bars', async () => {
    const res = await fetch(`${t.urls.dataUrl}/v2/stocks/AAPL/bars?timeframe=1Min&start=2019-02-16&end=2019-02-17`, { headers: { 'APCA-API-KEY-ID': KEY, 'APCA-API-SECRET-KEY': SECRET } });
    const body = (await res.json()) as { bars: unknown; next_page_token: unknown; symbol: string };
    t.contract.check({ method: 'GET', path: '/v2/stocks/AAPL/bars', status: res.status, body });
    expect(body).toEqual({ symbol: 'AAPL', bars: [], next_page_token: null, currency: 'USD' });
  });

  it('gives the latest trade and quote', async () => {
    // The day is over: the last print is the close of the 15:59 minute.
    expect(await alpaca.marketData.getLatestPrice('AAPL')).toBe(169.45);
    const q = await alpaca.marketData.stocks.stockLatestQuoteSingle({ symbol: 'AAPL' });
    expect([q.quote.bp, q.quote.ap]).toEqual([169.44, 169.46]);
  });
});
