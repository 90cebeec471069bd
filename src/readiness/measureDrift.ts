import type { StrategySpec } from '../engine/StrategySpec.js';
import type { Strategy } from '../strategies/Strategy.js';
import type { Logger } from 'pino';
import { costModels, type CostSettings } from '../broker/sim/costModels.js';
import { runBacktest } from '../backtest/runBacktest.js';
import type { Bar } from '../core/Bar.js';
import { nyDateOf } from '../market-data/zonedTime.js';
import type { Timeframe } from '../market-data/Timeframe.js';
import { Ledger } from '../portfolio/Ledger.js';
import type { MarketCalendar } from '../risk/calendar/MarketCalendar.js';
import type { BreakerLimits } from '../risk/CircuitBreaker.js';
import type { DriftBarSource } from './driftBars.js';
import { compareFills, legsOf, type FillDrift, type FillLeg } from './fillDrift.js';
import type { PaperClock } from './paperClock.js';
import type { PaperDay, StrategyPaperRecord } from './PaperRecord.js';

const DAY = 86_400_000;

/** What the backtest side of the comparison runs with. */
export interface DriftSettings {
  /** The backtests' cost model (the configuration's `sim` costs): what the comparison calibrates. */
  readonly costs: CostSettings;
  readonly timeframe: Timeframe;
  /** Calendar days of bars before the period that warm the indicators up (`data.history_days`, as the daemon does). */
  readonly historyDays: number;
  /** `risk.max_position_pct` when the run did not record its own. */
  readonly maxPositionPct: number;
  readonly calendar: MarketCalendar;
  readonly logger: Logger;
  /** Builds the strategy the run traded (StrategyCatalog.create: your own modules too); default: the built-in type. */
  readonly createStrategy?: (spec: StrategySpec) => Strategy;
}

export type DriftOutcome =
  | {
      readonly measured: true;
      readonly drift: FillDrift;
      /** New York dates compared. */
      readonly from: string;
      readonly to: string;
      readonly source: string;
      /** The backtest's cost model in words. */
      readonly costs: string;
      /** Days of the period some symbol has no bar on (they cannot be compared). */
      readonly uncovered: readonly string[];
    }
  | { readonly measured: false; readonly reason: string };

/** Breakers the comparison cannot reproduce (the account's, shared by every strategy) are left off. */
const OFF: BreakerLimits = { maxDrawdownPct: null, maxDailyLossPct: null, maxConsecutiveLosses: null, maxTradesPerDay: null, action: 'block_entries' };

/**
 * Paper trading's blind spots, measured: the strategy as the newest run recorded it (type, params,
 * symbols, capital, breakers) is backtested with the same code over the same bars as its paper
 * period (warmed up on the `history_days` before it, as the daemon warms up), and its fills are
 * compared with the paper record's (see compareFills). The paper side counts round trips entered
 * in the period; the backtest starts flat at the period's start.
 */
export async function measureDrift(
  o: { readonly record: StrategyPaperRecord; readonly clock: PaperClock; readonly days: readonly PaperDay[]; readonly marketTime: number | null; readonly bars: DriftBarSource },
  s: DriftSettings,
): Promise<DriftOutcome> {
  const run = o.clock.current;
  if (run === null || o.clock.run === null) return { measured: false, reason: 'no run recorded what the strategy trades (its fingerprint)' };
  if (o.days.length === 0 || o.marketTime === null) return { measured: false, reason: 'no paper trading day to compare' };
  const loaded = await o.bars(run.symbols);
  if (loaded.bars.length === 0) return { measured: false, reason: `no bars: ${loaded.problems.join('; ') || loaded.source}` };
  const firstDate = o.days[0]!.date;
  const lastTime = o.marketTime;
  // The period's first bar: after the state the clock's run restored, or the first of its first day.
  const after = o.clock.after;
  const traded = (b: Bar): boolean => (after === null ? nyDateOf(b.time) >= firstDate : b.time > after) && b.time <= lastTime;
  const start = loaded.bars.find(traded)?.time;
  if (start === undefined) return { measured: false, reason: `no bars of ${run.symbols.join(', ')} from ${firstDate} (${loaded.source})` };
  const warmFrom = start - s.historyDays * DAY;
  const warmUp = loaded.bars.filter((b) => b.time < start && b.time >= warmFrom);
  const bars = loaded.bars.filter(traded);

  const id = o.record.id;
  const costs = costModels(s.costs);
  const result = runBacktest({
    strategies: [{ id, type: run.type, params: run.params, symbols: run.symbols, capital: run.capital }],
    bars,
    warmUp,
    startingCash: run.capital,
    ...costs,
    maxPositionPct: o.clock.latest?.risk?.maxPositionPct ?? s.maxPositionPct,
    calendar: s.calendar,
    ...(run.breakers === undefined ? {} : { breakers: { strategies: new Map([[id, run.breakers]]), account: OFF } }),
    logger: s.logger,
    stopwatch: () => 0,
    ...(s.createStrategy === undefined ? {} : { createStrategy: s.createStrategy }),
  });
  // The backtest's fills booked into a ledger of the same code give its round trips, as the paper ledger keeps them.
  const ledger = new Ledger(run.capital);
  result.fills.forEach((f, i) => {
    ledger.applyFill({ executionId: `bt-${i}`, orderId: `bt-${i}`, clientOrderId: `bt-${i}`, symbol: f.symbol, side: f.side, qty: f.qty, price: f.price, commission: f.commission, time: Date.parse(f.fillTime) });
  });
  const open = ledger.toData().lots.filter((l) => l.qty !== 0).map((l) => ({ symbol: l.symbol, direction: l.direction, qty: l.qty, entryTime: l.entryTime, entryPrice: l.entryQty > 0 ? l.entryValue / l.entryQty : l.avgPrice }));
  const backtestLegs: FillLeg[] = legsOf(ledger.closedTrades, open, null);
  const paperLegs = legsOf(o.record.trades, o.record.openLots, after).filter((l) => l.time <= lastTime);
  // A live fill comes after the bar that decided it; the backtest's at the next bar: a bar and a minute apart at most.
  const drift = compareFills(paperLegs, backtestLegs, s.timeframe.ms + 60_000);

  const covered = new Map<string, Set<string>>(run.symbols.map((sym) => [sym, new Set<string>()]));
  for (const b of bars) covered.get(b.symbol)?.add(nyDateOf(b.time));
  const uncovered = o.days.map((d) => d.date).filter((date) => [...covered.values()].some((dates) => !dates.has(date)));
  return { measured: true, drift, from: firstDate, to: o.days[o.days.length - 1]!.date, source: loaded.source, costs: `slippage ${costs.slippage.describe()}; commission ${costs.commission.describe()}`, uncovered };
}
