import type { Logger } from 'pino';
import type { BrokerAccount } from '../../broker/Broker.js';
import { costModels } from '../../broker/sim/costModels.js';
import { MatchingEngine } from '../../broker/sim/MatchingEngine.js';
import { SimBroker } from '../../broker/sim/SimBroker.js';
import { breakerLimits } from '../../config/breakerLimits.js';
import type { DaemonConfig } from '../../config/configSchema.js';
import { checkAllocations } from '../../config/loadConfig.js';
import type { Bar } from '../../core/Bar.js';
import type { Clock } from '../../core/Clock.js';
import { SimClock } from '../../core/SimClock.js';
import { loadLabelledBars } from '../../market-data/loadCsvBars.js';
import { ReplayFeed, batchByTime, type BarBatch } from '../../market-data/ReplayFeed.js';
import { simDataFile } from '../../market-data/simDataFiles.js';
import { nyDateOf } from '../../market-data/zonedTime.js';
import type { EngineState } from '../../persistence/engineStateSchema.js';
import { StaticNyseCalendar } from '../../risk/calendar/StaticNyseCalendar.js';
import type { BuyingPowerReading } from '../../risk/rules/accountBuyingPower.js';
import { reconcileWithVenue } from '../engineState.js';
import type { StrategySpec } from '../StrategySpec.js';
import { FeedState, type Venue, type VenueContext, type VenueHealth } from './Venue.js';

const DAY = 86_400_000;

/**
 * The offline venue: the shipped or configured CSV bars replayed at `sim.speed` through the
 * simulated venue (the matching engine a backtest uses), in market time of its own. Its account is
 * part of the state: a restore puts it back and checks it against the books to the cent, then the
 * replay goes on after the last bar saved, so a restarted run ends exactly as an uninterrupted one.
 */
export class SimVenue implements Venue {
  readonly mode = 'sim' as const;
  readonly name = 'offline simulation';
  readonly calendar = new StaticNyseCalendar();
  readonly broker: SimBroker;
  readonly clock = new SimClock(0);
  readonly startingCash: number;
  readonly breakers: Venue['breakers'];
  readonly estimateCommission: (qty: number, price: number) => number;
  readonly #config: DaemonConfig;
  readonly #wallClock: Clock;
  readonly #log: Logger;
  readonly #venue: MatchingEngine;
  #ctx: VenueContext | null = null;
  #strategies: readonly StrategySpec[] = [];
  #history: Bar[] = [];
  #all: Bar[] = [];
  /** Bars already played before the restored state was saved: they warm the indicators up again. */
  #replayed: Bar[] = [];
  #live: Bar[] = [];
  #feed: ReplayFeed | null = null;
  #feedState: FeedState = FeedState.NotStarted;

  constructor(o: { config: DaemonConfig; wallClock: Clock; logger: Logger }) {
    this.#config = o.config;
    this.#wallClock = o.wallClock;
    this.#log = o.logger.child({ component: 'replay' });
    this.startingCash = o.config.sim.starting_cash;
    this.breakers = breakerLimits(o.config);
    const { slippage, commission } = costModels(o.config.sim);
    this.estimateCommission = (q, p) => commission.commission(q, p);
    this.#venue = new MatchingEngine({ clock: this.clock, startingCash: o.config.sim.starting_cash, slippage, commission });
    this.broker = new SimBroker(this.#venue);
  }

  /** The simulated venue holds buying power for its working buys itself: every reading is current. */
  readonly accountBuyingPower = (): BuyingPowerReading | null => ({ buyingPower: this.#venue.buyingPower() });

  async open(strategies: readonly StrategySpec[]): Promise<void> {
    checkAllocations(this.#config, this.#config.sim.starting_cash, 'sim.starting_cash');
    this.#strategies = strategies;
    const { history, live } = await this.#loadBars(strategies);
    this.#history = history;
    this.#all = live;
    this.#live = live;
    this.clock.advanceTo(history[0]?.time ?? live[0]?.time ?? 0);
  }

  attach(ctx: VenueContext): void {
    this.#ctx = ctx;
  }

  restore(restored: { readonly state: EngineState } | null): number | null {
    const core = this.#ctx!.core;
    const capitals = this.#strategies.reduce((a, s) => a + s.capital, 0);
    if (restored === null) {
      // A fresh account: the history's bars mark its symbols, nothing trades on them.
      for (const bar of this.#history) {
        this.clock.advanceTo(bar.time);
        this.broker.onBar(bar);
      }
      return this.startingCash - capitals;
    }
    const e = restored.state;
    if (e.venue !== null) this.#venue.restore(e.venue);
    const unallocated = e.unallocatedCash ?? this.startingCash - capitals;
    // The books must match the simulated account share for share and to the cent, or nothing trades.
    reconcileWithVenue(core, this.#venue, unallocated);
    // A restored replay goes on after the last bar it had processed; the bars before it warm up again.
    const after = e.lastBarTime;
    if (after !== null) {
      const split = this.#all.findIndex((b) => b.time > after);
      this.#replayed = this.#all.slice(0, split === -1 ? this.#all.length : split);
      this.#live = this.#all.slice(this.#replayed.length);
      this.clock.advanceTo(after);
    }
    return unallocated;
  }

  async connect(): Promise<string[]> {
    // The simulated account was checked against the books at the restore: nothing can be unexplained.
    return [];
  }

  async warmUp(): Promise<{ bars: readonly Bar[]; lastTime: number | null; note: string }> {
    const bars = this.#replayed.length === 0 ? this.#history : [...this.#history, ...this.#replayed];
    return { bars, lastTime: null, note: `warm-up done on ${bars.length} bars; replaying ${this.#live.length} bars at ${this.#config.sim.speed}x` };
  }

  async start(_resumeAfter: number | null, onBatch: (batch: BarBatch) => void, onIdle: () => void): Promise<void> {
    const live = this.#live;
    this.#feed = new ReplayFeed(batchByTime(live), this.#wallClock, this.#config.data.timeframe.ms / this.#config.sim.speed);
    this.#feedState = FeedState.Replaying;
    this.#feed.start(onBatch, () => {
      this.#feedState = FeedState.ReplayFinished;
      this.#log.info({ bars: live.length }, 'replay finished: no more sample bars; the daemon idles until stopped');
      onIdle();
    });
  }

  deliver(batch: BarBatch, lastBarTimes: Map<string, number>): boolean {
    const core = this.#ctx!.core;
    this.clock.advanceTo(batch.time);
    for (const bar of batch.bars) {
      // The venue fills on the bar first, and those fills are booked, before the strategies see it.
      this.broker.onBar(bar);
      core.bus.emit('bar', bar);
      lastBarTimes.set(bar.symbol, bar.time);
    }
    core.portfolio.recordEquity(batch.time);
    core.breakers?.onEquity(batch.time);
    return batch.bars.length > 0;
  }

  account(): BrokerAccount {
    return this.#venue.account();
  }

  async refreshAccount(): Promise<void> {}

  save(): Pick<EngineState, 'venue' | 'broker'> {
    return { venue: this.#venue.toData(), broker: null };
  }

  saved(): void {}

  stopIntake(): void {
    this.#feed?.stop();
  }

  stopBooking(): void {}

  close(): void {}

  /** The simulated broker is always there; the replay is healthy while it plays and once it ended. */
  health(): VenueHealth {
    return { broker: null, feed: this.#feedState, feedProblem: null, reconnects: {}, requestBudget: null };
  }

  /**
   * History for warm-up and bars to replay. Replay starts on `sim.start` (default: the second trading
   * day in the data, so the first one warms indicators up); warm-up takes the `history_days`
   * calendar days before it.
   */
  async #loadBars(strategies: readonly StrategySpec[]): Promise<{ history: Bar[]; live: Bar[] }> {
    const config = this.#config;
    const symbols = [...new Set(strategies.flatMap((s) => s.symbols))].sort();
    const all: Bar[] = [];
    for (const symbol of symbols) {
      const file = simDataFile(config.sim.data_dir, symbol, config.data.timeframe);
      // Each bar at its end, however the file stamps it (sim.bar_time); pushed one by one (no spread of a large array).
      for (const bar of await loadLabelledBars(file, { symbol, calendar: this.calendar, barTime: config.sim.bar_time, flag: 'sim.bar_time' })) all.push(bar);
    }
    all.sort((a, b) => a.time - b.time || (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
    const days = [...new Set(all.map((b) => nyDateOf(b.time)))];
    const startDay = config.sim.start ?? days[1] ?? days[0];
    const firstLive = all.findIndex((b) => nyDateOf(b.time) >= (startDay ?? ''));
    const split = firstLive === -1 ? all.length : firstLive;
    const liveStart = all[split]?.time ?? Number.POSITIVE_INFINITY;
    const historyFrom = liveStart - config.data.history_days * DAY;
    return { history: all.slice(0, split).filter((b) => b.time >= historyFrom), live: all.slice(split) };
  }
}
