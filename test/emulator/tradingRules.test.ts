import { errors, type Alpaca, type streaming } from '@alpacahq/alpaca-trade-api';
import { afterEach, describe, expect, it } from 'vitest';
import { KEY, OPEN_0211, SECRET, sdkClient, startEmulator, until, type TestEmulator } from './harness.js';
import { admin } from './wsClient.js';

const MINUTE = 60_000;

describe('the emulated paper venue', () => {
  let t: TestEmulator;
  let alpaca: Alpaca;
  let stream: streaming.TradingStream | null = null;
  const updates: streaming.TradeUpdate[] = [];

  const start = async (over: Parameters<typeof startEmulator>[0] = {}): Promise<void> => {
    t = await startEmulator(over);
    alpaca = sdkClient(t.urls);
    updates.length = 0;
    stream = alpaca.trading.stream({ url: t.urls.tradeStreamUrl, reconnect: false });
    stream.onTradeUpdate((u) => updates.push(u));
    const listening = new Promise<unknown>((resolve) => stream!.once('subscription', resolve));
    stream.connect();
    stream.subscribeTradeUpdates();
    await listening;
  };
  afterEach(async () => {
    stream?.disconnect();
    await t.stop();
    expect(t.contract.failures).toEqual([]);
  });

  it('queues an order sent while closed (accepted), routes it at the open (new) and fills it on the first quote', async () => {
    await start({ partialFillRate: 0 });
    const o = await alpaca.trading.orders.market({ symbol: 'SPY', qty: 2, side: 'buy' });
    expect(o.status).toBe('accepted');
    await new Promise((r) => setTimeout(r, 50));
    expect(updates).toEqual([]);
    t.emulator.step(2 * MINUTE);
    await until(() => updates.length === 2, 5000, 'new and fill');
    expect(updates.map((u) => u.event)).toEqual(['new', 'fill']);
    // SPY opens at 271.19: ask 271.20.
    expect([updates[1]!.price, updates[1]!.timestamp!.toISOString()]).toEqual(['271.2', '2019-02-11T14:30:00.000Z']);
  });

  it('expires a day limit order at the close; a gtc one stays', async () => {
    await start({ start: OPEN_0211 + 10_000 });
    const day = await alpaca.trading.orders.limit({ symbol: 'AAPL', qty: 1, side: 'buy', limitPrice: 100, timeInForce: 'day' });
    const gtc = await alpaca.trading.orders.limit({ symbol: 'AAPL', qty: 1, side: 'buy', limitPrice: 100, timeInForce: 'gtc' });
    t.emulator.step(Date.parse('2019-02-11T21:00:00Z') - t.emulator.clock.now());
    await until(() => updates.some((u) => u.event === 'expired'), 5000, 'expired');
    expect(updates.filter((u) => u.event === 'expired').map((u) => u.order.id)).toEqual([day.id]);
    expect((await alpaca.trading.orders.getOrderByOrderID({ orderId: gtc.id! })).status).toBe('new');
    const expired = await alpaca.trading.orders.getOrderByOrderID({ orderId: day.id! });
    expect(expired.expiredAt?.toISOString()).toBe('2019-02-11T21:00:00.000Z');
  });

  it('fills a resting limit once the quote reaches it, at the quote', async () => {
    await start({ start: OPEN_0211 + 5_000, partialFillRate: 0 });
    // AAPL's 09:30 minute dips to 170.70 at :30 (ask 170.71): a buy limit at 170.80 fills there.
    const o = await alpaca.trading.orders.limit({ symbol: 'AAPL', qty: 3, side: 'buy', limitPrice: 170.8 });
    t.emulator.step(25_000);
    await until(() => updates.some((u) => u.event === 'fill'), 5000, 'fill');
    const fill = updates.find((u) => u.event === 'fill')!;
    expect([fill.order.id, fill.price, fill.timestamp!.toISOString()]).toEqual([o.id, '170.71', '2019-02-11T14:30:30.000Z']);
  });

  it('gives random partial fills (seeded) whose quantities add up to the order', async () => {
    await start({ start: OPEN_0211 + 5_000, partialFillRate: 1 });
    const o = await alpaca.trading.orders.market({ symbol: 'AAPL', qty: 50, side: 'buy' });
    // Every fill is partial (rate 1): a random part of what remains, on each new quote, until one share is left.
    t.emulator.step(10 * MINUTE);
    await until(() => updates.some((u) => u.event === 'fill'), 5000, 'the last fill');
    const fills = updates.filter((u) => u.order.id === o.id && (u.event === 'partial_fill' || u.event === 'fill'));
    expect(fills.length).toBeGreaterThan(1);
    expect(fills.slice(0, -1).every((u) => u.event === 'partial_fill')).toBe(true);
    expect(fills.reduce((s, u) => s + Number(u.qty), 0)).toBe(50);
    expect(fills.map((u) => Number(u.positionQty))).toEqual(fills.map((_, i) => fills.slice(0, i + 1).reduce((s, u) => s + Number(u.qty), 0)));
    const filled = await alpaca.trading.orders.getOrderByOrderID({ orderId: o.id! });
    expect([filled.status, filled.filledQty]).toEqual(['filled', '50']);
    const weighted = fills.reduce((s, u) => s + Number(u.qty) * Number(u.price), 0) / 50;
    expect(Number(filled.filledAvgPrice)).toBeCloseTo(weighted, 6);
  });

  it('refuses what Alpaca refuses, with its codes', async () => {
    await start({ start: OPEN_0211 + 5_000 });
    await expect(alpaca.trading.orders.market({ symbol: 'AAPL', qty: 1000, side: 'buy' })).rejects.toMatchObject({ status: 403, code: 40310000, message: expect.stringContaining('insufficient buying power') });
    await expect(alpaca.trading.orders.market({ symbol: 'AAPL', qty: 1, side: 'sell' })).rejects.toMatchObject({ status: 403, code: 40310000, message: expect.stringContaining('insufficient qty available') });
    await expect(alpaca.trading.orders.limit({ symbol: 'AAPL', qty: 1, side: 'buy', limitPrice: 170.123 })).rejects.toMatchObject({ status: 422, code: 42210000, message: 'invalid limit_price 170.123. sub-penny increment does not fulfill minimum pricing criteria' });
    await expect(alpaca.trading.orders.market({ symbol: 'NOPE', qty: 1, side: 'buy' })).rejects.toMatchObject({ status: 422 });
    // Fractional quantities: market and limit day orders only.
    await expect(alpaca.trading.orders.limit({ symbol: 'AAPL', qty: 1.5, side: 'buy', limitPrice: 170, timeInForce: 'gtc' })).rejects.toMatchObject({ status: 422, message: expect.stringContaining('fractional') });
    await expect(alpaca.trading.orders.getOrderByOrderID({ orderId: '00000000-0000-4000-8000-000000000000' })).rejects.toMatchObject({ status: 404, code: 40410000 });
    await expect(alpaca.trading.assets.getV2AssetsSymbolOrAssetId({ symbolOrAssetId: 'NOPE' })).rejects.toMatchObject({ status: 404, code: 40410000 });
    const blocked = await admin(t.urls.adminUrl, '/account', { trading_blocked: true });
    expect(blocked.status).toBe(200);
    await expect(alpaca.trading.orders.market({ symbol: 'AAPL', qty: 1, side: 'buy' })).rejects.toMatchObject({ status: 403, code: 40310000 });
    expect((await alpaca.trading.account.getAccount()).tradingBlocked).toBe(true);
  });

  it('requires both key headers (401, code 40110000)', async () => {
    await start();
    const wrong = sdkClient(t.urls, { keyId: KEY, secret: 'wrong' });
    await expect(wrong.trading.account.getAccount()).rejects.toBeInstanceOf(errors.AuthError);
    const res = await fetch(`${t.urls.baseUrl}/v2/account`);
    expect([res.status, await res.json()]).toEqual([401, { code: 40110000, message: 'request is not authorized' }]);
  });

  it('counts 200 requests a minute per API, with X-RateLimit-* headers, then answers 429', async () => {
    await start({ rateLimit: 3 });
    const get = (path: string): Promise<Response> => fetch(`${t.urls.baseUrl}${path}`, { headers: { 'APCA-API-KEY-ID': KEY, 'APCA-API-SECRET-KEY': SECRET } });
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await get('/v2/clock'));
    expect(answers.map((r) => [r.status, r.headers.get('x-ratelimit-limit'), r.headers.get('x-ratelimit-remaining')])).toEqual([
      [200, '3', '2'],
      [200, '3', '1'],
      [200, '3', '0'],
      [429, '3', '0'],
    ]);
    expect(Number(answers[3]!.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
    expect(await answers[3]!.json()).toEqual({ code: 42910000, message: 'rate limit exceeded' });
    t.contract.check({ method: 'GET', path: '/v2/clock', status: 429, body: { code: 42910000, message: 'rate limit exceeded' } });
    // Market data has its own budget.
    expect((await fetch(`${t.urls.dataUrl}/v2/stocks/AAPL/bars?timeframe=1Min`, { headers: { 'APCA-API-KEY-ID': KEY, 'APCA-API-SECRET-KEY': SECRET } })).status).toBe(200);
  });

  it('moves the market clock from the admin endpoint: step, speed, pause, resume, jump', async () => {
    await start();
    const clock = async (body: unknown): Promise<Record<string, unknown>> => (await (await admin(t.urls.adminUrl, '/clock', body)).json()) as Record<string, unknown>;
    expect((await clock({ action: 'step', ms: 120_000 }))['market_time']).toBe('2019-02-11T09:31:00-05:00');
    expect((await clock({ action: 'jump', to: '2019-02-12T09:29:00-05:00' }))['market_time']).toBe('2019-02-12T09:29:00-05:00');
    expect(await clock({ action: 'speed', speed: 600 })).toMatchObject({ speed: 600, paused: true });
    const resumed = await clock({ action: 'resume' });
    expect(resumed['paused']).toBe(false);
    await new Promise((r) => setTimeout(r, 200));
    const paused = await clock({ action: 'pause' });
    // 600× for at least 200 ms of wall time: at least two minutes of market time went by.
    expect(Date.parse(String(paused['market_time']))).toBeGreaterThanOrEqual(Date.parse('2019-02-12T09:31:00-05:00'));
    const back = await admin(t.urls.adminUrl, '/clock', { action: 'jump', to: '2019-02-11T10:00:00-05:00' });
    expect(back.status).toBe(422);
  });
});
