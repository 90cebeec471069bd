import { describe, expect, it } from 'vitest';
import { noCommission, perShareCommission } from '../../../src/broker/sim/CommissionModel.js';
import { fillPrice } from '../../../src/broker/sim/fillPrice.js';
import { MatchingEngine } from '../../../src/broker/sim/MatchingEngine.js';
import { costModels } from '../../../src/broker/sim/costModels.js';
import { bpsSlippage, noSlippage, rangeSlippage } from '../../../src/broker/sim/SlippageModel.js';
import { SimBroker } from '../../../src/broker/sim/SimBroker.js';
import type { Bar } from '../../../src/core/Bar.js';
import { BrokerRejectError } from '../../../src/core/errors.js';
import type { OrderRequest } from '../../../src/core/Order.js';
import type { OrderEvent } from '../../../src/core/OrderEvent.js';
import { SimClock } from '../../../src/core/SimClock.js';

const bar = (iso: string, open: number, high: number, low: number, close: number, symbol = 'AAPL'): Bar => ({
  symbol,
  time: Date.parse(iso),
  open,
  high,
  low,
  close,
  volume: 1000,
});

let seq = 0;
const req = (over: Partial<OrderRequest> = {}): OrderRequest => ({
  symbol: 'AAPL',
  side: 'buy',
  qty: 10,
  type: 'market',
  clientOrderId: `s-r-${++seq}`,
  strategyId: 's',
  timeInForce: 'day',
  ...over,
});

function venue(options: { cash?: number; slippageBps?: number; perShare?: number; min?: number; liquidity?: number } = {}) {
  const clock = new SimClock(Date.parse('2019-02-11T14:31:00Z'));
  const engine = new MatchingEngine({
    clock,
    startingCash: options.cash ?? 10_000,
    slippage: options.slippageBps === undefined ? noSlippage : bpsSlippage(options.slippageBps),
    commission: options.perShare === undefined ? noCommission : perShareCommission(options.perShare, options.min ?? 0),
    ...(options.liquidity === undefined ? {} : { liquidity: () => options.liquidity! }),
  });
  const events: OrderEvent[] = [];
  engine.onEvent((e) => events.push(e));
  /** A bar arrives: the clock moves to it, the venue matches. */
  const feed = (b: Bar): void => {
    clock.advanceTo(b.time);
    engine.onBar(b);
  };
  return { clock, engine, events, feed };
}

const rejection = (fn: () => unknown): BrokerRejectError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof BrokerRejectError) return error;
    throw error;
  }
  throw new Error('expected a BrokerRejectError');
};

describe('fillPrice (backtrader rules)', () => {
  const b = bar('2019-02-11T14:32:00Z', 100, 105, 95, 102);
  const o = (side: 'buy' | 'sell', type: 'market' | 'limit' | 'stop', price: number | null = null) => ({
    side,
    type,
    limitPrice: type === 'limit' ? price : null,
    stopPrice: type === 'stop' ? price : null,
  });
  it('market orders fill at the open', () => {
    expect(fillPrice(o('buy', 'market'), b)).toBe(100);
    expect(fillPrice(o('sell', 'market'), b)).toBe(100);
  });
  it('limit buy: the open when it opens at or below the limit, the limit when the low reaches it', () => {
    expect(fillPrice(o('buy', 'limit', 101), b)).toBe(100);
    expect(fillPrice(o('buy', 'limit', 100), b)).toBe(100);
    expect(fillPrice(o('buy', 'limit', 96), b)).toBe(96);
    expect(fillPrice(o('buy', 'limit', 95), b)).toBe(95);
    expect(fillPrice(o('buy', 'limit', 94.99), b)).toBeNull();
  });
  it('limit sell: mirrored', () => {
    expect(fillPrice(o('sell', 'limit', 99), b)).toBe(100);
    expect(fillPrice(o('sell', 'limit', 104), b)).toBe(104);
    expect(fillPrice(o('sell', 'limit', 105.01), b)).toBeNull();
  });
  it('stop buy: the open on a gap through the stop, else the stop when the high reaches it', () => {
    expect(fillPrice(o('buy', 'stop', 98), b)).toBe(100);
    expect(fillPrice(o('buy', 'stop', 103), b)).toBe(103);
    expect(fillPrice(o('buy', 'stop', 105.5), b)).toBeNull();
  });
  it('stop sell: mirrored', () => {
    expect(fillPrice(o('sell', 'stop', 101), b)).toBe(100);
    expect(fillPrice(o('sell', 'stop', 97), b)).toBe(97);
    expect(fillPrice(o('sell', 'stop', 94), b)).toBeNull();
  });
});

describe('slippage and commission models', () => {
  const b = bar('2019-02-11T14:32:00Z', 100, 100.05, 99.95, 100);
  it('bps slippage moves market and stop fills against the trader, within the bar', () => {
    const s = bpsSlippage(2);
    expect(s.apply(100, 'buy', 'market', b)).toBe(100 * 1.0002);
    expect(s.apply(100, 'sell', 'stop', b)).toBe(100 * 0.9998);
    expect(bpsSlippage(10).apply(100, 'buy', 'market', b)).toBe(100.05);
    expect(bpsSlippage(10).apply(100, 'sell', 'market', b)).toBe(99.95);
    expect(s.apply(100, 'buy', 'limit', b)).toBe(100);
    expect(s.describe()).toBe('2 bps');
    expect(bpsSlippage(0)).toBe(noSlippage);
    expect(() => bpsSlippage(-1)).toThrow(RangeError);
    expect(() => bpsSlippage(Number.NaN)).toThrow(RangeError);
  });
  it('per-share commission with a minimum per fill', () => {
    const c = perShareCommission(0.005, 1);
    expect(c.commission(100, 50)).toBe(1);
    expect(c.commission(1000, 50)).toBe(5);
    expect(c.describe()).toBe('$0.005/share, min $1');
    expect(perShareCommission(0, 0, 1.5).commission(100, 50)).toBe(1.5);
    expect(perShareCommission(0.01, 2, 0.5).commission(100, 50)).toBe(2);
    expect(perShareCommission(0.01, 1, 0.5).commission(100, 50)).toBe(1.5);
    expect(perShareCommission(0, 0)).toBe(noCommission);
    expect(() => perShareCommission(-0.01)).toThrow(RangeError);
  });
  it('range slippage moves market and stop fills by a fraction of the bar range, within the bar', () => {
    const wide = bar('2019-02-11T14:32:00Z', 100, 101, 99, 100.5);
    // Range 101 − 99 = 2; a quarter of it is 0.5: buys at 100 + 0.5, sells at 100 − 0.5.
    const s = rangeSlippage(0.25);
    expect(s.apply(100, 'buy', 'market', wide)).toBe(100.5);
    expect(s.apply(100, 'sell', 'stop', wide)).toBe(99.5);
    // 0.8 · 2 = 1.6 would cross the high (101) or the low (99): capped there.
    expect(rangeSlippage(0.8).apply(100, 'buy', 'market', wide)).toBe(101);
    expect(rangeSlippage(0.8).apply(100, 'sell', 'market', wide)).toBe(99);
    expect(s.apply(100, 'buy', 'limit', wide)).toBe(100);
    expect(s.describe()).toBe('0.25 of the bar range');
    expect(rangeSlippage(0)).toBe(noSlippage);
    expect(() => rangeSlippage(1.5)).toThrow(RangeError);
  });
  it('builds the configured models, both off by default, and refuses two slippage models', () => {
    const off = costModels({ slippage_bps: 0, slippage_range: 0, commission_per_share: 0, commission_per_order: 0, commission_min_per_order: 0 });
    expect(off.slippage).toBe(noSlippage);
    expect(off.commission).toBe(noCommission);
    const on = costModels({ slippage_bps: 0, slippage_range: 0.1, commission_per_share: 0, commission_per_order: 1, commission_min_per_order: 0 });
    expect(on.slippage.describe()).toBe('0.1 of the bar range');
    expect(on.commission.describe()).toBe('$1/order');
    // $1 an order whatever the size.
    expect(on.commission.commission(1, 10)).toBe(1);
    expect(on.commission.commission(1000, 10)).toBe(1);
    expect(() => costModels({ slippage_bps: 5, slippage_range: 0.1, commission_per_share: 0, commission_per_order: 0, commission_min_per_order: 0 })).toThrow(RangeError);
  });
});

describe('MatchingEngine', () => {
  it('fills a market order at the open of the next bar, never on the bar it was sent on', () => {
    const { engine, events, feed, clock } = venue();
    feed(bar('2019-02-11T14:31:00Z', 100, 101, 99, 100.5));
    const order = engine.submit(req());
    expect(order).toMatchObject({ id: 'sim-1', status: 'new', submittedAt: clock.now(), filledQty: 0 });
    engine.onBar(bar('2019-02-11T14:31:00Z', 100, 101, 99, 100.5, 'AAPL'));
    feed(bar('2019-02-11T14:32:00Z', 50, 51, 49, 50, 'MSFT'));
    expect(events.map((e) => e.kind)).toEqual(['new']);
    feed(bar('2019-02-11T14:33:00Z', 101, 102, 100, 101.5));
    expect(events.map((e) => e.kind)).toEqual(['new', 'fill']);
    const fill = events[1]!;
    if (fill.kind !== 'fill') throw new Error('expected a fill');
    expect(fill.fill).toEqual({
      executionId: 'sim-exec-1',
      orderId: 'sim-1',
      clientOrderId: order.clientOrderId,
      symbol: 'AAPL',
      side: 'buy',
      qty: 10,
      price: 101,
      commission: 0,
      time: Date.parse('2019-02-11T14:33:00Z'),
    });
    expect(fill.order).toMatchObject({ status: 'filled', filledQty: 10, filledAvgPrice: 101 });
    expect(engine.account()).toEqual({ cash: 10_000 - 1010, equity: 10_000 - 1010 + 1015, buyingPower: 10_000 - 1010 });
    expect(engine.positions()).toEqual([{ symbol: 'AAPL', qty: 10, avgPrice: 101 }]);
    expect(engine.openOrders()).toEqual([]);
  });

  it('keeps a limit order working until touched, then fills at the limit', () => {
    const { engine, events, feed } = venue();
    feed(bar('2019-02-11T14:31:00Z', 100, 101, 99, 100));
    engine.submit(req({ type: 'limit', limitPrice: 98 }));
    feed(bar('2019-02-11T14:32:00Z', 100, 101, 98.5, 99));
    expect(engine.openOrders()).toHaveLength(1);
    feed(bar('2019-02-11T14:33:00Z', 99, 99.5, 97, 97.5));
    expect(events.at(-1)).toMatchObject({ kind: 'fill', fill: { price: 98, qty: 10 } });
    expect(engine.account().cash).toBe(10_000 - 980);
  });

  it('expires a day limit order when the next session starts; a gtc order stays', () => {
    const { engine, events, feed } = venue();
    feed(bar('2019-02-11T20:59:00Z', 100, 101, 99, 100));
    const day = engine.submit(req({ type: 'limit', limitPrice: 90 }));
    const gtc = engine.submit(req({ type: 'limit', limitPrice: 90, timeInForce: 'gtc' }));
    feed(bar('2019-02-11T21:00:00Z', 100, 101, 99, 100));
    expect(engine.openOrders().map((o) => o.id)).toEqual([day.id, gtc.id]);
    feed(bar('2019-02-12T14:31:00Z', 100, 101, 99, 100));
    expect(events.at(-1)).toMatchObject({ kind: 'expired', order: { id: day.id, status: 'expired' } });
    expect(engine.openOrders().map((o) => o.id)).toEqual([gtc.id]);
    expect(engine.order(day.clientOrderId)?.status).toBe('expired');
  });

  it('a day order sent after the close lives for the next session', () => {
    const { engine, events, feed } = venue();
    feed(bar('2019-02-11T21:00:00Z', 100, 101, 99, 100));
    engine.submit(req({ type: 'limit', limitPrice: 98 }));
    feed(bar('2019-02-12T14:31:00Z', 100, 101, 99, 100));
    feed(bar('2019-02-12T14:32:00Z', 99, 99, 97, 98));
    expect(events.map((e) => e.kind)).toEqual(['new', 'fill']);
  });

  it('refuses what Alpaca refuses, with its status codes', () => {
    const { engine, feed } = venue({ cash: 1000 });
    feed(bar('2019-02-11T14:31:00Z', 100, 101, 99, 100));
    expect(rejection(() => engine.submit(req({ qty: 0 })))).toMatchObject({ status: 422, message: 'qty must be > 0, got 0' });
    expect(rejection(() => engine.submit(req({ qty: Number.NaN }))).status).toBe(422);
    expect(rejection(() => engine.submit(req({ type: 'limit' }))).message).toBe('limit_price is required for a limit order');
    expect(rejection(() => engine.submit(req({ type: 'stop' }))).message).toBe('stop_price is required for a stop order');
    expect(rejection(() => engine.submit(req({ limitPrice: 100 }))).message).toBe('a market order takes no limit or stop price');
    expect(rejection(() => engine.submit(req({ symbol: 'aapl' }))).message).toBe('invalid symbol "aapl"');
    const ok = engine.submit(req({ qty: 5 }));
    expect(rejection(() => engine.submit(req({ qty: 1, clientOrderId: ok.clientOrderId }))).message).toBe('client_order_id must be unique');
    // $500 is reserved by the working order: 6 more shares at $100 do not fit.
    expect(rejection(() => engine.submit(req({ qty: 6 })))).toMatchObject({
      status: 403,
      message: 'insufficient buying power: order costs about 600.00, buying power is 500.00',
    });
    expect(rejection(() => engine.submit(req({ side: 'sell', qty: 1 })))).toMatchObject({
      status: 403,
      message: 'insufficient qty available for order (requested: 1, available: 0)',
    });
    expect(engine.openOrders()).toHaveLength(1);
  });

  it('counts shares already promised to working sell orders', () => {
    const { engine, feed } = venue();
    feed(bar('2019-02-11T14:31:00Z', 100, 101, 99, 100));
    engine.submit(req({ qty: 10 }));
    feed(bar('2019-02-11T14:32:00Z', 100, 101, 99, 100));
    engine.submit(req({ side: 'sell', qty: 6, type: 'limit', limitPrice: 200 }));
    expect(rejection(() => engine.submit(req({ side: 'sell', qty: 5 }))).message).toBe('insufficient qty available for order (requested: 5, available: 4)');
  });

  it('rejects at fill a buy that costs more than the cash left (a gap up)', () => {
    const { engine, events, feed } = venue({ cash: 1000 });
    feed(bar('2019-02-11T14:31:00Z', 100, 100, 100, 100));
    engine.submit(req({ qty: 10 }));
    feed(bar('2019-02-11T14:32:00Z', 110, 111, 109, 110));
    expect(events.at(-1)).toMatchObject({
      kind: 'rejected',
      reason: 'insufficient cash at fill: 10 AAPL @ 110 costs 1100.00, cash is 1000.00',
      order: { status: 'rejected', filledQty: 0 },
    });
    expect(engine.account().cash).toBe(1000);
    expect(engine.positions()).toEqual([]);
  });

  it('cancels a working order once', () => {
    const { engine, events, feed } = venue();
    feed(bar('2019-02-11T14:31:00Z', 100, 101, 99, 100));
    const o = engine.submit(req({ type: 'limit', limitPrice: 50 }));
    expect(engine.cancel(o.id)).toBe(true);
    expect(events.at(-1)).toMatchObject({ kind: 'canceled', order: { id: o.id, status: 'canceled' } });
    expect(engine.cancel(o.id)).toBe(false);
    expect(engine.cancel('nope')).toBe(false);
    feed(bar('2019-02-11T14:32:00Z', 40, 41, 39, 40));
    expect(events.map((e) => e.kind)).toEqual(['new', 'canceled']);
  });

  it('charges commission and slippage on fills and cash', () => {
    const { engine, events, feed } = venue({ slippageBps: 10, perShare: 0.01, min: 1 });
    feed(bar('2019-02-11T14:31:00Z', 20, 21, 19, 20));
    engine.submit(req({ qty: 200, side: 'buy' }));
    feed(bar('2019-02-11T14:32:00Z', 20, 21, 19, 20));
    // 20 × 1.001 = 20.02 (within the high of 21); commission 200 × 0.01 = 2.
    expect(events.at(-1)).toMatchObject({ kind: 'fill', fill: { price: 20 * 1.001, commission: 2 } });
    expect(engine.account().cash).toBe(10_000 - (200 * (20 * 1.001) + 2));
  });

  it('fills in parts when liquidity is short, with a volume-weighted average price', () => {
    const { engine, events, feed } = venue({ liquidity: 4 });
    feed(bar('2019-02-11T14:31:00Z', 100, 101, 99, 100));
    engine.submit(req({ qty: 10 }));
    feed(bar('2019-02-11T14:32:00Z', 100, 101, 99, 100));
    feed(bar('2019-02-11T14:33:00Z', 101, 101, 99, 100));
    feed(bar('2019-02-11T14:34:00Z', 104, 105, 103, 104));
    expect(events.map((e) => e.kind)).toEqual(['new', 'partial_fill', 'partial_fill', 'fill']);
    const last = events.at(-1)!;
    expect(last.order).toMatchObject({ status: 'filled', filledQty: 10, filledAvgPrice: (4 * 100 + 4 * 101 + 2 * 104) / 10 });
    expect(engine.positions()).toEqual([{ symbol: 'AAPL', qty: 10, avgPrice: (400 + 404 + 208) / 10 }]);
  });

  it('keeps the average price of what is left after a partial sell', () => {
    const { engine, feed } = venue();
    feed(bar('2019-02-11T14:31:00Z', 100, 101, 99, 100));
    engine.submit(req({ qty: 10 }));
    feed(bar('2019-02-11T14:32:00Z', 100, 101, 99, 100));
    engine.submit(req({ qty: 10 }));
    feed(bar('2019-02-11T14:33:00Z', 110, 111, 109, 110));
    engine.submit(req({ qty: 5, side: 'sell' }));
    feed(bar('2019-02-11T14:34:00Z', 120, 121, 119, 120));
    expect(engine.positions()).toEqual([{ symbol: 'AAPL', qty: 15, avgPrice: 105 }]);
    expect(engine.account().cash).toBe(10_000 - 1000 - 1100 + 600);
  });
});

describe('SimBroker', () => {
  it('turns a refused submission into a rejected event and relays the venue events', async () => {
    const { engine, feed } = venue();
    const broker = new SimBroker(engine);
    const events: OrderEvent[] = [];
    const unsubscribe = broker.onOrderEvent((e) => events.push(e));
    feed(bar('2019-02-11T14:31:00Z', 100, 101, 99, 100));
    broker.submit(req({ qty: 0, clientOrderId: 'x-1' }));
    expect(events).toEqual([
      expect.objectContaining({ kind: 'rejected', reason: 'qty must be > 0, got 0', order: expect.objectContaining({ clientOrderId: 'x-1', status: 'rejected' }) }),
    ]);
    broker.submit(req({ qty: 3 }));
    broker.onBar(bar('2019-02-11T14:32:00Z', 100, 101, 99, 100));
    expect(events.map((e) => e.kind)).toEqual(['rejected', 'new', 'fill']);
    expect(await broker.getPositions()).toEqual([{ symbol: 'AAPL', qty: 3, avgPrice: 100 }]);
    expect(await broker.getAccount()).toEqual(engine.account());
    expect(await broker.getOpenOrders()).toEqual([]);
    unsubscribe();
    broker.submit(req({ qty: 1 }));
    expect(events).toHaveLength(3);
  });
});
