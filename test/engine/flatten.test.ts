import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { noCommission } from '../../src/broker/sim/CommissionModel.js';
import { MatchingEngine } from '../../src/broker/sim/MatchingEngine.js';
import { noSlippage } from '../../src/broker/sim/SlippageModel.js';
import { SimBroker } from '../../src/broker/sim/SimBroker.js';
import type { Bar } from '../../src/core/Bar.js';
import { SimClock } from '../../src/core/SimClock.js';
import { buildTradingCore } from '../../src/engine/buildTradingCore.js';
import { BreakerAction, type BreakerLimits } from '../../src/risk/CircuitBreaker.js';
import { Strategy } from '../../src/strategies/Strategy.js';
import type { StrategyContext } from '../../src/strategies/StrategyContext.js';

const T0 = Date.parse('2019-02-11T15:00:00Z');
const off: BreakerLimits = { maxDrawdownPct: null, maxDailyLossPct: null, maxConsecutiveLosses: null, maxTradesPerDay: null, action: BreakerAction.BlockEntries };

/** Buys 100 shares on its first bar, then holds. */
class BuyOnce extends Strategy {
  override onBar(bar: Bar, ctx: StrategyContext): void {
    if (ctx.position(bar.symbol) === 0 && !ctx.hasOpenOrder(bar.symbol) && bar.close === 100) ctx.buy(bar.symbol, 100);
  }
}

function run(action: BreakerAction, prices: number[]) {
  const clock = new SimClock(T0);
  const venue = new MatchingEngine({ clock, startingCash: 100_000, slippage: noSlippage, commission: noCommission });
  const core = buildTradingCore({
    strategies: [{ id: 's', type: 'buy_once', symbols: ['AAPL'], capital: 50_000, params: {} }],
    broker: new SimBroker(venue),
    clock,
    runId: 'r',
    maxPositionPct: 1,
    estimateCommission: () => 0,
    logger: pino({ level: 'silent' }),
    // 100 shares at $100 of $50,000: a $5 fall is a 1 % drawdown.
    breakers: { strategies: new Map([['s', { ...off, maxDrawdownPct: 0.01, action }]]), account: off },
    createStrategy: () => new BuyOnce({}),
  });
  core.execution.start();
  core.runner.start();
  prices.forEach((p, i) => {
    const time = T0 + i * 60_000;
    clock.advanceTo(time);
    const b: Bar = { symbol: 'AAPL', time, open: p, high: p, low: p, close: p, volume: 1000 };
    venue.onBar(b);
    core.bus.emit('bar', b);
    core.portfolio.recordEquity(time);
    core.breakers!.onEquity(time);
  });
  return core.runner.runners[0]!.ledger;
}

describe('breaker actions', () => {
  it('flatten: a trip closes the positions at the next bar', () => {
    // Bought at 100 (fills at the second bar's open), 95 is −$500 = 1 % of $50,000: trip, sell at 94.
    const ledger = run(BreakerAction.Flatten, [100, 100, 95, 94, 93]);
    expect(ledger.positionQty('AAPL')).toBe(0);
    expect(ledger.closedTrades.map((t) => [t.entryPrice, t.exitPrice])).toEqual([[100, 94]]);
  });

  it('block_entries: a trip keeps the position (only new entries are blocked)', () => {
    expect(run(BreakerAction.BlockEntries, [100, 100, 95, 94, 93]).positionQty('AAPL')).toBe(100);
  });
});
