import type { Logger } from 'pino';
import type { Broker } from '../broker/Broker.js';
import type { Clock } from '../core/Clock.js';
import type { DaemonEvents } from '../core/DaemonEvents.js';
import { EventBus } from '../core/EventBus.js';
import { ExecutionService } from '../execution/ExecutionService.js';
import { Portfolio } from '../portfolio/Portfolio.js';
import type { MarketCalendar } from '../risk/calendar/MarketCalendar.js';
import type { BreakerLimits } from '../risk/CircuitBreaker.js';
import { ACCOUNT, CircuitBreakers } from '../risk/CircuitBreakers.js';
import { RiskGate } from '../risk/RiskGate.js';
import { orderValidator } from '../risk/OrderValidator.js';
import type { BuyingPowerReading } from '../risk/rules/accountBuyingPower.js';
import { MultiStrategyRunner } from '../runner/MultiStrategyRunner.js';
import { StrategyRunner } from '../runner/StrategyRunner.js';
import { builtInStrategies } from '../strategies/builtInStrategies.js';
import type { Strategy } from '../strategies/Strategy.js';
import type { OrderRequest } from '../core/Order.js';
import type { StrategySpec } from './StrategySpec.js';

/** Everything between the market data and the broker, identical in backtests and in the daemon. */
export interface TradingCore {
  readonly bus: EventBus<DaemonEvents>;
  readonly execution: ExecutionService;
  readonly riskGate: RiskGate;
  readonly runner: MultiStrategyRunner;
  readonly portfolio: Portfolio;
  /** Null when the run has no circuit breakers (a single-strategy backtest from the command line). */
  readonly breakers: CircuitBreakers | null;
  /** Cancels every order of a strategy and closes its positions (see StrategyRunner.flatten); the number of orders canceled. */
  flatten(strategyId: string, reason: string): number;
}

export interface TradingCoreOptions {
  readonly strategies: readonly StrategySpec[];
  readonly broker: Broker;
  readonly clock: Clock;
  readonly runId: string;
  /** Earlier runs of this state directory: their orders are the daemon's (see RunRegistry). */
  readonly runs?: readonly string[];
  readonly maxPositionPct: number;
  /** Largest buy as a fraction of capital at the symbol's highest recent price (`risk.max_order_pct`); omitted: not checked. */
  readonly maxOrderPct?: number;
  readonly estimateCommission: (qty: number, price: number) => number;
  readonly logger: Logger;
  /** Regular sessions: orders are decided inside them only. Omitted: no market-hours rule (unit tests). */
  readonly calendar?: MarketCalendar;
  /** Circuit breakers per strategy (by id) and for the account. */
  readonly breakers?: { readonly strategies: ReadonlyMap<string, BreakerLimits>; readonly account: BreakerLimits };
  /** The account's buying power as last read from the broker (a new object at each reading), null while unknown. */
  readonly accountBuyingPower?: () => BuyingPowerReading | null;
  /** Why the broker cannot take entries now, null when it can (alpaca mode: the trade stream, reconciliation). */
  readonly venueNotReady?: () => string | null;
  /** Makes each strategy (StrategyCatalog.create: built-ins and the user's modules); default: the built-in type named by the spec. */
  readonly createStrategy?: (spec: StrategySpec) => Strategy;
  /** Whether orders carry their reasons (StrategyRunnerDeps.orderReasons); default yes. */
  readonly orderReasons?: boolean;
}

/**
 * Builds the bus, the runners (one per strategy, each with its ledger), the RiskGate and the
 * ExecutionService. In simulation the caller hands each bar to the venue first and then emits it on
 * the bus, so fills are booked before strategies see the bar and an order sent at its close fills later.
 */
export function buildTradingCore(o: TradingCoreOptions): TradingCore {
  const busLog = o.logger.child({ component: 'bus' });
  const bus = new EventBus<DaemonEvents>((error, type) => busLog.error({ err: error, event: String(type) }, 'event handler failed'));
  const breakers = o.breakers === undefined ? null : new CircuitBreakers({ ...o.breakers, bus });
  // The runners are made below; the ExecutionService asks them what a strategy holds when a held sell goes out.
  const byId = new Map<string, StrategyRunner>();
  const execution = new ExecutionService({
    // A held exit goes out only while its breakers let exits through (not under halt_all).
    ...(breakers === null ? {} : { mayRelease: (r: OrderRequest) => breakers.check(r.strategyId, o.clock.now(), false) === null }),
    position: (strategyId, symbol) => byId.get(strategyId)?.ledger.positionQty(symbol) ?? 0,
    broker: o.broker,
    bus,
    clock: o.clock,
    runId: o.runId,
    ...(o.runs === undefined ? {} : { runs: o.runs }),
    strategyIds: o.strategies.map((s) => s.id),
    logger: o.logger.child({ component: 'execution' }),
  });

  const rules = orderValidator({
    maxPositionPct: o.maxPositionPct,
    ...(o.maxOrderPct === undefined ? {} : { maxOrderPct: o.maxOrderPct }),
    estimateCommission: o.estimateCommission,
    breakers,
    opposite: (symbol, side) => execution.opposite(symbol, side),
    ...(o.calendar === undefined ? {} : { calendar: o.calendar }),
    ...(o.accountBuyingPower === undefined ? {} : { accountBuyingPower: o.accountBuyingPower }),
    ...(o.venueNotReady === undefined ? {} : { venueNotReady: o.venueNotReady }),
  });
  const riskGate = new RiskGate(rules, execution, breakers === null ? undefined : (strategyId, time) => breakers.onOrderSent(strategyId, time));
  const create =
    o.createStrategy ??
    ((spec: StrategySpec): Strategy => {
      const factory = builtInStrategies[spec.type];
      if (factory === undefined) throw new RangeError(`unknown strategy type ${spec.type}`);
      return factory.create(spec.params, spec.symbols);
    });
  const runners = o.strategies.map((spec) => {
    return new StrategyRunner({
      id: spec.id,
      type: spec.type,
      strategy: create(spec),
      symbols: spec.symbols,
      capital: spec.capital,
      riskGate,
      bus,
      clock: o.clock,
      logger: o.logger.child({ component: 'strategy', strategy: spec.id }),
      estimateCommission: o.estimateCommission,
      ...(o.calendar === undefined ? {} : { calendar: o.calendar }),
      ...(o.orderReasons === undefined ? {} : { orderReasons: o.orderReasons }),
    });
  });
  for (const r of runners) byId.set(r.id, r);
  const runner = new MultiStrategyRunner(runners, bus);
  const portfolio = new Portfolio(new Map(runners.map((r) => [r.id, r.ledger])));
  if (breakers !== null) {
    breakers.watch(
      runners.map((r) => ({ id: r.id, equity: () => r.ledger.equity() })),
      () => portfolio.equity(),
    );
    bus.on('breaker.resumed', () => execution.releaseHeld());
    // A trip cancels the scope's resting entries (a paused strategy must not grow), except the day's
    // order limit: the orders it let through were allowed. `flatten` also cancels every other order
    // of the scope and closes its positions (exits pass a paused breaker).
    bus.on('breaker.tripped', (e) => {
      const flatten = e.action === 'flatten' && e.rule !== 'manual';
      if (!flatten && e.rule === 'max_trades_per_day') return;
      for (const r of runners) {
        if (e.scope !== ACCOUNT && e.scope !== r.id) continue;
        const why = `circuit breaker ${e.scope}: ${e.rule}`;
        const canceled = flatten ? execution.cancelAll(r.id) : execution.cancelEntries(r.id);
        if (canceled > 0) busLog.info({ strategy: r.id, orders: canceled }, `${why}: ${canceled} open ${flatten ? 'order(s)' : 'entry order(s)'} of ${r.id} canceled`);
        if (flatten) r.flatten(why);
      }
    });
  }
  const flatten = (strategyId: string, reason: string): number => {
    const r = byId.get(strategyId);
    if (r === undefined) return 0;
    const canceled = execution.cancelAll(strategyId);
    r.flatten(reason);
    return canceled;
  };
  return { bus, execution, riskGate, runner, portfolio, breakers, flatten };
}
