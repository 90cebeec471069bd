import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { AlpacaBroker, type TrackedOrder } from '../../../src/broker/alpaca/AlpacaBroker.js';
import { alpacaEndpoints } from '../../../src/broker/alpaca/alpacaClient.js';
import { RequestBudget } from '../../../src/broker/alpaca/RequestBudget.js';
import { LiveClock } from '../../../src/core/LiveClock.js';
import type { OrderRequest } from '../../../src/core/Order.js';
import type { OrderEvent } from '../../../src/core/OrderEvent.js';
import { until } from '../../emulator/harness.js';
import { alpacaOrder, FakeAlpaca } from './fakeAlpaca.js';

const ID = 'a5be8f5e-fdfa-41f5-a644-7a74fe947a8f';
const request: OrderRequest = { symbol: 'AAPL', side: 'buy', qty: 10, type: 'market', timeInForce: 'day', strategyId: 's1', clientOrderId: 's1-r-1' };

let fake: FakeAlpaca;
let broker: AlpacaBroker;
let events: OrderEvent[];

/** An AlpacaBroker (the official SDK) on a fake Alpaca answering as `script` says; started. */
async function open(script: (f: FakeAlpaca) => void, o: { timeoutMs?: number; restore?: TrackedOrder[] } = {}): Promise<void> {
  fake = new FakeAlpaca();
  script(fake);
  const baseUrl = await fake.listen();
  const e = alpacaEndpoints({ keyId: 'PKTEST', secretKey: 'secret', baseUrl, dataUrl: baseUrl, dataStreamUrl: baseUrl.replace('http', 'ws'), feed: 'iex', live: false }, { timeoutMs: o.timeoutMs ?? 5000 });
  const clock = new LiveClock();
  broker = new AlpacaBroker({ client: e.client, tradeStreamUrl: e.tradeStreamUrl, budget: new RequestBudget(clock, 190), clock, log: pino({ level: 'silent' }) });
  events = [];
  broker.onOrderEvent((x) => events.push(x));
  if (o.restore !== undefined) broker.restore({ booked: [], legs: [] }, o.restore);
  await broker.start();
}

/** An order accepted at the POST, as Alpaca answers it. */
async function sent(): Promise<void> {
  await open((f) => f.route('POST /v2/orders', () => ({ status: 200, body: alpacaOrder() })));
  broker.submit(request);
  await until(() => events.length === 1, 3000, 'new');
}

/** A `partial_fill` trade update as Alpaca documents it: this execution's `price` and `qty`, the order's cumulative figures. */
const partialFill = (n: number, price: string, qty: string, filled: string, avg: string): Record<string, unknown> => ({
  event: 'partial_fill',
  execution_id: `e${n}`,
  price,
  qty,
  position_qty: filled,
  timestamp: `2026-11-30T15:00:0${n}Z`,
  order: alpacaOrder({ status: 'partially_filled', filled_qty: filled, filled_avg_price: avg }),
});

const summary = (e: OrderEvent): string => (e.kind === 'fill' || e.kind === 'partial_fill' ? `${e.kind} ${e.fill.qty}@${e.fill.price} (${e.order.status})` : e.kind === 'rejected' ? `rejected: ${e.reason}` : `${e.kind} (${e.order.status})`);

afterEach(async () => {
  broker.stop();
  await fake.close();
});

describe('AlpacaBroker on Alpaca’s wire format (a scripted fake Alpaca)', () => {
  it('partial fills book each execution’s own qty and price; a cancel after them keeps the filled part', async () => {
    await sent();
    fake.push(partialFill(1, '100.1', '4', '4', '100.1'));
    fake.push(partialFill(2, '100.2', '3', '7', '100.142857'));
    fake.push({ event: 'canceled', timestamp: '2026-11-30T15:00:03Z', order: alpacaOrder({ status: 'canceled', filled_qty: '7', filled_avg_price: '100.142857' }) });
    await until(() => events.length === 4, 3000, 'the cancel');
    expect(events.map(summary)).toEqual(['new (new)', 'partial_fill 4@100.1 (partially_filled)', 'partial_fill 3@100.2 (partially_filled)', 'canceled (canceled)']);
  });

  it('a 429 whose X-RateLimit-Reset is this very second (nothing to wait for by the header) is backed off, not retried flat out into a rejection', async () => {
    // Alpaca: "When you receive a 429, stop, wait, and retry using exponential backoff" (docs.alpaca.markets/docs/rate-limits).
    let firstPost = 0;
    await open((f) =>
      f.route('POST /v2/orders', () => {
        if (firstPost === 0) firstPost = performance.now();
        // Throttled for a second after the first try; the reset header names the current second.
        if (performance.now() - firstPost < 1000) return { status: 429, body: { code: 42910000, message: 'rate limit exceeded' }, headers: { 'X-RateLimit-Limit': '200', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(Math.floor(Date.now() / 1000)) } };
        return { status: 200, body: alpacaOrder() };
      }),
    );
    broker.submit(request);
    await until(() => events.length > 0, 20_000, 'an answer');
    expect(events.map(summary)).toEqual(['new (new)']);
    expect(fake.posts().length).toBeLessThan(6);
  }, 30_000);

  it('a 422 "client_order_id must be unique" (an earlier try got through) whose lookup meets a 503 is looked up again, not reported rejected', async () => {
    let lookups = 0;
    await open(
      (f) => {
        f.route('POST /v2/orders', () => (f.posts().length === 1 ? { status: 200, hang: true } : { status: 422, body: { code: 40010001, message: 'client_order_id must be unique' } }));
        f.route('GET /v2/orders:by_client_order_id', () => {
          lookups++;
          // Not there yet when asked after the lost answer; a blip at Alpaca on the next ask.
          if (lookups === 1) return { status: 404, body: { code: 40410000, message: 'order not found' } };
          if (lookups === 2) return { status: 503, body: { code: 50010000, message: 'service unavailable' } };
          return { status: 200, body: alpacaOrder({ status: 'new' }) };
        });
      },
      { timeoutMs: 300 },
    );
    broker.submit(request);
    await until(() => events.length > 0, 10_000, 'an answer');
    await new Promise((r) => setTimeout(r, 100));
    expect(events.map(summary)).toEqual(['new (new)']);
    expect(fake.posts().length).toBe(2);
  }, 20_000);

  it('an order Alpaca reports "calculated" (completed for the day, settling) with its whole quantity filled is filled: its fill ends it', async () => {
    // trading-api.json OrderStatus: "calculated: The order has been completed for the day (either filled or done for day), but remaining settlement calculations are still pending."
    await open(
      (f) => f.route(`GET /v2/orders/${ID}`, () => ({ status: 200, body: alpacaOrder({ status: 'calculated', filled_qty: '10', filled_avg_price: '100.5', filled_at: '2026-11-30T15:00:01Z' }) })),
      { restore: [{ clientOrderId: 's1-r-1', strategyId: 's1', symbol: 'AAPL', side: 'buy', qty: 10, orderId: ID }] },
    );
    await until(() => events.length >= 2, 3000, 'the catch-up');
    expect(events.map(summary)).toEqual(['new (new)', 'fill 10@100.5 (filled)']);
  });

  it('an order of the restored state that Alpaca does not know by its id (404: a reset paper account) is reported, and the start is not held up by it', async () => {
    const started = open(() => {}, { restore: [{ clientOrderId: 's1-r-1', strategyId: 's1', symbol: 'AAPL', side: 'buy', qty: 10, orderId: ID }] });
    const outcome = await Promise.race([started.then(() => 'started'), new Promise((r) => setTimeout(() => r('still starting after 5 s'), 5000))]);
    expect(outcome).toBe('started');
    expect(events.map(summary)).toEqual([`rejected: unknown to Alpaca (GET /v2/orders/${ID} answered 404)`]);
  }, 20_000);

  it('an average fill price with more than 12 decimal places is read: the fills are booked, not the event dropped', async () => {
    // Alpaca's amounts are decimal strings of any precision: trading-api.json's own account example has "last_equity":"122011.09751111286868".
    await sent();
    fake.push(partialFill(1, '100.01', '3', '3', '100.01'));
    // 3 at 100.01 and 4 at 100.02: 700.11 / 7, to 16 places.
    fake.push(partialFill(2, '100.02', '4', '7', '100.0157142857142857'));
    await until(() => events.length === 3, 3000, 'the second fill');
    expect(events.map(summary)).toEqual(['new (new)', 'partial_fill 3@100.01 (partially_filled)', 'partial_fill 4@100.02 (partially_filled)']);
  });

  it('a buy stop that Alpaca turned into a stop-limit is still read: its fill is booked to the strategy', async () => {
    // alpaca-docs content/trading/orders.md: "Alpaca converts buy stop orders into stop limit orders with a limit price
    // that is 4% higher than a stop price < $50 (or 2.5% higher than a stop price >= $50)."
    const converted = { type: 'stop_limit', order_type: 'stop_limit', stop_price: '101', limit_price: '103.53', time_in_force: 'gtc' };
    await open((f) => f.route('POST /v2/orders', () => ({ status: 200, body: alpacaOrder(converted) })));
    broker.submit({ ...request, type: 'stop', stopPrice: 101, timeInForce: 'gtc' });
    await until(() => events.length === 1, 3000, 'new');
    fake.push({ event: 'fill', execution_id: 'e1', price: '101.02', qty: '10', position_qty: '10', timestamp: '2026-11-30T15:00:01Z', order: alpacaOrder({ ...converted, status: 'filled', filled_qty: '10', filled_avg_price: '101.02' }) });
    await until(() => events.length === 2, 3000, 'the fill');
    expect(events.map(summary)).toEqual(['new (new)', 'fill 10@101.02 (filled)']);
    expect(events[1]!.order).toMatchObject({ clientOrderId: 's1-r-1', type: 'stop', stopPrice: 101, limitPrice: 103.53 });
  });

  it('a market bracket whose fill and take-profit leg are heard before the POST answers: the legs are named after the entry', async () => {
    const tp = alpacaOrder({ id: 'tp-1', client_order_id: 'c0ffee00-0000-4000-8000-000000000001', order_class: 'bracket', side: 'sell', type: 'limit', order_type: 'limit', limit_price: '105', time_in_force: 'gtc', status: 'held' });
    const sl = alpacaOrder({ id: 'sl-1', client_order_id: 'c0ffee00-0000-4000-8000-000000000002', order_class: 'bracket', side: 'sell', type: 'stop', order_type: 'stop', stop_price: '99.5', time_in_force: 'gtc', status: 'held' });
    const entry = (over: Record<string, unknown>) => alpacaOrder({ order_class: 'bracket', time_in_force: 'gtc', legs: [tp, sl], ...over });
    await open((f) => {
      f.route('POST /v2/orders', () => ({ status: 200, body: entry({}), delayMs: 400 }));
      f.route('GET /v2/orders:by_client_order_id', () => ({ status: 200, body: entry({ status: 'filled', filled_qty: '10', filled_avg_price: '100', legs: null }) }));
      f.route(`GET /v2/orders/${ID}`, () => ({ status: 200, body: entry({ status: 'filled', filled_qty: '10', filled_avg_price: '100', legs: [{ ...tp, status: 'new' }, sl] }) }));
    });
    broker.submit({ ...request, timeInForce: 'gtc', bracket: { stopLoss: 99.5, takeProfit: 105 } });
    await until(() => fake.posts().length === 1, 3000, 'the POST');
    fake.push({ event: 'fill', execution_id: 'e1', price: '100', qty: '10', position_qty: '10', timestamp: '2026-11-30T15:00:01Z', order: entry({ status: 'filled', filled_qty: '10', filled_avg_price: '100', legs: null }) });
    fake.push({ event: 'new', order: { ...tp, status: 'new' } });
    await until(() => events.length >= 4, 3000, 'the legs');
    await new Promise((r) => setTimeout(r, 500));
    expect(events.map((e) => `${e.order.clientOrderId} ${summary(e)}`)).toEqual(['s1-r-1 new (new)', 's1-r-1 fill 10@100 (filled)', 's1-r-1-tp new (new)', 's1-r-1-sl new (new)']);
  });
});
