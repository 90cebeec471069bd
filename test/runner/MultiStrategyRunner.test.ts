import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { noCommission } from '../../src/broker/sim/CommissionModel.js';
import { MatchingEngine } from '../../src/broker/sim/MatchingEngine.js';
import { noSlippage } from '../../src/broker/sim/SlippageModel.js';
import { SimBroker } from '../../src/broker/sim/SimBroker.js';
import type { Bar } from '../../src/core/Bar.js';
import type { DaemonEvents } from '../../src/core/DaemonEvents.js';
import { EventBus } from '../../src/core/EventBus.js';
import { SimClock } from '../../src/core/SimClock.js';
import { ExecutionService } from '../../src/execution/ExecutionService.js';
import { RiskGate } from '../../src/risk/RiskGate.js';
import { maxPosition } from '../../src/risk/rules/maxPosition.js';
import { notPaused } from '../../src/risk/rules/notPaused.js';
import { strategyCash } from '../../src/risk/rules/strategyCash.js';
import { validIntent } from '../../src/risk/rules/validIntent.js';
import { MultiStrategyRunner } from '../../src/runner/MultiStrategyRunner.js';
import { StrategyRunner } from '../../src/runner/StrategyRunner.js';
import { Strategy } from '../../src/strategies/Strategy.js';
import type { OrderRejection, StrategyContext, StrategyFill } from '../../src/strategies/StrategyContext.js';

const T0 = Date.parse('2019-02-11T14:31:00Z');
const bar = (symbol: string, minute: number, open: number, close = open): Bar => ({
  symbol,
  time: T0 + minute * 60_000,
  open,
  high: Math.max(open, close),
  low: Math.min(open, close),
  close,
  volume: 1000,
});

/** Buys `qty` on its first bar, remembers what it was told. */
class BuyOnce extends Strategy<{ qty: number }> {
  bars = 0;
  readonly fills: StrategyFill[] = [];
  readonly rejections: OrderRejection[] = [];
  override onBar(b: Bar, ctx: StrategyContext): void {
    this.bars++;
    if (this.bars === 1) ctx.buy(b.symbol, this.params.qty);
  }
  override onFill(f: StrategyFill): void {
    this.fills.push(f);
  }
  override onOrderRejected(r: OrderRejection): void {
    this.rejections.push(r);
  }
}

class ThrowsOnSecondBar extends Strategy {
  bars = 0;
  override onBar(): void {
    this.bars++;
    if (this.bars === 2) throw new Error('index out of range');
  }
}

function setup(strategies: Array<{ id: string; strategy: Strategy; capital?: number }>, accountCash = 100_000) {
  const clock = new SimClock(T0);
  const log = pino({ level: 'silent' });
  const venue = new MatchingEngine({ clock, startingCash: accountCash, slippage: noSlippage, commission: noCommission });
  const broker = new SimBroker(venue);
  const bus = new EventBus<DaemonEvents>((e) => {
    throw e;
  });
  const execution = new ExecutionService({ broker, bus, clock, runId: 'r', strategyIds: strategies.map((s) => s.id), logger: log });
  const gate = new RiskGate([validIntent, notPaused, maxPosition(0.25), strategyCash(() => 0)], execution);
  const runners = strategies.map(
    (s) =>
      new StrategyRunner({ id: s.id, type: 'test', strategy: s.strategy, symbols: ['AAPL'], capital: s.capital ?? 10_000, riskGate: gate, bus, clock, logger: log }),
  );
  const multi = new MultiStrategyRunner(runners, bus);
  const events: Array<[keyof DaemonEvents, unknown]> = [];
  for (const name of ['order.submitted', 'order.denied', 'fill.booked', 'strategy.faulted', 'order.unattributed'] as const) {
    bus.on(name, (e) => events.push([name, e]));
  }
  execution.start();
  multi.start();
  const feed = (b: Bar): void => {
    clock.advanceTo(b.time);
    broker.onBar(b);
    bus.emit('bar', b);
  };
  return { venue, multi, runners, events, feed };
}

describe('MultiStrategyRunner', () => {
  it('books each fill in the ledger of the strategy that sent the order', () => {
    const a = new BuyOnce({ qty: 10 });
    const b = new BuyOnce({ qty: 5 });
    const { runners, venue, feed } = setup([
      { id: 'a', strategy: a },
      { id: 'b', strategy: b },
    ]);
    feed(bar('AAPL', 0, 100));
    feed(bar('AAPL', 1, 101, 102));
    expect(runners[0]!.ledger.positionQty('AAPL')).toBe(10);
    expect(runners[0]!.ledger.cash).toBe(10_000 - 1010);
    expect(runners[1]!.ledger.positionQty('AAPL')).toBe(5);
    expect(runners[1]!.ledger.cash).toBe(10_000 - 505);
    expect(runners[0]!.ledger.equity()).toBe(10_000 - 1010 + 10 * 102);
    expect(venue.positions()).toEqual([{ symbol: 'AAPL', qty: 15, avgPrice: 101 }]);
    expect(a.fills).toEqual([{ symbol: 'AAPL', side: 'buy', qty: 10, price: 101, time: T0 + 60_000, realizedPnl: 0 }]);
    expect(b.fills.map((f) => f.qty)).toEqual([5]);
  });

  it('pauses a throwing strategy, reports it, and the others go on', () => {
    const thrower = new ThrowsOnSecondBar(undefined);
    const buyer = new BuyOnce({ qty: 10 });
    const { runners, events, feed } = setup([
      { id: 'broken', strategy: thrower },
      { id: 'ok', strategy: buyer },
    ]);
    feed(bar('AAPL', 0, 100));
    feed(bar('AAPL', 1, 101));
    feed(bar('AAPL', 2, 102));
    expect(runners[0]!.status).toBe('faulted');
    expect(runners[0]!.pauseReason).toBe('onBar: index out of range');
    expect(thrower.bars).toBe(2);
    const faulted = events.filter(([n]) => n === 'strategy.faulted').map(([, e]) => (e as { strategyId: string }).strategyId);
    expect(faulted).toEqual(['broken']);
    expect(runners[1]!.status).toBe('active');
    expect(buyer.bars).toBe(3);
    expect(runners[1]!.ledger.positionQty('AAPL')).toBe(10);
  });

  it('tells the strategy when the RiskGate refuses, and sends nothing', () => {
    const big = new BuyOnce({ qty: 30 }); // 30 × $100 = $3000 > 25 % of $10,000
    const { events, venue, feed } = setup([{ id: 'big', strategy: big }]);
    feed(bar('AAPL', 0, 100));
    expect(big.rejections).toHaveLength(1);
    expect(big.rejections[0]).toMatchObject({ source: 'risk', rule: 'max_position' });
    expect(events.filter(([n]) => n === 'order.submitted')).toHaveLength(0);
    expect(venue.openOrders()).toHaveLength(0);
  });

  it('tells the strategy when the broker rejects, and its books stay as they were', () => {
    // The strategy believes it has $10,000; the account holds only $500.
    const buyer = new BuyOnce({ qty: 10 });
    const { runners, venue, feed } = setup([{ id: 'ok', strategy: buyer }], 500);
    feed(bar('AAPL', 0, 100));
    expect(buyer.rejections).toHaveLength(1);
    expect(buyer.rejections[0]).toMatchObject({ source: 'broker', rule: 'rejected' });
    expect(buyer.rejections[0]!.reason).toBe('insufficient buying power: order costs about 1000.00, buying power is 500.00');
    expect(venue.openOrders()).toHaveLength(0);
    expect(runners[0]!.openOrderCount).toBe(0);
    expect(runners[0]!.ledger.cash).toBe(10_000);
  });
});
