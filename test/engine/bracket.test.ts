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
import type { OrderOptions, StrategyContext } from '../../src/strategies/StrategyContext.js';

const T0 = Date.parse('2019-02-11T15:00:00Z');
const off: BreakerLimits = { maxDrawdownPct: null, maxDailyLossPct: null, maxConsecutiveLosses: null, maxTradesPerDay: null, action: BreakerAction.BlockEntries };

/** Buys 10 shares on its first bar with the given exits (default: a stop-loss at 95 and a take-profit at 110), then does nothing. */
class BracketOnce extends Strategy {
  #sent = false;
  constructor(readonly exits: OrderOptions = { stopLoss: 95, takeProfit: 110 }) {
    super({});
  }
  override onBar(bar: Bar, ctx: StrategyContext): void {
    if (this.#sent) return;
    this.#sent = true;
    ctx.buy(bar.symbol, 10, { ...this.exits, reason: 'bracket entry' });
  }
}

/** Bars [open, high, low, close] one a minute through the real core and the simulated venue; `pauseAt` pauses the strategy's breaker at that bar. */
function run(bars: ReadonlyArray<readonly [number, number, number, number]>, pauseAt = -1, exits?: OrderOptions) {
  const clock = new SimClock(T0);
  const venue = new MatchingEngine({ clock, startingCash: 100_000, slippage: noSlippage, commission: noCommission });
  const core = buildTradingCore({
    strategies: [{ id: 's', type: 'bracket_once', symbols: ['AAPL'], capital: 50_000, params: {} }],
    broker: new SimBroker(venue),
    clock,
    runId: 'r',
    maxPositionPct: 1,
    estimateCommission: () => 0,
    logger: pino({ level: 'silent' }),
    breakers: { strategies: new Map([['s', off]]), account: off },
    createStrategy: () => new BracketOnce(exits),
  });
  const events: string[] = [];
  core.bus.on('order.update', (e) => events.push(`${e.event.kind} ${e.event.order.clientOrderId} ${e.event.kind === 'fill' ? e.event.fill.price : ''}`.trim()));
  core.execution.start();
  core.runner.start();
  bars.forEach(([open, high, low, close], i) => {
    const time = T0 + i * 60_000;
    clock.advanceTo(time);
    if (i === pauseAt) core.breakers!.get('s')!.pause(time, 'test');
    const b: Bar = { symbol: 'AAPL', time, open, high, low, close, volume: 1000 };
    venue.onBar(b);
    core.bus.emit('bar', b);
  });
  return { ledger: core.runner.runners[0]!.ledger, events };
}

describe('bracket entries offline', () => {
  it('exit at the take-profit on the bar that reaches it; the stop is canceled', () => {
    // Entry sent at bar 0, filled at bar 1's open (100); bar 2 stays inside 95–110; bar 3 reaches 110.
    const { ledger, events } = run([
      [100, 100, 100, 100],
      [100, 101, 99, 100],
      [104, 106, 98, 105],
      [106, 112, 105, 111],
      [111, 113, 108, 112],
    ]);
    expect(ledger.closedTrades.map((t) => [t.entryPrice, t.exitPrice, new Date(t.exitTime).toISOString()])).toEqual([[100, 110, '2019-02-11T15:03:00.000Z']]);
    expect(events).toEqual(['new s-r-1', 'fill s-r-1 100', 'new s-r-1-sl', 'new s-r-1-tp', 'fill s-r-1-tp 110', 'canceled s-r-1-sl']);
    expect(ledger.positionQty('AAPL')).toBe(0);
  });

  it('exit at the stop on the bar that reaches it, even with the strategy’s breaker paused; the target is canceled', () => {
    const { ledger, events } = run(
      [
        [100, 100, 100, 100],
        [100, 101, 99, 100],
        [99, 100, 96, 97],
        [97, 98, 93, 94],
      ],
      2,
    );
    expect(ledger.closedTrades.map((t) => [t.entryPrice, t.exitPrice, new Date(t.exitTime).toISOString()])).toEqual([[100, 95, '2019-02-11T15:03:00.000Z']]);
    expect(events.slice(-2)).toEqual(['fill s-r-1-sl 95', 'canceled s-r-1-tp']);
  });

  it('refuses a bracket whose target is not above its stop', () => {
    const clock = new SimClock(T0);
    const venue = new MatchingEngine({ clock, startingCash: 100_000, slippage: noSlippage, commission: noCommission });
    expect(() => venue.submit({ symbol: 'AAPL', side: 'buy', qty: 1, type: 'market', timeInForce: 'day', clientOrderId: 'x', strategyId: 's', bracket: { stopLoss: 110, takeProfit: 95 } })).toThrow('take_profit.limit_price 95 must be above stop_loss.stop_price 110');
  });

  it('a trailing stop follows the high and exits when the price falls back through it', () => {
    // 5 % trail from the entry at 100 (stop 95); bar 2's high 110 raises it to 104.50; bar 3 falls to 104.
    const { ledger, events } = run(
      [
        [100, 100, 100, 100],
        [100, 101, 99, 100],
        [104, 110, 104, 109],
        [108, 108, 104, 104],
      ],
      -1,
      { trailingStop: { percent: 0.05 } },
    );
    expect(ledger.closedTrades.map((t) => [t.entryPrice, t.exitPrice, new Date(t.exitTime).toISOString()])).toEqual([[100, 104.5, '2019-02-11T15:03:00.000Z']]);
    expect(events).toEqual(['new s-r-1', 'fill s-r-1 100', 'new s-r-1-ts', 'fill s-r-1-ts 104.5']);
  });
});
