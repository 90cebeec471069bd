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

/** A 1-minute strategy that reads the hourly bars of its symbol on every bar. */
class ReadsHourly extends Strategy {
  readonly seen: string[][] = [];
  override onBar(bar: Bar, ctx: StrategyContext): void {
    this.seen.push(ctx.bars(bar.symbol, '1H').map((b) => `${new Date(b.time).toISOString().slice(11, 16)} o${b.open} h${b.high} l${b.low} c${b.close} v${b.volume}`));
  }
}

describe('a strategy reading a longer timeframe (ctx.bars)', () => {
  it('gets session-aligned hourly bars built from its minute bars, warm-up included', () => {
    const open = Date.parse('2019-02-11T14:30:00Z');
    // Minute bars (stamped at their end) 09:31 … 11:30: close = 100 + minute index.
    const minutes: Bar[] = Array.from({ length: 120 }, (_, i) => ({ symbol: 'X', time: open + (i + 1) * 60_000, open: 100 + i, high: 100.5 + i, low: 99.5 + i, close: 100 + i, volume: 10 }));
    const strategy = new ReadsHourly({});
    const clock = new SimClock(open);
    const core = buildTradingCore({
      strategies: [{ id: 's', type: 'reads_hourly', symbols: ['X'], capital: 1000, params: {} }],
      broker: new SimBroker(new MatchingEngine({ clock, startingCash: 1000, slippage: noSlippage, commission: noCommission })),
      clock,
      runId: 'r',
      maxPositionPct: 1,
      estimateCommission: () => 0,
      logger: pino({ level: 'silent' }),
      createStrategy: () => strategy,
    });
    core.runner.start();
    core.runner.warmUp(minutes.slice(0, 90));
    for (const b of minutes.slice(90)) core.bus.emit('bar', b);
    // Nothing complete before 10:30 (the first hour counts from the 09:30 open); then one bar an hour.
    expect(strategy.seen[58]).toEqual([]);
    expect(strategy.seen[59]).toEqual(['15:30 o100 h159.5 l99.5 c159 v600']);
    expect(strategy.seen[119]).toEqual(['15:30 o100 h159.5 l99.5 c159 v600', '16:30 o160 h219.5 l159.5 c219 v600']);
  });
});
