import fc from 'fast-check';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { Broker } from '../../src/broker/Broker.js';
import { noCommission } from '../../src/broker/sim/CommissionModel.js';
import { MatchingEngine } from '../../src/broker/sim/MatchingEngine.js';
import { noSlippage } from '../../src/broker/sim/SlippageModel.js';
import { SimBroker } from '../../src/broker/sim/SimBroker.js';
import type { Bar } from '../../src/core/Bar.js';
import type { OrderRequest } from '../../src/core/Order.js';
import { SimClock } from '../../src/core/SimClock.js';
import { buildTradingCore } from '../../src/engine/buildTradingCore.js';
import { StaticNyseCalendar } from '../../src/risk/calendar/StaticNyseCalendar.js';
import { BreakerAction, type BreakerLimits } from '../../src/risk/CircuitBreaker.js';
import { ACCOUNT, type CircuitBreakers } from '../../src/risk/CircuitBreakers.js';
import { Strategy } from '../../src/strategies/Strategy.js';
import type { StrategyContext } from '../../src/strategies/StrategyContext.js';

const SYMBOLS = ['AAA', 'BBB'] as const;
const IDS = ['s0', 's1', 's2'] as const;

/** What a strategy asks for on one bar. */
interface Ask {
  readonly side: 'buy' | 'sell' | 'close';
  readonly qty: number;
}

/** One step of a run: an owner's command, a price move, and each strategy's wishes for that bar. */
interface Step {
  readonly command: { readonly op: 'pause' | 'resume'; readonly scope: string } | null;
  readonly move: number;
  readonly asks: Readonly<Record<string, readonly Ask[]>>;
}

/** A strategy that does what the step says, whatever the state: the RiskGate must hold it back. */
class Scripted extends Strategy {
  asks: readonly Ask[] = [];
  override onBar(bar: Bar, ctx: StrategyContext): void {
    for (const a of this.asks) {
      if (a.side === 'close') ctx.closePosition(bar.symbol);
      else if (a.side === 'buy') ctx.buy(bar.symbol, a.qty);
      else ctx.sell(bar.symbol, a.qty);
    }
  }
}

const limits = fc.record<BreakerLimits>({
  maxDrawdownPct: fc.constantFrom(null, 0.002, 0.01),
  maxDailyLossPct: fc.constantFrom(null, 0.001, 0.005),
  maxConsecutiveLosses: fc.constantFrom(null, 1, 2),
  maxTradesPerDay: fc.constantFrom(null, 1, 3, 6),
  action: fc.constantFrom(BreakerAction.BlockEntries, BreakerAction.Flatten, BreakerAction.HaltAll),
});
const ask = fc.record<Ask>({ side: fc.constantFrom('buy', 'sell', 'close'), qty: fc.integer({ min: 1, max: 30 }) });
const step = fc.record<Step>({
  command: fc.option(fc.record({ op: fc.constantFrom('pause' as const, 'resume' as const), scope: fc.constantFrom(ACCOUNT, ...IDS) }), { freq: 4 }),
  move: fc.double({ min: -0.01, max: 0.01, noNaN: true }),
  asks: fc.record(Object.fromEntries(IDS.map((id) => [id, fc.array(ask, { maxLength: 2 })]))),
});

/** The simulated broker, with every order that reaches it checked against the breakers at that instant. */
function guardedBroker(inner: SimBroker, breakers: () => CircuitBreakers, violations: string[]): Broker {
  return {
    submit(r: OrderRequest): void {
      const b = breakers();
      for (const scope of [ACCOUNT, r.strategyId]) {
        const breaker = b.get(scope)!;
        if (breaker.state !== 'PAUSED') continue;
        // Long-only: an exit is a sell. halt_all lets nothing through.
        if (breaker.limits.action === BreakerAction.HaltAll) violations.push(`${r.clientOrderId} ${r.side} sent while ${scope} is halted`);
        else if (r.side === 'buy') violations.push(`${r.clientOrderId} buy sent while ${scope} is paused by ${breaker.trip!.rule}`);
      }
      inner.submit(r);
    },
    cancel: (id) => inner.cancel(id),
    getAccount: () => inner.getAccount(),
    getPositions: () => inner.getPositions(),
    getOpenOrders: () => inner.getOpenOrders(),
    onOrderEvent: (l) => inner.onOrderEvent(l),
  };
}

function run(strategyLimits: readonly BreakerLimits[], accountLimits: BreakerLimits, steps: readonly Step[]): { violations: string[]; sent: number } {
  const start = Date.parse('2019-02-11T14:31:00Z');
  const clock = new SimClock(start);
  const venue = new MatchingEngine({ clock, startingCash: 100_000, slippage: noSlippage, commission: noCommission });
  const violations: string[] = [];
  let core: ReturnType<typeof buildTradingCore> | null = null;
  const broker = guardedBroker(new SimBroker(venue), () => core!.breakers!, violations);
  const strategies = new Map(IDS.map((id) => [id as string, new Scripted({})]));
  core = buildTradingCore({
    strategies: IDS.map((id) => ({ id, type: 'scripted', symbols: [...SYMBOLS], capital: 30_000, params: {} })),
    broker,
    clock,
    runId: 'p',
    maxPositionPct: 0.5,
    estimateCommission: () => 0,
    logger: pino({ level: 'silent' }),
    calendar: new StaticNyseCalendar(),
    breakers: { strategies: new Map(IDS.map((id, i) => [id as string, strategyLimits[i]!])), account: accountLimits },
    createStrategy: (spec) => strategies.get(spec.id)!,
  });
  let sent = 0;
  core.bus.on('order.submitted', () => sent++);
  core.execution.start();
  core.runner.start();
  const prices: Record<string, number> = { AAA: 100, BBB: 50 };
  // 78 five-minute bars a session; a step is one bar of each symbol.
  steps.forEach((s, i) => {
    const session = Math.floor(i / 78);
    const time = start + session * 86_400_000 + (i % 78) * 300_000;
    if (s.command !== null) {
      const b = core.breakers!.get(s.command.scope)!;
      if (s.command.op === 'pause') b.pause(time, 'test');
      else b.resume(time, 'test');
    }
    for (const id of IDS) strategies.get(id)!.asks = s.asks[id] ?? [];
    clock.advanceTo(time);
    for (const symbol of SYMBOLS) {
      const open = prices[symbol]!;
      const close = Math.round(open * (1 + s.move) * 100) / 100;
      prices[symbol] = close;
      const bar: Bar = { symbol, time, open, high: Math.max(open, close), low: Math.min(open, close), close, volume: 1000 };
      venue.onBar(bar);
      core.bus.emit('bar', bar);
    }
    core.portfolio.recordEquity(time);
    core.breakers!.onEquity(time);
  });
  return { violations, sent };
}

describe('circuit breakers and the RiskGate (property)', () => {
  it('no order reaches the broker while its strategy or the account is paused, except exits (none under halt_all)', () => {
    let orders = 0;
    fc.assert(
      fc.property(fc.array(limits, { minLength: 3, maxLength: 3 }), limits, fc.array(step, { minLength: 20, maxLength: 160 }), (strategyLimits, accountLimits, steps) => {
        const { violations, sent } = run(strategyLimits, accountLimits, steps);
        orders += sent;
        expect(violations).toEqual([]);
      }),
      { numRuns: 150, seed: 20190211 },
    );
    // The runs did send orders (the property is not vacuous).
    expect(orders).toBeGreaterThan(800);
  });
});
