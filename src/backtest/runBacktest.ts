import type { Logger } from 'pino';
import type { Bar } from '../core/Bar.js';
import { SimClock } from '../core/SimClock.js';
import { toIso } from '../core/toIso.js';
import { SimBroker } from '../broker/sim/SimBroker.js';
import { MatchingEngine } from '../broker/sim/MatchingEngine.js';
import type { CommissionModel } from '../broker/sim/CommissionModel.js';
import type { SlippageModel } from '../broker/sim/SlippageModel.js';
import { buildTradingCore } from '../engine/buildTradingCore.js';
import type { Strategy } from '../strategies/Strategy.js';
import type { StrategySpec } from '../engine/StrategySpec.js';
import { computeMetrics, type Metrics } from '../portfolio/metrics.js';
import { honestRatios } from '../portfolio/sampleRules.js';
import { judgeTargets } from '../portfolio/validationTargets.js';
import type { MarketCalendar } from '../risk/calendar/MarketCalendar.js';
import type { BreakerLimits } from '../risk/CircuitBreaker.js';
import { BarTape } from '../market-data/BarTape.js';
import type { Labelling } from '../market-data/barLabelling.js';
import { BookedFills } from './BookedFills.js';
import { monthlyReturns } from './monthlyReturns.js';
import type { EquityCurve } from '../portfolio/EquityCurve.js';
import type { EquityPoint } from '../portfolio/EquityPoint.js';
import type { BacktestBarTime, BacktestBreakerEvent, BacktestFill, BacktestResult, BacktestTrade, StrategyBacktest } from './BacktestResult.js';

export interface BacktestOptions {
  /** One strategy (the command-line form) or every enabled strategy of a config. */
  readonly strategies: readonly StrategySpec[];
  /**
   * Time-ordered bars of every symbol (ties in symbol order), each stamped at its end (the moment a
   * decision on it is taken): objects, or columns (made into objects one at a time as they replay).
   */
  readonly bars: readonly Bar[] | BarTape;
  /**
   * The input files' stamp of the bar ending at a time (a start-labelled file's bars end a bar
   * later than stamped; a daily bar at its session's close): every time in the report names bars as
   * the files stamp them. Default: the bar's time.
   */
  readonly stampOf?: (time: number, symbol?: string) => number;
  /** How each file's bars were labelled (reported as `barTime`). */
  readonly labelling?: readonly Labelling[];
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
  /**
   * Bars before `bars` that only warm the strategies' indicators up, as the daemon's warm-up does:
   * they mark the venue's prices, no order is decided on them, no equity is recorded.
   */
  readonly warmUp?: readonly Bar[];
  /** Also report the daily returns the metrics are computed from (`dailyReturns`; the optimizer's statistics). */
  readonly dailyReturns?: boolean;
  /** Also report each strategy's thinned equity curve (`strategies[].equity`; the command line's JSON and HTML report). */
  readonly strategyEquity?: boolean;
}


/**
 * Runs strategies over historical bars with the daemon's own runners, RiskGate, ExecutionService
 * and simulated venue, on simulated time, as fast as the CPU allows. Each bar goes to the venue
 * first (fills of earlier orders at its open are booked), then to the strategies; a market order
 * sent at a bar's close fills at the next bar's open; an order sent on the last bar stays open.
 */
export function runBacktest(o: BacktestOptions): BacktestResult {
  const started = o.stopwatch();
  const tape = o.bars instanceof BarTape ? o.bars : null;
  const list = o.bars instanceof BarTape ? null : o.bars;
  const count = tape !== null ? tape.length : list!.length;
  const timeAt = (i: number): number => (tape !== null ? tape.time[i]! : list![i]!.time);
  const symbolAt = (i: number): string => (tape !== null ? tape.bar(i).symbol : list![i]!.symbol);
  const stampOf = o.stampOf;
  // Times in the report: the files' stamps, ISO-8601 UTC. Fills come in time order, many at the same
  // moment (a fill names two: its signal's and its own): the last two instants' texts are reused.
  let lastMs = Number.NaN;
  let lastText = '';
  let prevMs = Number.NaN;
  let prevText = '';
  const text = (ms: number): string => {
    if (ms === lastMs) return lastText;
    if (ms === prevMs) return prevText;
    prevMs = lastMs;
    prevText = lastText;
    lastMs = ms;
    lastText = toIso(ms);
    return lastText;
  };
  const iso = stampOf === undefined ? text : (time: number, symbol?: string): string => text(stampOf(time, symbol));
  const clock = new SimClock(o.warmUp?.[0]?.time ?? (count === 0 ? 0 : timeAt(0)));
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
    // The simulated venue holds buying power for its working buys itself: every reading is current.
    accountBuyingPower: () => ({ buyingPower: venue.buyingPower() }),
    // The report has no reasons: a strategy's reason functions (prices written out) are never called.
    orderReasons: false,
    ...(o.createStrategy === undefined ? {} : { createStrategy: o.createStrategy }),
  });
  // During the run only numbers are kept; the report's objects and strings are built after it.
  const booked = new BookedFills();
  const runners = core.runner.runners;
  const strategyIndex = new Map(runners.map((r, i) => [r.id, i]));
  const rejections = new Map<string, number>();
  const reject = (id: string): void => void rejections.set(id, (rejections.get(id) ?? 0) + 1);
  core.bus.on('order.denied', (e) => reject(e.strategyId));
  core.bus.on('order.update', (e) => {
    if (e.event.kind === 'rejected') reject(e.strategyId);
  });
  core.bus.on('fill.booked', (e) => booked.record(strategyIndex.get(e.strategyId)!, e));
  const breakerEvents: BacktestBreakerEvent[] = [];
  core.bus.on('breaker.tripped', (e) => void breakerEvents.push({ kind: 'tripped', scope: e.scope, rule: e.rule, time: iso(e.time), text: `${e.message} (${e.action})` }));
  core.bus.on('breaker.resumed', (e) => void breakerEvents.push({ kind: 'resumed', scope: e.scope, rule: e.rule, time: iso(e.time), text: e.reason }));
  core.execution.start();
  core.runner.start();
  if (o.warmUp !== undefined && o.warmUp.length > 0) {
    for (const bar of o.warmUp) {
      clock.advanceTo(bar.time);
      broker.onBar(bar);
    }
    core.runner.warmUp(o.warmUp);
  }

  // The hot path: no logging per bar; columns become one bar object at a time.
  const bus = core.bus;
  const portfolio = core.portfolio;
  const breakers = core.breakers;
  if (list !== null) {
    for (let i = 0; i < list.length; i++) {
      const bar = list[i]!;
      clock.advanceTo(bar.time);
      broker.onBar(bar);
      bus.emit('bar', bar);
      // Equity once every symbol of this moment is marked, as the live engine does after a minute's batch.
      if (i + 1 === list.length || list[i + 1]!.time !== bar.time) {
        portfolio.recordEquity(bar.time);
        if (breakers !== null) breakers.onEquity(bar.time);
      }
    }
  } else {
    const t = tape!.time;
    const n = tape!.length;
    for (let i = 0; i < n; i++) {
      const bar = tape!.bar(i);
      clock.advanceTo(bar.time);
      broker.onBar(bar);
      bus.emit('bar', bar);
      if (i + 1 === n || t[i + 1] !== bar.time) {
        portfolio.recordEquity(bar.time);
        if (breakers !== null) breakers.onEquity(bar.time);
      }
    }
  }
  const elapsedMs = o.stopwatch() - started;

  const fills: BacktestFill[] = [];
  for (let i = 0; i < booked.length; i++) {
    const f = booked.at(i);
    fills.push({
      strategy: runners[f.strategy]!.id,
      symbol: f.symbol,
      // The strategy asked at the close of the bar the order was sent on: its submission time.
      signalTime: iso(f.submittedAt, f.symbol),
      fillTime: iso(f.time, f.symbol),
      side: f.side,
      qty: f.qty,
      price: f.price,
      commission: f.commission,
    });
  }
  // Field by field, in the ledger's order (a spread of every trade costs more than the run's fills).
  const trades: BacktestTrade[] = booked.trades().map(({ strategy, trade: t }) => ({
    symbol: t.symbol,
    direction: t.direction,
    qty: t.qty,
    entryTime: iso(t.entryTime, t.symbol),
    exitTime: iso(t.exitTime, t.symbol),
    entryPrice: t.entryPrice,
    exitPrice: t.exitPrice,
    grossPnl: t.grossPnl,
    commission: t.commission,
    netPnl: t.netPnl,
    strategy: runners[strategy]!.id,
  }));
  const capital = runners.reduce((a, r) => a + r.capital, 0);
  const allFills = fills.length;
  const single = o.strategies.length === 1 ? o.strategies[0]! : null;
  const allTrades = runners.flatMap((r) => r.ledger.closedTrades);
  const samples = (curve: EquityCurve): BacktestResult['equity'] => curve.samples().map((p) => ({ time: iso(p.time), equity: p.equity }));
  const totalMetrics = stamped(computeMetrics(portfolio.curve(), allTrades, { fills: allFills, ...riskFree(o) }), stampOf);
  return {
    strategy: single?.type ?? 'portfolio',
    params: single?.params ?? null,
    startingCash: o.startingCash,
    finalValue: portfolio.equity() + (o.startingCash - capital),
    bars: count,
    from: count === 0 ? null : iso(timeAt(0), symbolAt(0)),
    to: count === 0 ? null : iso(timeAt(count - 1), symbolAt(count - 1)),
    elapsedMs,
    barsPerSecond: elapsedMs > 0 ? Math.round((count / elapsedMs) * 1000) : 0,
    costs: { slippage: o.slippage.describe(), commission: o.commission.describe() },
    fills,
    trades,
    rejections: [...rejections.values()].reduce((a, b) => a + b, 0),
    metrics: totalMetrics,
    ratios: honestRatios(totalMetrics),
    strategies: runners.map((r, i) => strategyResult({
      id: r.id,
      type: r.type,
      params: o.strategies.find((s) => s.id === r.id)?.params ?? null,
      symbols: r.symbols,
      capital: r.capital,
      finalValue: r.ledger.equity(),
      fills: booked.countOf(i),
      rejections: rejections.get(r.id) ?? 0,
      denials: r.denials,
      // One strategy's curve and trades are the total's: computed once.
      metrics: runners.length === 1 ? totalMetrics : stamped(computeMetrics(portfolio.curve(r.id), r.ledger.closedTrades, { fills: booked.countOf(i), ...riskFree(o) }), stampOf),
      ...(o.strategyEquity === true ? { equity: samples(portfolio.curve(r.id)) } : {}),
    }, breakerEvents)),
    breakerEvents,
    equity: samples(portfolio.curve()),
    monthly: monthlyReturns(dailyCloses(portfolio.curve()), capital),
    ...(o.labelling === undefined ? {} : { barTime: o.labelling.map(barTimeOf) }),
    ...(o.dailyReturns === true ? { dailyReturns: portfolio.curve().summary().returns } : {}),
  };
}

/** A strategy's figures with the ratios that may be shown and its targets' verdict (its own breaker's trips count against it). */
function strategyResult(s: Omit<StrategyBacktest, 'ratios' | 'targets'>, events: readonly BacktestBreakerEvent[]): StrategyBacktest {
  const trips = events.filter((e) => e.kind === 'tripped' && e.scope === s.id);
  return { ...s, ratios: honestRatios(s.metrics), targets: judgeTargets(s.metrics, trips) };
}

/** The last point of every New York day of a curve, the last day's included. */
function dailyCloses(curve: EquityCurve): EquityPoint[] {
  const h = curve.history();
  const last = h.today.at(-1);
  return last === undefined ? h.dailyCloses : [...h.dailyCloses, last];
}

/** The drawdown's times as the files stamp them. */
function stamped(m: Metrics, stampOf: BacktestOptions['stampOf']): Metrics {
  if (stampOf === undefined) return m;
  const d = m.maxDrawdown;
  const at = (t: number | null): number | null => (t === null ? null : stampOf(t));
  return { ...m, maxDrawdown: { ...d, peakTime: at(d.peakTime), troughTime: at(d.troughTime), recoveryTime: at(d.recoveryTime) } };
}

function barTimeOf(l: Labelling): BacktestBarTime {
  return { symbol: l.symbol, file: l.file, stamps: l.stamps, barSeconds: l.stamps === 'session' ? null : l.barMs / 1000, reason: l.reason };
}

const riskFree = (o: BacktestOptions): { riskFreeRate?: number } => (o.riskFreeRate === undefined ? {} : { riskFreeRate: o.riskFreeRate });
