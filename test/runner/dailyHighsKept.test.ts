import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { noCommission } from '../../src/broker/sim/CommissionModel.js';
import { MatchingEngine } from '../../src/broker/sim/MatchingEngine.js';
import { noSlippage } from '../../src/broker/sim/SlippageModel.js';
import { SimBroker } from '../../src/broker/sim/SimBroker.js';
import type { Bar } from '../../src/core/Bar.js';
import { SimClock } from '../../src/core/SimClock.js';
import { buildTradingCore } from '../../src/engine/buildTradingCore.js';
import { Strategy } from '../../src/strategies/Strategy.js';
import type { StrategyContext } from '../../src/strategies/StrategyContext.js';

const T0 = Date.parse('2019-02-11T14:31:00Z');

/** Buys 8 shares on its second bar. */
class BuyOnSecondBar extends Strategy {
  bars = 0;
  override onBar(b: Bar, ctx: StrategyContext): void {
    if (++this.bars === 2) ctx.buy(b.symbol, 8);
  }
}

/** Two bars of X: the first trades up to $200 and closes at $100, the second closes at $100. */
function run(maxOrderPct: number | undefined): { readsPriceCeiling: boolean; denied: string[]; submitted: number } {
  const clock = new SimClock(T0);
  const venue = new MatchingEngine({ clock, startingCash: 10_000, slippage: noSlippage, commission: noCommission });
  const broker = new SimBroker(venue);
  const core = buildTradingCore({
    strategies: [{ id: 's', type: 'test', symbols: ['X'], capital: 10_000, params: {} }],
    broker,
    clock,
    runId: 'r',
    maxPositionPct: 1,
    ...(maxOrderPct === undefined ? {} : { maxOrderPct }),
    estimateCommission: () => 0,
    logger: pino({ level: 'silent' }),
    createStrategy: () => new BuyOnSecondBar(undefined),
  });
  const denied: string[] = [];
  let submitted = 0;
  core.bus.on('order.denied', (e) => void denied.push(e.rule));
  core.bus.on('order.submitted', () => void submitted++);
  core.execution.start();
  core.runner.start();
  const bars: Bar[] = [
    { symbol: 'X', time: T0, open: 100, high: 200, low: 100, close: 100, volume: 1000 },
    { symbol: 'X', time: T0 + 60_000, open: 100, high: 100, low: 100, close: 100, volume: 1000 },
  ];
  for (const b of bars) {
    clock.advanceTo(b.time);
    broker.onBar(b);
    core.bus.emit('bar', b);
  }
  return { readsPriceCeiling: core.riskGate.readsPriceCeiling, denied, submitted };
}

describe("the runner's daily highs (the max order value rule's price)", () => {
  it('are kept when that rule runs: 8 × the day high $200 = $1,600 is over 10 % of $10,000, though 8 × the close is $800', () => {
    expect(run(0.1)).toEqual({ readsPriceCeiling: true, denied: ['max_order_value'], submitted: 0 });
  });

  it('are not needed without it: the same buy goes', () => {
    expect(run(undefined)).toEqual({ readsPriceCeiling: false, denied: [], submitted: 1 });
  });
});
