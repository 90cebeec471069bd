import { describe, expect, it } from 'vitest';
import { noCommission } from '../../../src/broker/sim/CommissionModel.js';
import { MatchingEngine, type MatchingEngineOptions, type VenueData } from '../../../src/broker/sim/MatchingEngine.js';
import { noSlippage } from '../../../src/broker/sim/SlippageModel.js';
import type { Bar } from '../../../src/core/Bar.js';
import { BrokerRejectError } from '../../../src/core/errors.js';
import type { OrderRequest } from '../../../src/core/Order.js';
import type { OrderEvent } from '../../../src/core/OrderEvent.js';
import { SimClock } from '../../../src/core/SimClock.js';

const T0 = Date.parse('2019-02-11T14:31:00Z');
const MINUTE = 60_000;

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

function venue(over: Partial<MatchingEngineOptions> = {}) {
  const clock = new SimClock(T0);
  const engine = new MatchingEngine({ clock, startingCash: 100_000, slippage: noSlippage, commission: noCommission, ...over });
  const events: OrderEvent[] = [];
  engine.onEvent((e) => events.push(e));
  let minute = 0;
  /** The next minute's bar [open, high, low, close]. */
  const bar = (open: number, high: number, low: number, close: number, at = T0 + ++minute * MINUTE): void => {
    clock.advanceTo(at);
    const b: Bar = { symbol: 'AAPL', time: at, open, high, low, close, volume: 1000 };
    engine.onBar(b);
  };
  const seen = (): string[] => events.map((e) => `${e.kind} ${e.order.clientOrderId}`);
  return { clock, engine, events, bar, seen };
}

const refusal = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    if (error instanceof BrokerRejectError) return error.message;
    throw error;
  }
  return 'accepted';
};

describe('bracket exits in the matching engine', () => {
  it('creates the exits with the entry, held: off the book, silent, out of buying power, not trading', () => {
    const { engine, bar, seen } = venue();
    const entry = engine.submit(req({ clientOrderId: 'e', type: 'limit', limitPrice: 98, bracket: { stopLoss: 95, takeProfit: 110 } }));
    const held = engine.heldLegs(entry.id);
    expect(held.map((o) => [o.clientOrderId, o.side, o.type, o.qty, o.stopPrice, o.limitPrice, o.timeInForce])).toEqual([
      ['e-sl', 'sell', 'stop', 10, 95, null, 'gtc'],
      ['e-tp', 'sell', 'limit', 10, null, 110, 'gtc'],
    ]);
    expect(held.map((o) => engine.order(o.id)?.clientOrderId)).toEqual(['e-sl', 'e-tp']);
    expect(engine.openOrders().map((o) => o.clientOrderId)).toEqual(['e']);
    expect(engine.buyingPower()).toBe(100_000 - 980);
    // The price crosses the take-profit while the entry waits: nothing but the entry exists.
    bar(100, 112, 99, 111);
    bar(111, 115, 99, 100);
    expect(seen()).toEqual(['new e']);
    // The entry fills (the low reaches 98): the same orders become active.
    bar(99, 99, 97, 98);
    expect(seen()).toEqual(['new e', 'fill e', 'new e-sl', 'new e-tp']);
    expect(engine.openOrders().map((o) => o.id)).toEqual(held.map((o) => o.id));
    expect(engine.heldLegs(entry.id)).toEqual([]);
    bar(98, 111, 98, 110);
    expect(seen().slice(4)).toEqual(['fill e-tp', 'canceled e-sl']);
  });

  it('gives the exits the entry’s time in force when told to (Alpaca’s rule, the emulator’s)', () => {
    const { engine } = venue({ legTimeInForce: 'entry' });
    const day = engine.submit(req({ bracket: { stopLoss: 95, takeProfit: 110 } }));
    const gtc = engine.submit(req({ timeInForce: 'gtc', bracket: { stopLoss: 95 } }));
    expect(engine.heldLegs(day.id).map((o) => o.timeInForce)).toEqual(['day', 'day']);
    expect(engine.heldLegs(gtc.id).map((o) => [o.type, o.timeInForce])).toEqual([['stop', 'gtc']]);
  });

  it('ends the held exits with an entry canceled after a partial fill (no events for them); its shares stay without exits', () => {
    const { engine, bar, seen } = venue({ liquidity: () => 4 });
    const entry = engine.submit(req({ clientOrderId: 'e', bracket: { stopLoss: 95, takeProfit: 110 } }));
    const [sl, tp] = engine.heldLegs(entry.id);
    bar(100, 101, 99, 100);
    expect(engine.cancel(entry.id)).toBe(true);
    expect(seen()).toEqual(['new e', 'partial_fill e', 'canceled e']);
    expect([engine.order(sl!.id)?.status, engine.order(tp!.id)?.status]).toEqual(['canceled', 'canceled']);
    expect(engine.positions()).toEqual([{ symbol: 'AAPL', qty: 4, avgPrice: 100 }]);
    expect(engine.openOrders()).toEqual([]);
    expect(engine.cancel(sl!.id)).toBe(false);
  });

  it('cancels the group when a held exit is canceled, and expires held exits with their day entry', () => {
    const { engine, bar, seen } = venue();
    const a = engine.submit(req({ clientOrderId: 'a', type: 'limit', limitPrice: 50, bracket: { stopLoss: 45, takeProfit: 60 } }));
    expect(engine.cancel(engine.heldLegs(a.id)[1]!.id)).toBe(true);
    expect(seen()).toEqual(['new a', 'canceled a']);
    expect(engine.order('a-sl')?.status).toBe('canceled');
    const b = engine.submit(req({ clientOrderId: 'b', type: 'limit', limitPrice: 50, bracket: { stopLoss: 45, takeProfit: 60 } }));
    const legs = engine.heldLegs(b.id);
    bar(100, 101, 99, 100);
    bar(100, 101, 99, 100, Date.parse('2019-02-12T14:31:00Z'));
    expect(seen().slice(2)).toEqual(['new b', 'expired b']);
    expect(legs.map((o) => engine.order(o.id)?.status)).toEqual(['expired', 'expired']);
  });

  it('counts the two active exits of a bracket once when it checks a new sell', () => {
    const { engine, bar } = venue();
    // Strategy A: 10 shares with both exits working. Strategy B: 50 more of the same symbol.
    engine.submit(req({ bracket: { stopLoss: 95, takeProfit: 110 } }));
    bar(100, 101, 99, 100);
    engine.submit(req({ qty: 50 }));
    bar(100, 101, 99, 100);
    expect(engine.positions()[0]!.qty).toBe(60);
    expect(engine.openOrders().map((o) => [o.side, o.qty])).toEqual([
      ['sell', 10],
      ['sell', 10],
    ]);
    expect(refusal(() => engine.submit(req({ side: 'sell', qty: 50 })))).toBe('accepted');
    expect(refusal(() => engine.submit(req({ side: 'sell', qty: 1 })))).toBe('insufficient qty available for order (requested: 1, available: 0)');
  });

  it('cancels the other exit when one is canceled; a replaced exit stays one of the pair', () => {
    const { engine, bar, seen } = venue();
    engine.submit(req({ clientOrderId: 'e', bracket: { stopLoss: 95, takeProfit: 110 } }));
    bar(100, 101, 99, 100);
    // Replace the take-profit: the position's 10 shares are held by the pair once, so it is accepted.
    const tp = engine.order('e-tp')!;
    const { replacement } = engine.replace(tp.id, { symbol: 'AAPL', side: 'sell', qty: 10, type: 'limit', limitPrice: 111, timeInForce: 'gtc', clientOrderId: 'e-tp2', strategyId: '' });
    bar(100, 112, 100, 111);
    expect(seen().slice(-2)).toEqual(['fill e-tp2', 'canceled e-sl']);
    expect(engine.order(replacement.id)?.status).toBe('filled');
    // Canceling one exit cancels its sibling.
    engine.submit(req({ clientOrderId: 'f', bracket: { stopLoss: 95, takeProfit: 120 } }));
    bar(111, 112, 110, 111);
    engine.cancel(engine.order('f-sl')!.id);
    expect(seen().slice(-2)).toEqual(['canceled f-sl', 'canceled f-tp']);
    expect(engine.openOrders()).toEqual([]);
  });

  it('a replaced entry keeps its held exits, sized to it', () => {
    const { engine } = venue();
    const entry = engine.submit(req({ clientOrderId: 'e', type: 'limit', limitPrice: 90, bracket: { stopLoss: 85, takeProfit: 110 } }));
    const legIds = engine.heldLegs(entry.id).map((o) => o.id);
    const { replacement } = engine.replace(entry.id, { symbol: 'AAPL', side: 'buy', qty: 5, type: 'limit', limitPrice: 91, timeInForce: 'day', clientOrderId: 'e2', strategyId: 's' });
    expect(engine.heldLegs(replacement.id).map((o) => [o.id, o.qty])).toEqual(legIds.map((id) => [id, 5]));
  });

  it('keeps held exits through toData() / restore(), and creates them for a state written before they existed', () => {
    const first = venue();
    const entry = first.engine.submit(req({ clientOrderId: 'e', type: 'limit', limitPrice: 98, bracket: { stopLoss: 95, takeProfit: 110 } }));
    const held = first.engine.heldLegs(entry.id);
    const data = JSON.parse(JSON.stringify(first.engine.toData())) as VenueData;
    expect(data.working.map((w) => w.heldLegs?.map((l) => l.order.clientOrderId))).toEqual([['e-sl', 'e-tp']]);

    const again = venue();
    again.engine.restore(data);
    expect(again.engine.heldLegs(entry.id)).toEqual(held);
    expect(again.engine.buyingPower()).toBe(100_000 - 980);
    again.bar(99, 99, 97, 98);
    expect(again.seen()).toEqual(['fill e', 'new e-sl', 'new e-tp']);
    expect(again.events.slice(1).map((e) => e.order.id)).toEqual(held.map((o) => o.id));
    // Still one-cancels-other after the restore.
    again.bar(98, 98, 94, 95);
    expect(again.seen().slice(3)).toEqual(['fill e-sl', 'canceled e-tp']);

    // A state without `heldLegs` (written before exits were held): they are created from `bracket`.
    const old: VenueData = { ...data, working: data.working.map(({ heldLegs: _, ...w }) => w) };
    const migrated = venue();
    migrated.engine.restore(old);
    expect(migrated.engine.heldLegs(entry.id).map((o) => [o.clientOrderId, o.qty])).toEqual([
      ['e-sl', 10],
      ['e-tp', 10],
    ]);
    migrated.bar(99, 99, 97, 98);
    expect(migrated.seen()).toEqual(['fill e', 'new e-sl', 'new e-tp']);
  });
});
