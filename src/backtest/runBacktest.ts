import type { Logger } from 'pino';
import type { Bar } from '../core/Bar.js';
import { SimClock } from '../core/SimClock.js';
import { SimBroker } from '../broker/sim/SimBroker.js';
import { MatchingEngine } from '../broker/sim/MatchingEngine.js';
import type { CommissionModel } from '../broker/sim/CommissionModel.js';
import type { SlippageModel } from '../broker/sim/SlippageModel.js';
import { buildTradingCore } from '../engine/buildTradingCore.js';
import type { StrategySpec } from '../engine/StrategySpec.js';
import { basicMetrics } from '../portfolio/basicMetrics.js';
import type { BacktestFill, BacktestResult, BacktestTrade } from './BacktestResult.js';

export interface BacktestOptions {
  readonly strategy: StrategySpec;
  /** Time-ordered bars of every symbol (ties in symbol order). */
  readonly bars: readonly Bar[];
  readonly startingCash: number;
  readonly slippage: SlippageModel;
  readonly commission: CommissionModel;
  readonly maxPositionPct: number;
  readonly logger: Logger;
  /** Reads a monotonic time in ms, for the speed figures only (never for trading decisions). */
  readonly stopwatch: () => number;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * Runs one strategy over historical bars with the daemon's own runner, RiskGate, ExecutionService
 * and the simulated venue, on simulated time, as fast as the CPU allows. A market order sent at a
 * bar's close fills at the next bar's open; an order sent on the last bar stays open.
 */
export function runBacktest(o: BacktestOptions): BacktestResult {
  const started = o.stopwatch();
  const clock = new SimClock(o.bars[0]?.time ?? 0);
  const venue = new MatchingEngine({ clock, startingCash: o.startingCash, slippage: o.slippage, commission: o.commission });
  const broker = new SimBroker(venue);
  const core = buildTradingCore({
    strategies: [o.strategy],
    broker,
    clock,
    runId: 'bt',
    maxPositionPct: o.maxPositionPct,
    estimateCommission: (q, p) => o.commission.commission(q, p),
    logger: o.logger,
  });
  const signalTimes = new Map<string, number>();
  const fills: BacktestFill[] = [];
  const trades: BacktestTrade[] = [];
  let rejections = 0;
  core.bus.on('order.submitted', (e) => signalTimes.set(e.request.clientOrderId, e.time));
  core.bus.on('order.denied', () => rejections++);
  core.bus.on('order.update', (e) => {
    if (e.event.kind === 'rejected') rejections++;
  });
  core.bus.on('fill.booked', (e) => {
    const f = e.fill;
    fills.push({
      strategy: e.strategyId,
      symbol: f.symbol,
      signalTime: iso(signalTimes.get(f.clientOrderId) ?? f.time),
      fillTime: iso(f.time),
      side: f.side,
      qty: f.qty,
      price: f.price,
      commission: f.commission,
    });
    const t = e.closedTrade;
    if (t !== null) trades.push({ ...t, strategy: e.strategyId, entryTime: iso(t.entryTime), exitTime: iso(t.exitTime) });
  });
  core.execution.start();
  core.runner.start();

  const bars = o.bars;
  for (let i = 0; i < bars.length; i++) {
    const bar = bars[i]!;
    clock.advanceTo(bar.time);
    // The venue fills on the bar first and its events are booked before the strategies see the bar.
    broker.onBar(bar);
    core.bus.emit('bar', bar);
    const next = bars[i + 1];
    if (next === undefined || next.time !== bar.time) core.portfolio.recordEquity(bar.time);
  }

  const runner = core.runner.runners[0]!;
  const finalValue = runner.ledger.equity();
  const elapsedMs = o.stopwatch() - started;
  return {
    strategy: o.strategy.type,
    params: o.strategy.params,
    startingCash: o.startingCash,
    finalValue,
    bars: bars.length,
    elapsedMs,
    barsPerSecond: elapsedMs > 0 ? Math.round((bars.length / elapsedMs) * 1000) : bars.length * 1000,
    costs: { slippage: o.slippage.describe(), commission: o.commission.describe() },
    fills,
    trades,
    rejections,
    metrics: basicMetrics(core.portfolio.curve(), runner.ledger.closedTrades, fills.length, o.startingCash),
  };
}
