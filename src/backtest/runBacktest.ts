import type { Logger } from 'pino';
import type { Bar } from '../core/Bar.js';
import type { DaemonEvents } from '../core/DaemonEvents.js';
import { SimClock } from '../core/SimClock.js';
import { toIso } from '../core/toIso.js';
import { SimBroker } from '../broker/sim/SimBroker.js';
import { MatchingEngine } from '../broker/sim/MatchingEngine.js';
import type { CommissionModel } from '../broker/sim/CommissionModel.js';
import type { SlippageModel } from '../broker/sim/SlippageModel.js';
import { buildTradingCore } from '../engine/buildTradingCore.js';
import type { Strategy } from '../strategies/Strategy.js';
import type { StrategySpec } from '../engine/StrategySpec.js';
import { computeMetrics } from '../portfolio/metrics.js';
import type { MarketCalendar } from '../risk/calendar/MarketCalendar.js';
import type { BreakerLimits } from '../risk/CircuitBreaker.js';
import type { BacktestBreakerEvent, BacktestFill, BacktestResult, BacktestTrade } from './BacktestResult.js';

export interface BacktestOptions {
  /** One strategy (the command-line form) or every enabled strategy of a config. */
  readonly strategies: readonly StrategySpec[];
  /** Time-ordered bars of every symbol (ties in symbol order). */
  readonly bars: readonly Bar[];
  /** The account; the strategies' capital must fit in it. */
  readonly startingCash: number;
  readonly slippage: SlippageModel;
  readonly commission: CommissionModel;
  readonly maxPositionPct: number;
  readonly riskFreeRate?: number;
  /** Regular sessions: orders are decided inside them only (the daemon's market-hours rule). */
  readonly calendar?: MarketCalendar;
  /** Circuit breakers as the daemon runs them; none when omitted. */
  readonly breakers?: { readonly strategies: ReadonlyMap<string, BreakerLimits>; readonly account: BreakerLimits };
  readonly logger: Logger;
  /** Reads a monotonic time in ms, for the speed figures only (never for trading decisions). */
  readonly stopwatch: () => number;
  /** Makes each strategy; default: the built-in type its spec names (your own strategy in a test). */
  readonly createStrategy?: (spec: StrategySpec) => Strategy;
}

const iso = toIso;

/**
 * Runs strategies over historical bars with the daemon's own runners, RiskGate, ExecutionService
 * and simulated venue, on simulated time, as fast as the CPU allows. Each bar goes to the venue
 * first (fills of earlier orders at its open are booked), then to the strategies; a market order
 * sent at a bar's close fills at the next bar's open; an order sent on the last bar stays open.
 */
export function runBacktest(o: BacktestOptions): BacktestResult {
  const started = o.stopwatch();
  const clock = new SimClock(o.bars[0]?.time ?? 0);
  const venue = new MatchingEngine({ clock, startingCash: o.startingCash, slippage: o.slippage, commission: o.commission, finishedOrdersKept: 0 });
  const broker = new SimBroker(venue);
  const core = buildTradingCore({
    strategies: o.strategies,
    broker,
    clock,
    runId: 'bt',
    maxPositionPct: o.maxPositionPct,
    estimateCommission: (q, p) => o.commission.commission(q, p),
    logger: o.logger,
    ...(o.calendar === undefined ? {} : { calendar: o.calendar }),
    ...(o.breakers === undefined ? {} : { breakers: o.breakers }),
    accountBuyingPower: () => venue.buyingPower(),
    ...(o.createStrategy === undefined ? {} : { createStrategy: o.createStrategy }),
  });
  // During the run only references are kept; the report's objects and strings are built after it.
  const booked: Array<DaemonEvents['fill.booked']> = [];
  const rejections = new Map<string, number>();
  const reject = (id: string): void => void rejections.set(id, (rejections.get(id) ?? 0) + 1);
  core.bus.on('order.denied', (e) => reject(e.strategyId));
  core.bus.on('order.update', (e) => {
    if (e.event.kind === 'rejected') reject(e.strategyId);
  });
  core.bus.on('fill.booked', (e) => void booked.push(e));
  const breakerEvents: BacktestBreakerEvent[] = [];
  core.bus.on('breaker.tripped', (e) => void breakerEvents.push({ kind: 'tripped', scope: e.scope, rule: e.rule, time: iso(e.time), text: `${e.message} (${e.action})` }));
  core.bus.on('breaker.resumed', (e) => void breakerEvents.push({ kind: 'resumed', scope: e.scope, rule: e.rule, time: iso(e.time), text: e.reason }));
  core.execution.start();
  core.runner.start();

  // The hot path: no allocation, no logging per bar.
  const bars = o.bars;
  const bus = core.bus;
  const portfolio = core.portfolio;
  const breakers = core.breakers;
  for (let i = 0; i < bars.length; i++) {
    const bar = bars[i]!;
    clock.advanceTo(bar.time);
    broker.onBar(bar);
    bus.emit('bar', bar);
    // Equity once every symbol of this moment is marked, as the live engine does after a minute's batch.
    if (i + 1 === bars.length || bars[i + 1]!.time !== bar.time) {
      portfolio.recordEquity(bar.time);
      if (breakers !== null) breakers.onEquity(bar.time);
    }
  }
  const elapsedMs = o.stopwatch() - started;

  const fills: BacktestFill[] = [];
  const trades: BacktestTrade[] = [];
  const fillCount = new Map<string, number>();
  for (const e of booked) {
    const f = e.fill;
    fillCount.set(e.strategyId, (fillCount.get(e.strategyId) ?? 0) + 1);
    fills.push({
      strategy: e.strategyId,
      symbol: f.symbol,
      // The strategy asked at the close of the bar the order was sent on: its submission time.
      signalTime: iso(e.order.submittedAt),
      fillTime: iso(f.time),
      side: f.side,
      qty: f.qty,
      price: f.price,
      commission: f.commission,
    });
    const t = e.closedTrade;
    if (t !== null) trades.push({ ...t, strategy: e.strategyId, entryTime: iso(t.entryTime), exitTime: iso(t.exitTime) });
  }
  const runners = core.runner.runners;
  const capital = runners.reduce((a, r) => a + r.capital, 0);
  const allFills = fills.length;
  const single = o.strategies.length === 1 ? o.strategies[0]! : null;
  const allTrades = runners.flatMap((r) => r.ledger.closedTrades);
  const totalMetrics = computeMetrics(portfolio.curve(), allTrades, { fills: allFills, ...riskFree(o) });
  return {
    strategy: single?.type ?? 'portfolio',
    params: single?.params ?? null,
    startingCash: o.startingCash,
    finalValue: portfolio.equity() + (o.startingCash - capital),
    bars: bars.length,
    from: bars.length === 0 ? null : iso(bars[0]!.time),
    to: bars.length === 0 ? null : iso(bars[bars.length - 1]!.time),
    elapsedMs,
    barsPerSecond: elapsedMs > 0 ? Math.round((bars.length / elapsedMs) * 1000) : 0,
    costs: { slippage: o.slippage.describe(), commission: o.commission.describe() },
    fills,
    trades,
    rejections: [...rejections.values()].reduce((a, b) => a + b, 0),
    metrics: totalMetrics,
    strategies: runners.map((r) => ({
      id: r.id,
      type: r.type,
      params: o.strategies.find((s) => s.id === r.id)?.params ?? null,
      symbols: r.symbols,
      capital: r.capital,
      finalValue: r.ledger.equity(),
      fills: fillCount.get(r.id) ?? 0,
      rejections: rejections.get(r.id) ?? 0,
      denials: r.denials,
      // One strategy's curve and trades are the total's: computed once.
      metrics: runners.length === 1 ? totalMetrics : computeMetrics(portfolio.curve(r.id), r.ledger.closedTrades, { fills: fillCount.get(r.id) ?? 0, ...riskFree(o) }),
    })),
    breakerEvents,
    equity: portfolio.curve().samples().map((p) => ({ time: iso(p.time), equity: p.equity })),
  };
}

const riskFree = (o: BacktestOptions): { riskFreeRate?: number } => (o.riskFreeRate === undefined ? {} : { riskFreeRate: o.riskFreeRate });
