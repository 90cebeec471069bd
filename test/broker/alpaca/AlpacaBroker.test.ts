import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { AlpacaBroker } from '../../../src/broker/alpaca/AlpacaBroker.js';
import { alpacaEndpoints } from '../../../src/broker/alpaca/alpacaClient.js';
import { RequestBudget } from '../../../src/broker/alpaca/RequestBudget.js';
import { LiveClock } from '../../../src/core/LiveClock.js';
import type { OrderRequest } from '../../../src/core/Order.js';
import type { OrderEvent } from '../../../src/core/OrderEvent.js';
import { KEY, OPEN_0211, SECRET, startEmulator, until, type TestEmulator } from '../../emulator/harness.js';
import { admin } from '../../emulator/wsClient.js';

const T0 = OPEN_0211 + 20_000;
let seq = 0;
const request = (over: Partial<OrderRequest> = {}): OrderRequest => ({ symbol: 'AAPL', side: 'buy', qty: 5, type: 'market', timeInForce: 'day', strategyId: 's1', clientOrderId: `s1-r-${++seq}`, ...over });

describe('AlpacaBroker through network trouble (emulator faults)', () => {
  let t: TestEmulator;
  let broker: AlpacaBroker;
  const events: OrderEvent[] = [];
  const start = async (): Promise<void> => {
    t = await startEmulator({ start: T0, partialFillRate: 0 });
    const e = alpacaEndpoints({ keyId: KEY, secretKey: SECRET, baseUrl: t.urls.baseUrl, dataUrl: t.urls.dataUrl, dataStreamUrl: t.urls.dataStreamUrl, feed: 'iex', live: false });
    const clock = new LiveClock();
    broker = new AlpacaBroker({ client: e.client, tradeStreamUrl: e.tradeStreamUrl, budget: new RequestBudget(clock, 190), clock, log: pino({ level: 'silent' }) });
    events.length = 0;
    broker.onOrderEvent((x) => events.push(x));
    await broker.start();
  };
  const fault = (body: unknown): Promise<Response> => admin(t.urls.adminUrl, '/faults', body);
  const fills = (cid: string): number[] => events.filter((e) => e.order.clientOrderId === cid && (e.kind === 'fill' || e.kind === 'partial_fill')).map((e) => (e.kind === 'fill' || e.kind === 'partial_fill' ? e.fill.qty : 0));
  const ordersAtVenue = (cid: string): number => t.emulator.venue.orders().filter((r) => r.order.clientOrderId === cid).length;

  afterEach(async () => {
    broker.stop();
    await t.stop();
    expect(t.contract.failures).toEqual([]);
  });

  it('an accepted order whose answer is lost: found by its client order id, no duplicate, the fill booked once', async () => {
    await start();
    await fault({ type: 'lose_order_responses', count: 1 });
    const r = request();
    broker.submit(r);
    await until(() => fills(r.clientOrderId).length > 0, 5000, 'the fill');
    await new Promise((res) => setTimeout(res, 200));
    expect(fills(r.clientOrderId)).toEqual([5]);
    expect(events.filter((e) => e.order.clientOrderId === r.clientOrderId).map((e) => e.kind)).toEqual(['new', 'fill']);
    expect(ordersAtVenue(r.clientOrderId)).toBe(1);
  });

  it('a 503 on the POST: looked up, not there, sent again: one order', async () => {
    await start();
    await fault({ type: 'http_errors', api: 'trading', status: 503, count: 1 });
    const r = request();
    broker.submit(r);
    await until(() => fills(r.clientOrderId).length > 0, 8000, 'the fill');
    expect(ordersAtVenue(r.clientOrderId)).toBe(1);
  });

  it('429s: waits for Retry-After, then sends', async () => {
    await start();
    await fault({ type: 'http_errors', api: 'trading', status: 429, count: 2 });
    const r = request();
    broker.submit(r);
    await until(() => fills(r.clientOrderId).length > 0, 8000, 'the fill');
    expect(ordersAtVenue(r.clientOrderId)).toBe(1);
  });

  it('a fill that happens while the trade stream is mute is caught up over REST after the reconnect, once', async () => {
    await start();
    const r = request({ type: 'limit', limitPrice: 170.8, timeInForce: 'gtc' });
    broker.submit(r);
    await until(() => events.some((e) => e.order.clientOrderId === r.clientOrderId), 3000, 'new');
    await fault({ type: 'silence_stream', stream: 'trading', seconds: 0.4 });
    // 09:30:20 → 09:30:35: the quote dips to 170.70/170.71 at :30 and the limit fills, unheard.
    t.emulator.step(15_000);
    await new Promise((res) => setTimeout(res, 100));
    expect(fills(r.clientOrderId)).toEqual([]);
    expect(t.emulator.venue.orderByClientId(r.clientOrderId)?.status).toBe('filled');
    await new Promise((res) => setTimeout(res, 400));
    await fault({ type: 'drop_stream', stream: 'trading' });
    await until(() => fills(r.clientOrderId).length > 0, 8000, 'the caught-up fill');
    await new Promise((res) => setTimeout(res, 200));
    expect(fills(r.clientOrderId)).toEqual([5]);
    const fill = events.find((e) => e.kind === 'fill');
    expect(fill?.kind === 'fill' ? fill.fill.price : 0).toBe(170.71);
    expect(broker.connected).toBe(true);
  });
});
