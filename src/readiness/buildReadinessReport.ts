import type { Logger } from 'pino';
import { liveBreakerLimits } from '../config/breakerLimits.js';
import type { DaemonConfig } from '../config/configSchema.js';
import { nyDateOf } from '../market-data/zonedTime.js';
import type { MarketCalendar } from '../risk/calendar/MarketCalendar.js';
import { cachedDriftBars, simDriftBars } from './driftBars.js';
import { driftItem } from './driftItem.js';
import { livePlanItem } from './livePlanItem.js';
import { measureDrift, type DriftOutcome, type DriftSettings } from './measureDrift.js';
import { paperClock } from './paperClock.js';
import type { PaperRecord } from './PaperRecord.js';
import { durationItem, drawdownItem, periodFigures, sharpeItem, type PeriodFigures } from './periodChecks.js';
import { ITEM_NAMES, type ReadinessItem } from './ReadinessItem.js';
import { unchangedItem } from './unchangedItem.js';

/** One strategy's checklist: every item, and the verdict (ready when all six pass). */
export interface StrategyReadiness {
  readonly id: string;
  readonly ready: boolean;
  readonly items: readonly ReadinessItem[];
  /** The numbers behind the items (for --json and dashboards); null without a paper record of the strategy. */
  readonly figures: (Omit<PeriodFigures, 'trips'> & { readonly breakerTrips: number; readonly clockStartedWith: string | null; readonly change: string | null }) | null;
  readonly drift: DriftOutcome | null;
}

export interface ReadinessReport {
  /** The state directory judged. */
  readonly recordDir: string;
  /** False when it holds no readable state file. */
  readonly found: boolean;
  readonly mode: 'sim' | 'alpaca' | null;
  readonly savedAt: string | null;
  readonly marketTime: string | null;
  readonly warnings: readonly string[];
  readonly strategies: readonly StrategyReadiness[];
  /** Every strategy listed is ready. */
  readonly ready: boolean;
}

export interface ReadinessOptions {
  /** The configuration judged: a live one (its capital and live section are the live plan), or the paper one. */
  readonly config: DaemonConfig;
  /** Its enabled strategies to judge (default: all of them). */
  readonly strategyIds?: readonly string[];
  /** The paper record (readPaperRecord of `live.paper_state_dir`, else `state.dir`); null when there is none. */
  readonly record: PaperRecord | null;
  readonly recordDir: string;
  readonly telegram: boolean;
  /** Alpaca's data feed (`iex`, `sip`): where the daemon's history cache lies. */
  readonly feed: string;
  readonly calendar: MarketCalendar;
  /** Wall time now (monitoring: how long ago the last delivery). */
  readonly now: number;
  readonly logger: Logger;
  /**
   * Backtest the period to compare fills (item 6; default true). The daemon's weekly summary and
   * `npm run status` leave it out (a backtest of months of bars takes seconds): item 6 then says so.
   */
  readonly measureFills?: boolean;
  /** The code fingerprint of a strategy type of your own (StrategyCatalog.userSource): a judged module edited since the paper run is another strategy. */
  readonly sourceOf?: (type: string) => string | undefined;
  /** Builds a strategy for the drift backtest (your own modules too); default: the built-in types. */
  readonly createStrategy?: DriftSettings['createStrategy'];
}

/** Item 6 when the comparison was left out. */
export const DRIFT_NOT_RUN = 'left out here (it backtests the whole period): npm run readiness measures it';

/** The paper record judged against the live checklist, strategy by strategy (docs/readiness.md). */
export async function buildReadinessReport(o: ReadinessOptions): Promise<ReadinessReport> {
  const { config, record } = o;
  const enabled = config.strategies.filter((s) => s.enabled);
  const ids = o.strategyIds ?? enabled.map((s) => s.id);
  const live = config.live === undefined ? null : liveBreakerLimits(config, config.live);
  const strategies: StrategyReadiness[] = [];
  for (const id of ids) {
    const s = enabled.find((x) => x.id === id);
    if (s === undefined) throw new RangeError(`strategy ${id} is not enabled in the configuration`);
    const judged = { type: s.type, params: s.params, symbols: s.symbols, source: o.sourceOf?.(s.type) };
    const rec = record?.strategies.get(id) ?? null;
    const clock = paperClock(record?.runs ?? [], id);
    const plan = livePlanItem({
      section: config.live,
      capital: s.capital_allocation,
      paperCapital: rec?.capital ?? null,
      limits: live === null ? null : { strategy: live.strategies.get(id)!, account: live.account },
      telegram: o.telegram,
      deliveries: record?.deliveries ?? null,
      now: o.now,
    });
    if (record === null || rec === null) {
      const none = record === null ? `no paper record in ${o.recordDir}` : `no paper record of ${id} in ${o.recordDir}`;
      const absent = (item: 1 | 2 | 3 | 6): ReadinessItem => ({ item, name: ITEM_NAMES[item], pass: false, measured: none, missing: [`paper trading of ${id}: start the daemon with this strategy`] });
      const items = [absent(1), absent(2), absent(3), unchangedItem(clock, 0, judged), plan, absent(6)];
      strategies.push({ id, ready: false, items, figures: null, drift: null });
      continue;
    }
    // Only days the strategy traded as it is now count: none before a fingerprint was recorded.
    const cut = clock.after === null ? null : nyDateOf(clock.after);
    const days = clock.run === null ? [] : rec.days.filter((d) => cut === null || d.date > cut);
    const period = periodFigures(rec, days, clock.after);
    const drift: DriftOutcome = o.measureFills === false ? { measured: false, reason: DRIFT_NOT_RUN } : await measureDrift(
      { record: rec, clock, days, marketTime: record.marketTime, bars: record.mode === 'sim' ? simDriftBars(config, o.calendar) : cachedDriftBars(config, record.dir, o.feed, o.calendar) },
      { costs: config.sim, timeframe: config.data.timeframe, historyDays: config.data.history_days, maxPositionPct: config.risk.max_position_pct, calendar: o.calendar, logger: o.logger, ...(o.createStrategy === undefined ? {} : { createStrategy: o.createStrategy }) },
    );
    const items = [durationItem(period), sharpeItem(period), drawdownItem(period), unchangedItem(clock, period.days, judged), plan, driftItem(drift)];
    const { trips, ...figures } = period;
    strategies.push({
      id,
      ready: items.every((i) => i.pass),
      items,
      figures: { ...figures, breakerTrips: trips.length, clockStartedWith: clock.run?.id ?? null, change: clock.change },
      drift,
    });
  }
  return {
    recordDir: o.recordDir,
    found: record !== null,
    mode: record?.mode ?? null,
    savedAt: record?.savedAt ?? null,
    marketTime: record?.marketTime === null || record === null ? null : new Date(record.marketTime).toISOString(),
    warnings: record?.warnings ?? [],
    strategies,
    ready: strategies.length > 0 && strategies.every((s) => s.ready),
  };
}
