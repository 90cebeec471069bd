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
import { validIntent } from '../../src/risk/rules/validIntent.js';
import { MultiStrategyRunner } from '../../src/runner/MultiStrategyRunner.js';
import { StrategyRunner } from '../../src/runner/StrategyRunner.js';
import { Strategy } from '../../src/strategies/Strategy.js';
import type { StrategyContext } from '../../src/strategies/StrategyContext.js';

const T0 = Date.parse('2019-02-11T14:31:00Z');
const bar = (minute: number, price: number): Bar => ({ symbol: 'AAPL', time: T0 + minute * 60_000, open: price, high: price, low: price, close: price, volume: 1000 });

/** Buys on its first bar with a reason written by a function, closes on its third, then buys with a reason given as text. */
class Reasons extends Strategy {
  bars = 0;
  written = 0;
  override onBar(b: Bar, ctx: StrategyContext): void {
    this.bars++;
    const close = b.close;
    if (this.bars === 1)
      ctx.buy(b.symbol, 10, {
        reason: () => {
          this.written++;
          return `close ${close} under the lower band ${(close - 0.004).toFixed(2)}`;
        },
      });
    if (this.bars === 3)
      ctx.closePosition(b.symbol, () => {
        this.written++;
        return `close ${close} back at the middle band`;
      });
    if (this.bars === 5) ctx.buy(b.symbol, 1, { reason: 'as text' });
  }
}

function run(orderReasons: boolean | undefined): { strategy: Reasons; reasons: Array<string | undefined>; fills: number } {
  const clock = new SimClock(T0);
  const log = pino({ level: 'silent' });
  const broker = new SimBroker(new MatchingEngine({ clock, startingCash: 100_000, slippage: noSlippage, commission: noCommission }));
  const bus = new EventBus<DaemonEvents>((e) => {
    throw e;
  });
  const execution = new ExecutionService({ broker, bus, clock, runId: 'r', strategyIds: ['s'], logger: log });
  const strategy = new Reasons(undefined);
  const runner = new StrategyRunner({
    id: 's',
    type: 'test',
    strategy,
    symbols: ['AAPL'],
    capital: 10_000,
    riskGate: new RiskGate([validIntent], execution),
    bus,
    clock,
    logger: log,
    ...(orderReasons === undefined ? {} : { orderReasons }),
  });
  const multi = new MultiStrategyRunner([runner], bus);
  const reasons: Array<string | undefined> = [];
  let fills = 0;
  bus.on('order.submitted', (e) => reasons.push(e.request.reason));
  bus.on('fill.booked', () => fills++);
  execution.start();
  multi.start();
  for (let m = 0; m < 6; m++) {
    clock.advanceTo(T0 + m * 60_000);
    broker.onBar(bar(m, 100 + m));
    bus.emit('bar', bar(m, 100 + m));
  }
  return { strategy, reasons, fills };
}

describe('order reasons', () => {
  it('the daemon writes a reason given as a function when the order is sent, and keeps text as it is', () => {
    const { strategy, reasons, fills } = run(undefined);
    expect(reasons).toEqual(['close 100 under the lower band 100.00', 'close 102 back at the middle band', 'as text']);
    expect(strategy.written).toBe(2);
    expect(fills).toBe(3);
  });

  it('a backtest (orderReasons false) never calls the functions; the orders and fills are the same', () => {
    const { strategy, reasons, fills } = run(false);
    expect(reasons).toEqual([undefined, undefined, 'as text']);
    expect(strategy.written).toBe(0);
    expect(fills).toBe(3);
  });
});
