import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { noCommission } from '../../src/broker/sim/CommissionModel.js';
import { MatchingEngine } from '../../src/broker/sim/MatchingEngine.js';
import { noSlippage } from '../../src/broker/sim/SlippageModel.js';
import { SimBroker } from '../../src/broker/sim/SimBroker.js';
import type { Bar } from '../../src/core/Bar.js';
import type { DaemonEvents } from '../../src/core/DaemonEvents.js';
import { EventBus } from '../../src/core/EventBus.js';
import type { OrderIntent, OrderRequest } from '../../src/core/Order.js';
import { SimClock } from '../../src/core/SimClock.js';
import { ExecutionService } from '../../src/execution/ExecutionService.js';

const T0 = Date.parse('2019-02-11T15:00:00Z');
const bar = (minute: number, price: number): Bar => ({ symbol: 'AAPL', time: T0 + minute * 60_000, open: price, high: price, low: price, close: price, volume: 100 });
const market = (side: 'buy' | 'sell', qty: number): OrderIntent => ({ symbol: 'AAPL', side, qty, type: 'market' });

function setUp(mayRelease?: (r: OrderRequest) => boolean) {
  const clock = new SimClock(T0);
  const venue = new MatchingEngine({ clock, startingCash: 100_000, slippage: noSlippage, commission: noCommission });
  const broker = new SimBroker(venue);
  const submitted: string[] = [];
  const inner = broker.submit.bind(broker);
  broker.submit = (r) => {
    submitted.push(`${r.clientOrderId} ${r.side} ${r.qty}`);
    inner(r);
  };
  const bus = new EventBus<DaemonEvents>((e) => {
    throw e;
  });
  const execution = new ExecutionService({ broker, bus, clock, runId: 'r', strategyIds: ['a', 'b'], logger: pino({ level: 'silent' }), ...(mayRelease ? { mayRelease } : {}) });
  execution.start();
  const step = (minute: number, price: number): void => {
    clock.advanceTo(T0 + minute * 60_000);
    venue.onBar(bar(minute, price));
  };
  return { execution, submitted, step };
}

describe('ExecutionService', () => {
  it('holds an order facing an opposite order on its symbol until that one is done, then sends it', () => {
    const { execution, submitted, step } = setUp();
    step(0, 100);
    execution.send('a', market('buy', 10));
    step(1, 100); // a's buy fills
    execution.send('b', market('buy', 5));
    // a's exit faces b's open buy: Alpaca would refuse it as a potential wash trade.
    execution.send('a', market('sell', 10));
    expect(submitted).toEqual(['a-r-1 buy 10', 'b-r-2 buy 5']);
    expect(execution.openOrders('AAPL').map((o) => `${o.clientOrderId} ${o.side}`)).toEqual(['b-r-2 buy', 'a-r-3 sell']);
    step(2, 101); // b's buy fills: the held sell goes out
    expect(submitted).toEqual(['a-r-1 buy 10', 'b-r-2 buy 5', 'a-r-3 sell 10']);
  });

  it('keeps holding while the release check says no (a halted strategy), and sends when asked again', () => {
    let halted = true;
    const { execution, submitted, step } = setUp(() => !halted);
    step(0, 100);
    execution.send('b', market('buy', 5));
    execution.send('a', market('sell', 1));
    step(1, 100);
    expect(submitted).toEqual(['b-r-1 buy 5']);
    halted = false;
    execution.releaseHeld();
    expect(submitted).toEqual(['b-r-1 buy 5', 'a-r-2 sell 1']);
  });

  it('halted (the daemon stopping): still hears fills, but a held order stays held for the state file', () => {
    const { execution, submitted, step } = setUp();
    step(0, 100);
    execution.send('b', market('buy', 5));
    execution.send('a', market('sell', 1));
    execution.halt();
    step(1, 100); // b's buy fills and is heard: no longer in flight
    expect(submitted).toEqual(['b-r-1 buy 5']);
    expect(execution.toData().inFlight.map((o) => o.clientOrderId)).toEqual(['a-r-2']);
    expect(execution.toData().held.map((o) => o.request.clientOrderId)).toEqual(['a-r-2']);
  });
});

describe('whose order an event is about', () => {
  it('the daemon’s only when its strategy and its run are: another run’s order with our strategy names is reported, never booked', () => {
    const clock = new SimClock(T0);
    const venue = new MatchingEngine({ clock, startingCash: 100_000, slippage: noSlippage, commission: noCommission });
    const broker = new SimBroker(venue);
    const bus = new EventBus<DaemonEvents>((e) => {
      throw e;
    });
    const execution = new ExecutionService({ broker, bus, clock, runId: 'r2', runs: ['r1'], strategyIds: ['a'], logger: pino({ level: 'silent' }) });
    execution.start();
    const seen: string[] = [];
    bus.on('order.update', (e) => seen.push(`${e.strategyId} ${e.event.kind} ${e.event.order.clientOrderId}`));
    bus.on('order.unattributed', (e) => seen.push(`nobody ${e.event.kind} ${e.event.order.clientOrderId}`));
    // Orders at the venue the daemon did not send this run: an earlier run of its own, another daemon's, a hand-made one.
    for (const cid of ['a-r1-7', 'a-zzzz-1', 'a-r1-7-sl', 'b-r1-1', 'by hand']) venue.submit({ symbol: 'AAPL', side: 'buy', qty: 1, type: 'market', timeInForce: 'day', clientOrderId: cid, strategyId: '' });
    expect(seen).toEqual(['a new a-r1-7', 'nobody new a-zzzz-1', 'a new a-r1-7-sl', 'nobody new b-r1-1', 'nobody new by hand']);
    expect(['a-r1-7', 'a-r2-1', 'a-zzzz-1', 'b-r1-1'].map((c) => execution.isOurs(c))).toEqual([true, true, false, false]);
    // A protective exit of an earlier run, heard after a restart that did not track it, is in flight from then on.
    expect(execution.isInFlight('a-r1-7-sl')).toBe(true);
  });
});
