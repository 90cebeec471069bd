import { pino } from 'pino';
import { noCommission } from '../../src/broker/sim/CommissionModel.js';
import { MatchingEngine } from '../../src/broker/sim/MatchingEngine.js';
import { noSlippage } from '../../src/broker/sim/SlippageModel.js';
import { SimBroker } from '../../src/broker/sim/SimBroker.js';
import type { Bar } from '../../src/core/Bar.js';
import { SimClock } from '../../src/core/SimClock.js';
import { buildTradingCore, type TradingCore } from '../../src/engine/buildTradingCore.js';
import { captureEngineState, restoreEngineState } from '../../src/engine/engineState.js';
import { engineStateSchema, type EngineState } from '../../src/persistence/engineStateSchema.js';
import { BreakerAction, type BreakerLimits } from '../../src/risk/CircuitBreaker.js';
import { Strategy } from '../../src/strategies/Strategy.js';
import type { OrderRejection, StrategyContext, StrategyFill } from '../../src/strategies/StrategyContext.js';

export const T0 = Date.parse('2019-02-11T15:00:00Z');
export const OFF: BreakerLimits = { maxDrawdownPct: null, maxDailyLossPct: null, maxConsecutiveLosses: null, maxTradesPerDay: null, action: BreakerAction.BlockEntries };

/** What a scripted strategy does on bar `i` (its own count of bars). */
export type Script = (i: number, bar: Bar, ctx: StrategyContext) => void;

/** A strategy that does what its script says, and remembers what it was told. */
export class Scripted extends Strategy {
  i = 0;
  readonly fills: StrategyFill[] = [];
  readonly rejections: OrderRejection[] = [];
  constructor(readonly script: Script) {
    super({});
  }
  override onBar(bar: Bar, ctx: StrategyContext): void {
    this.script(this.i++, bar, ctx);
  }
  override onFill(f: StrategyFill): void {
    this.fills.push(f);
  }
  override onOrderRejected(r: OrderRejection): void {
    this.rejections.push(r);
  }
}

export interface CoreRun {
  readonly core: TradingCore;
  readonly venue: MatchingEngine;
  readonly clock: SimClock;
  readonly strategies: Map<string, Scripted>;
  /** What reached the venue, `cid side qty`, in order. */
  readonly sent: string[];
  /** Every order event the strategies' books heard: `kind cid [qty@price]`. */
  readonly events: string[];
  /** One bar per symbol at `T0 + minute`: the venue fills first, then the strategies see it; then equity and breakers. */
  bar(minute: number, prices: Readonly<Record<string, readonly [number, number, number, number] | number>>): void;
  /** The state a restart would restore, through JSON and the state schema. */
  state(): EngineState;
}

/** The real trading core on the simulated venue, one scripted strategy per id (all on the same symbols). */
export function coreRun(o: {
  strategies: Record<string, Script>;
  symbols?: readonly string[];
  capital?: number;
  /** A strategy's own capital, over `capital`. */
  capitals?: Readonly<Record<string, number>>;
  breakers?: Partial<BreakerLimits>;
  account?: Partial<BreakerLimits>;
  cash?: number;
  /** Most shares of an order that trade on one bar (partial fills); default all. */
  liquidity?: number;
  restoreFrom?: EngineState;
}): CoreRun {
  const clock = new SimClock(T0);
  const venue = new MatchingEngine({ clock, startingCash: o.cash ?? 100_000, slippage: noSlippage, commission: noCommission, ...(o.liquidity === undefined ? {} : { liquidity: () => o.liquidity! }) });
  const sim = new SimBroker(venue);
  const sent: string[] = [];
  const inner = sim.submit.bind(sim);
  sim.submit = (r) => {
    sent.push(`${r.clientOrderId} ${r.side} ${r.qty}`);
    inner(r);
  };
  const strategies = new Map(Object.entries(o.strategies).map(([id, s]) => [id, new Scripted(s)]));
  const symbols = o.symbols ?? ['AAPL'];
  const core = buildTradingCore({
    strategies: [...strategies.keys()].map((id) => ({ id, type: 'scripted', symbols, capital: o.capitals?.[id] ?? o.capital ?? 20_000, params: {} })),
    broker: sim,
    clock,
    runId: 'r',
    maxPositionPct: 1,
    estimateCommission: () => 0,
    logger: pino({ level: 'silent' }),
    breakers: { strategies: new Map([...strategies.keys()].map((id) => [id, { ...OFF, ...o.breakers }])), account: { ...OFF, ...o.account } },
    createStrategy: (spec) => strategies.get(spec.id)!,
  });
  const events: string[] = [];
  core.bus.on('order.update', ({ event: e }) => events.push(`${e.kind} ${e.order.clientOrderId}${e.kind === 'fill' || e.kind === 'partial_fill' ? ` ${e.fill.qty}@${e.fill.price}` : ''}`));
  if (o.restoreFrom !== undefined) {
    clock.advanceTo(o.restoreFrom.lastBarTime ?? T0);
    restoreEngineState(core, venue, o.restoreFrom);
  }
  core.execution.start();
  core.runner.start();
  return {
    core,
    venue,
    clock,
    strategies,
    sent,
    events,
    bar(minute, prices) {
      const time = T0 + minute * 60_000;
      clock.advanceTo(time);
      for (const [symbol, p] of Object.entries(prices)) {
        const [open, high, low, close] = typeof p === 'number' ? [p, p, p, p] : p;
        const b: Bar = { symbol, time, open, high, low, close, volume: 1000 };
        sim.onBar(b);
        core.bus.emit('bar', b);
      }
      core.portfolio.recordEquity(time);
      core.breakers?.onEquity(time);
    },
    state() {
      const s = captureEngineState(core, venue, { lastBarTime: clock.now(), lastBarTimes: new Map(), fills: new Map(), broker: null, unallocatedCash: 0, capitalFlows: [], lastClose: null });
      return engineStateSchema.parse(JSON.parse(JSON.stringify(s)));
    },
  };
}
