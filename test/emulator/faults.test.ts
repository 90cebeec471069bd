import { errors, type Alpaca, type streaming } from '@alpacahq/alpaca-trade-api';
import WebSocket from 'ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KEY, OPEN_0211, SECRET, sdkClient, startEmulator, until, type TestEmulator } from './harness.js';
import { RawDataClient, admin } from './wsClient.js';

const MINUTE = 60_000;

/** Each fault, injected through the admin endpoint, and what a client of the real SDK sees. */
describe('faults on demand', () => {
  let t: TestEmulator;
  let alpaca: Alpaca;
  const closers: Array<() => void> = [];
  const fault = async (body: Record<string, unknown>): Promise<void> => {
    const res = await admin(t.urls.adminUrl, '/faults', body);
    expect(res.status).toBe(200);
  };
  const dataStream = async (): Promise<{ stream: streaming.StockDataStream; bars: streaming.StreamBar[]; events: string[] }> => {
    const stream = alpaca.marketData.stockStream({ feed: 'iex', url: `${t.urls.dataStreamUrl}/v2/iex`, initialReconnectMs: 50, reconnectJitter: 0 });
    const bars: streaming.StreamBar[] = [];
    const events: string[] = [];
    stream.onBar((b) => bars.push(b));
    for (const e of ['disconnected', 'reconnected', 'error'] as const) stream.on(e, (x?: unknown) => events.push(e === 'error' ? `error ${String(x)}` : e));
    closers.push(() => stream.disconnect());
    stream.connect();
    expect(await stream.waitForAuthentication(5000)).toBe(true);
    const subscribed = new Promise<unknown>((resolve) => stream.once('subscription', resolve));
    stream.subscribeForBars(['AAPL']);
    await subscribed;
    return { stream, bars, events };
  };

  beforeEach(async () => {
    t = await startEmulator({ partialFillRate: 0, start: OPEN_0211 + 20_000 });
    alpaca = sdkClient(t.urls);
  });
  afterEach(async () => {
    for (const c of closers.splice(0)) c();
    await t.stop();
    expect(t.contract.failures).toEqual([]);
  });

  it('drop_stream: the data connection is cut; the SDK reconnects, re-subscribes and gets bars again', async () => {
    const { bars, events } = await dataStream();
    await fault({ type: 'drop_stream', stream: 'data' });
    await until(() => events.includes('reconnected'), 5000, 'reconnect');
    expect(events.slice(0, 2)).toEqual(['disconnected', 'reconnected']);
    await new Promise((r) => setTimeout(r, 50));
    t.emulator.step(MINUTE);
    await until(() => bars.length === 1, 5000, 'a bar after the reconnect');
    expect(bars[0]!.timestamp.toISOString()).toBe('2019-02-11T14:30:00.000Z');
  });

  it('drop_stream every N seconds: the trade stream is cut again and again', async () => {
    const stream = alpaca.trading.stream({ url: t.urls.tradeStreamUrl, initialReconnectMs: 20, reconnectJitter: 0, maxReconnectAttempts: -1 });
    let drops = 0;
    stream.on('disconnected', () => drops++);
    closers.push(() => stream.disconnect());
    stream.connect();
    expect(await stream.waitForAuthentication(5000)).toBe(true);
    await fault({ type: 'drop_stream', stream: 'trading', every: 0.2 });
    await until(() => drops >= 3, 5000, 'three drops');
  });

  it('silence_stream: the connection stays up but says nothing; bars flow again afterwards', async () => {
    const { bars, events } = await dataStream();
    await fault({ type: 'silence_stream', stream: 'data', seconds: 0.3 });
    t.emulator.step(MINUTE);
    await new Promise((r) => setTimeout(r, 100));
    expect(bars).toEqual([]);
    expect(events).toEqual([]);
    await new Promise((r) => setTimeout(r, 300));
    t.emulator.step(MINUTE);
    await until(() => bars.length === 1, 5000, 'bars after the silence');
    // The minute published during the silence is lost for this client (it must backfill over REST).
    expect(bars[0]!.timestamp.toISOString()).toBe('2019-02-11T14:31:00.000Z');
  });

  it('refuse_connections 406: a new data connection is told "connection limit exceeded"', async () => {
    await fault({ type: 'refuse_connections', stream: 'data', status: 406, seconds: 5 });
    const c = new RawDataClient(`${t.urls.dataStreamUrl}/v2/iex`);
    closers.push(() => c.close());
    await c.opened;
    c.send({ action: 'auth', key: KEY, secret: SECRET });
    await until(() => c.closed, 2000, 'refused');
    expect(c.of('error')).toEqual([{ T: 'error', code: 406, msg: 'connection limit exceeded' }]);
  });

  it('refuse_connections 429: the upgrade itself is refused with HTTP 429, on both streams', async () => {
    await fault({ type: 'refuse_connections', stream: 'all', status: 429, seconds: 5 });
    for (const url of [`${t.urls.dataStreamUrl}/v2/iex`, t.urls.tradeStreamUrl]) {
      const ws = new WebSocket(url);
      const status = await new Promise<number>((resolve) => ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
      expect(status).toBe(429);
    }
  });

  it('http_errors: the next requests get 429 then the API answers again; 5xx the same', async () => {
    await fault({ type: 'http_errors', api: 'trading', status: 429, count: 2 });
    for (let i = 0; i < 2; i++) await expect(alpaca.trading.account.getAccount()).rejects.toBeInstanceOf(errors.RateLimitError);
    expect((await alpaca.trading.account.getAccount()).cash).toBe('100000');
    await fault({ type: 'http_errors', api: 'data', status: 503, count: 1 });
    await expect(alpaca.marketData.getLatestPrice('AAPL')).rejects.toMatchObject({ status: 503 });
    // Only the data API was hit: trading answers.
    expect((await alpaca.trading.clock.legacyClock()).isOpen).toBe(true);
  });

  it('latency: answers come late enough for a client timeout to fire', async () => {
    await fault({ type: 'latency', api: 'trading', ms: 1500, seconds: 30 });
    const impatient = new (alpaca.constructor as typeof Alpaca)({ keyId: KEY, secret: SECRET, rateLimit: false, retry: false, timeoutMs: 100, fetchApi: (url, init) => fetch(String(url).replace('https://paper-api.alpaca.markets', t.urls.baseUrl), init) });
    await expect(impatient.trading.account.getAccount()).rejects.toBeInstanceOf(errors.FetchError);
    await admin(t.urls.adminUrl, '/faults', undefined, 'DELETE');
  });

  it('reject_orders via http: 403; via stream: accepted, then a rejected trade update', async () => {
    const updates: streaming.TradeUpdate[] = [];
    const stream = alpaca.trading.stream({ url: t.urls.tradeStreamUrl, reconnect: false });
    stream.onTradeUpdate((u) => updates.push(u));
    closers.push(() => stream.disconnect());
    const listening = new Promise<unknown>((resolve) => stream.once('subscription', resolve));
    stream.connect();
    stream.subscribeTradeUpdates();
    await listening;
    await fault({ type: 'reject_orders', via: 'http' });
    await expect(alpaca.trading.orders.market({ symbol: 'AAPL', qty: 1, side: 'buy' })).rejects.toMatchObject({ status: 403, code: 40310000 });
    await fault({ type: 'reject_orders', via: 'stream' });
    const o = await alpaca.trading.orders.market({ symbol: 'AAPL', qty: 1, side: 'buy', clientOrderId: 'x-1' });
    expect(o.status).toBe('new');
    await until(() => updates.some((u) => u.event === 'rejected'), 5000, 'rejected');
    expect(updates.map((u) => u.event)).toEqual(['new', 'rejected']);
    expect((await alpaca.trading.orders.getOrderByClientOrderId({ clientOrderId: 'x-1' })).status).toBe('rejected');
    // The next order goes through.
    await alpaca.trading.orders.market({ symbol: 'AAPL', qty: 1, side: 'buy', clientOrderId: 'x-2' });
    await until(() => updates.some((u) => u.event === 'fill'), 5000, 'fill');
  });

  it('lose_order_responses: the POST fails on the client, but the order exists once', async () => {
    await fault({ type: 'lose_order_responses', count: 1 });
    await expect(alpaca.trading.orders.market({ symbol: 'AAPL', qty: 3, side: 'buy', clientOrderId: 'lost-1' })).rejects.toBeInstanceOf(errors.FetchError);
    const found = await alpaca.trading.orders.getOrderByClientOrderId({ clientOrderId: 'lost-1' });
    expect(found.qty).toBe('3');
    await until(() => t.emulator.venue.order(found.id!)?.status === 'filled', 5000, 'the lost order filled');
    expect((await alpaca.trading.orders.getAllOrders({ status: 'all' })).map((o) => o.clientOrderId)).toEqual(['lost-1']);
    // A retry with the same client order id is refused: no duplicate.
    await expect(alpaca.trading.orders.market({ symbol: 'AAPL', qty: 3, side: 'buy', clientOrderId: 'lost-1' })).rejects.toMatchObject({ status: 422 });
  });

  it('stall_fills: orders are accepted and work, but no quote fills them until it is cleared', async () => {
    await fault({ type: 'stall_fills' });
    const o = await alpaca.trading.orders.market({ symbol: 'AAPL', qty: 2, side: 'buy', clientOrderId: 'stalled-1' });
    expect(o.status).toBe('new');
    // Five minutes of quotes (and a marketable limit) trade nothing.
    const limit = await alpaca.trading.orders.limit({ symbol: 'SPY', qty: 1, side: 'buy', limitPrice: 400, clientOrderId: 'stalled-2' });
    t.emulator.step(5 * MINUTE);
    for (const id of [o.id!, limit.id!]) expect([t.emulator.venue.order(id)?.status, t.emulator.venue.order(id)?.order.filledQty]).toEqual(['new', 0]);
    expect((await alpaca.trading.positions.getAllOpenPositions()).length).toBe(0);
    // Canceling still works while stalled.
    await alpaca.trading.orders.deleteOrderByOrderID({ orderId: limit.id! });
    expect(t.emulator.venue.order(limit.id!)?.status).toBe('canceled');
    expect((await admin(t.urls.adminUrl, '/faults', undefined, 'DELETE')).status).toBe(204);
    t.emulator.step(15_000);
    expect([t.emulator.venue.order(o.id!)?.status, t.emulator.venue.order(o.id!)?.order.filledQty]).toEqual(['filled', 2]);
  });

  it('stall_fills for some seconds: it ends by itself, and a new order then fills on the spot', async () => {
    await fault({ type: 'stall_fills', seconds: 0.3 });
    const o = await alpaca.trading.orders.market({ symbol: 'AAPL', qty: 1, side: 'buy' });
    t.emulator.step(MINUTE);
    expect(t.emulator.venue.order(o.id!)?.status).toBe('new');
    await new Promise((r) => setTimeout(r, 350));
    t.emulator.step(15_000);
    expect(t.emulator.venue.order(o.id!)?.status).toBe('filled');
    const next = await alpaca.trading.orders.market({ symbol: 'AAPL', qty: 1, side: 'buy' });
    await until(() => t.emulator.venue.order(next.id!)?.status === 'filled', 5000, 'the next order filled at once');
  });

  it('faults can be given at start (the CLI --fault) and cleared', async () => {
    await t.stop();
    t = await startEmulator({ faults: [{ type: 'http_errors', api: 'all', status: 500, count: 1 }] });
    alpaca = sdkClient(t.urls);
    await expect(alpaca.trading.account.getAccount()).rejects.toMatchObject({ status: 500 });
    await fault({ type: 'http_errors', api: 'all', status: 502, count: 5 });
    expect((await admin(t.urls.adminUrl, '/faults', undefined, 'DELETE')).status).toBe(204);
    expect((await alpaca.trading.account.getAccount()).status).toBe('ACTIVE');
    const bad = await admin(t.urls.adminUrl, '/faults', { type: 'http_errors', api: 'all', status: 418, count: 1 });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { message: string }).message).toContain('status');
  });
});
