import { describe, expect, it } from 'vitest';
import { noCommission } from '../../../src/broker/sim/CommissionModel.js';
import { MatchingEngine } from '../../../src/broker/sim/MatchingEngine.js';
import { noSlippage } from '../../../src/broker/sim/SlippageModel.js';
import { BrokerRejectError } from '../../../src/core/errors.js';
import type { OrderRequest } from '../../../src/core/Order.js';
import type { OrderEvent } from '../../../src/core/OrderEvent.js';
import type { Quote } from '../../../src/core/Quote.js';
import { SimClock } from '../../../src/core/SimClock.js';

const T0 = Date.parse('2019-02-11T14:31:00Z');
let seq = 0;
const req = (over: Partial<OrderRequest> = {}): OrderRequest => ({ symbol: 'AAPL', side: 'buy', qty: 10, type: 'market', clientOrderId: `q-${++seq}`, strategyId: '', timeInForce: 'day', ...over });
const quote = (sec: number, bid: number, ask: number): Quote => ({ symbol: 'AAPL', time: T0 + sec * 1000, bid, ask, bidSize: 100, askSize: 100 });

function engine(o: { cash?: number; liquidity?: number } = {}) {
  const clock = new SimClock(T0);
  const e = new MatchingEngine({
    clock,
    startingCash: o.cash ?? 10_000,
    slippage: noSlippage,
    commission: noCommission,
    ...(o.liquidity === undefined ? {} : { quoteLiquidity: () => o.liquidity! }),
  });
  const events: OrderEvent[] = [];
  e.onEvent((x) => events.push(x));
  const at = (q: Quote): void => {
    clock.advanceTo(q.time);
    e.onQuote(q);
  };
  const fills = (): Array<[string, number, number]> => events.flatMap((x) => (x.kind === 'fill' || x.kind === 'partial_fill' ? [[x.kind, x.fill.qty, x.fill.price] as [string, number, number]] : []));
  return { clock, e, events, at, fills };
}

describe('MatchingEngine against the NBBO (the emulator’s paper fills)', () => {
  it('fills a market buy at the ask and a market sell at the bid', () => {
    const v = engine();
    v.e.submit(req());
    v.at(quote(1, 100.0, 100.02));
    v.e.submit(req({ side: 'sell', qty: 4 }));
    v.at(quote(2, 100.1, 100.12));
    expect(v.fills()).toEqual([
      ['fill', 10, 100.02],
      ['fill', 4, 100.1],
    ]);
    expect(v.e.account().cash).toBeCloseTo(10_000 - 1000.2 + 400.4, 9);
  });

  it('fills a buy limit only once the ask is at or under it, at the ask', () => {
    const v = engine();
    v.e.submit(req({ type: 'limit', limitPrice: 99.5 }));
    v.at(quote(1, 99.6, 99.62));
    expect(v.fills()).toEqual([]);
    v.at(quote(2, 99.4, 99.45));
    expect(v.fills()).toEqual([['fill', 10, 99.45]]);
  });

  it('triggers a sell stop when the bid reaches it and keeps it triggered', () => {
    const v = engine({ liquidity: 6 });
    v.e.submit(req());
    v.at(quote(1, 100, 100.02));
    v.at(quote(2, 100, 100.02));
    v.events.length = 0;
    v.e.submit(req({ side: 'sell', type: 'stop', stopPrice: 99 }));
    v.at(quote(3, 99.5, 99.52));
    expect(v.fills()).toEqual([]);
    v.at(quote(4, 98.9, 98.92));
    // Back above the stop: the triggered order is a market order now, its rest fills at the bid.
    v.at(quote(5, 99.3, 99.32));
    expect(v.fills()).toEqual([
      ['partial_fill', 6, 98.9],
      ['fill', 4, 99.3],
    ]);
  });

  it('never fills an order on a quote older than the order', () => {
    const v = engine();
    v.clock.advanceTo(T0 + 10_000);
    v.e.submit(req());
    v.e.onQuote(quote(5, 100, 100.02));
    expect(v.fills()).toEqual([]);
    v.e.onQuote(quote(10, 100, 100.02));
    expect(v.fills()).toEqual([['fill', 10, 100.02]]);
  });

  it('replaces an order atomically: refused, the old one stays; accepted, the new one works', () => {
    const v = engine({ cash: 1000 });
    const old = v.e.submit(req({ type: 'limit', limitPrice: 90 }));
    expect(() => v.e.replace(old.id, req({ type: 'limit', limitPrice: 95, qty: 20 }))).toThrow(BrokerRejectError);
    expect(v.e.openOrders().map((o) => o.id)).toEqual([old.id]);
    const { old: gone, replacement } = v.e.replace(old.id, req({ type: 'limit', limitPrice: 95, qty: 10 }));
    expect(gone.status).toBe('canceled');
    expect(v.e.openOrders().map((o) => [o.id, o.limitPrice])).toEqual([[replacement.id, 95]]);
    expect(v.events.map((x) => x.kind)).toEqual(['new']);
  });

  it('expires an order on request (a day order at the close)', () => {
    const v = engine();
    const o = v.e.submit(req({ type: 'limit', limitPrice: 50 }));
    expect(v.e.cancel(o.id, 'expired')).toBe(true);
    expect(v.events.map((x) => [x.kind, x.order.status])).toEqual([
      ['new', 'new'],
      ['expired', 'expired'],
    ]);
  });
});
