import type { Logger } from 'pino';
import { MatchingEngine } from '../broker/sim/MatchingEngine.js';
import { SimBroker } from '../broker/sim/SimBroker.js';
import { costModels } from '../broker/sim/costModels.js';
import type { Clock, TimerHandle } from '../core/Clock.js';
import { SimClock } from '../core/SimClock.js';
import type { Bar } from '../core/Bar.js';
import type { DaemonConfig } from '../config/configSchema.js';
import type { TelegramEnv } from '../config/env.js';
import { breakerLimits } from '../config/breakerLimits.js';
import { checkAllocations } from '../config/loadConfig.js';
import { loadLabelledBars } from '../market-data/loadCsvBars.js';
import { ReplayFeed, batchByTime, type BarBatch } from '../market-data/ReplayFeed.js';
import { simDataFile } from '../market-data/simDataFiles.js';
import { nyDateOf } from '../market-data/zonedTime.js';
import type { ErrorLines } from '../logging/ErrorLines.js';
import { commandViews } from '../notify/commandViews.js';
import { EngineAlerts } from './EngineAlerts.js';
import { AlertPriority, type Notifier } from '../notify/Notifier.js';
import { SnapshotStore, type LoadedSnapshot } from '../persistence/SnapshotStore.js';
import { captureEngineState, reconcileWithVenue } from './engineState.js';
import { restoreState } from './restoreState.js';
import type { EngineState } from '../persistence/engineStateSchema.js';
import { StaticNyseCalendar } from '../risk/calendar/StaticNyseCalendar.js';
import { ControlCommands } from '../control/ControlCommands.js';
import { assertNotRunning, ControlServer, controlSocketPath } from '../control/ControlServer.js';
import { buildSnapshot } from './buildSnapshot.js';
import { StateWriter } from './StateWriter.js';
import type { PortfolioSnapshot } from '../persistence/PortfolioSnapshot.js';
import { openState } from './openState.js';
import { ensureOwnedDirectory } from '../persistence/ensureOwnedDirectory.js';
import { recordRun } from './recordRun.js';
import { logPnl, sendDailySummary, wireEngineEvents } from './engineEvents.js';
import { buildTradingCore, type TradingCore } from './buildTradingCore.js';
import { enabledStrategies, type StrategySpec } from './StrategySpec.js';

export interface EngineOptions {
  readonly config: DaemonConfig;
  readonly mode: 'sim';
  readonly logger: Logger;
  /** Wall-clock time: pacing, snapshot timer, timestamps of the state file. */
  readonly wallClock: Clock;
  /** Where circuit-breaker trips and resumes are logged as well (`logs/circuit_breaker.log`). */
  readonly breakerLog?: Logger;
  /** Continue from the newest valid snapshot (`--restore`); otherwise earlier state files are archived. */
  readonly restore?: boolean;
  /** The Telegram bot for alerts; null or omitted: alerts go to the log. */
  readonly telegram?: TelegramEnv | null;
  /** Error-level log lines, alerted (throttled) when `notifications.telegram_on_any_error`. */
  readonly errorLines?: ErrorLines;
  /** The configuration's file name, for messages. */
  readonly configFile?: string;
}

/**
 * The composition root of the daemon: builds every part from the validated configuration, warms
 * the strategies up on history, trades, writes the state file, and stops in reverse order.
 * This version runs offline (`sim`): the shipped or configured bars are replayed at `sim.speed`
 * through the same runners, RiskGate and simulated venue as a backtest.
 */
export class PaperTradingEngine {
  readonly #o: EngineOptions;
  readonly #log: Logger;
  readonly #runId: string;
  #core: TradingCore | null = null;
  #broker: SimBroker | null = null;
  #venue: MatchingEngine | null = null;
  #feed: ReplayFeed | null = null;
  #snapshotTimer: TimerHandle | null = null;
  #notifier: Notifier | null = null;
  #control: ControlServer | null = null;
  #alerts: EngineAlerts | null = null;
  #marketClock: SimClock | null = null;
  #lastBarTime: number | null = null;
  readonly #fills = new Map<string, number>();
  /** The simulated account's cash no strategy holds. */
  #unallocated = 0;
  /** Capital moved into or out of strategies by configuration changes, for the state file. */
  #flows: EngineState['capitalFlows'] = [];
  /** What the configuration changed at this restore (for the start alert). */
  #changes: readonly string[] = [];
  readonly #lastBarTimes = new Map<string, number>();
  readonly #calendar = new StaticNyseCalendar();
  readonly #store: SnapshotStore;
  readonly #writer: StateWriter;
  /** Something worth saving happened (a fill, a breaker change) since the last save. */
  #dirty = false;
  /** Start completed: from here on the state is the daemon's to save. */
  #ready = false;
  #state: 'new' | 'running' | 'stopping' | 'stopped' = 'new';
  #stopped: Promise<void> | null = null;

  constructor(options: EngineOptions) {
    this.#o = options;
    this.#log = options.logger.child({ component: 'engine' });
    this.#runId = options.wallClock.now().toString(36);
    const sim = options.config.sim;
    this.#store = new SnapshotStore(options.config.state.dir, options.config.state.max_backups, { startingCash: sim.starting_cash, entryCommission: (q, p) => costModels(sim).commission.commission(q, p) });
    this.#writer = new StateWriter({ store: this.#store, wallClock: options.wallClock, log: this.#log, notifier: () => this.#notifier });
  }

  get runId(): string {
    return this.#runId;
  }

  get statePath(): string {
    return this.#store.latestPath;
  }

  async start(): Promise<void> {
    if (this.#state !== 'new') return;
    this.#state = 'running';
    const { config, logger, wallClock } = this.#o;
    const sim = config.sim;
    const enabled = enabledStrategies(config);
    if (enabled.length === 0) this.#log.warn('no strategy is enabled: nothing will trade');
    checkAllocations(config, sim.starting_cash, 'sim.starting_cash');
    // Before touching any state file: one daemon per state directory.
    const socket = controlSocketPath(config.state.dir);
    // The owner's own directory (0700), never a link or someone else's: refused before anything is written in it.
    ensureOwnedDirectory(config.state.dir, 'state.dir');
    await assertNotRunning(socket);
    const restored = this.#openState();
    const runs = recordRun(config.state.dir, restored, this.#runId, this.#log);

    const { history, live: all } = await this.#loadBars(enabled);
    const resumeAfter = restored?.snapshot.engine.lastBarTime ?? null;
    // A restored replay goes on after the last bar it had processed; the bars before feed the warm-up.
    const split = resumeAfter === null ? 0 : all.findIndex((b) => b.time > resumeAfter);
    const replayed = resumeAfter === null ? [] : all.slice(0, split === -1 ? all.length : split);
    const live = resumeAfter === null ? all : all.slice(replayed.length);
    const marketClock = new SimClock(history[0]?.time ?? live[0]?.time ?? 0);
    this.#marketClock = marketClock;
    const { slippage, commission } = costModels(sim);
    const venue = new MatchingEngine({ clock: marketClock, startingCash: sim.starting_cash, slippage, commission });
    const broker = new SimBroker(venue);
    this.#broker = broker;
    this.#venue = venue;
    const core = buildTradingCore({
      strategies: enabled,
      broker,
      clock: marketClock,
      runId: this.#runId,
      runs,
      maxPositionPct: config.risk.max_position_pct,
      maxOrderPct: config.risk.max_order_pct,
      estimateCommission: (q, p) => commission.commission(q, p),
      logger,
      calendar: this.#calendar,
      breakers: breakerLimits(config),
      accountBuyingPower: () => venue.buyingPower(),
    });
    this.#core = core;
    const alerts = new EngineAlerts({ telegram: this.#o.telegram ?? null, stateDir: config.state.dir, onAnyError: config.notifications.telegram_on_any_error, errorLines: this.#o.errorLines, wallClock, logger });
    this.#alerts = alerts;
    this.#notifier = alerts.notifier;
    this.#wireEvents(core);

    core.execution.start();
    core.runner.start();
    if (restored === null) {
      this.#unallocated = sim.starting_cash - enabled.reduce((a, s) => a + s.capital, 0);
      for (const bar of history) {
        marketClock.advanceTo(bar.time);
        broker.onBar(bar);
      }
    } else {
      // Crash-only start: the books, orders, breakers and the simulated account come from the
      // snapshot, fitted to the configuration, and are reconciled; the indicators re-learn the same bars, in the same order.
      const e0 = restored.snapshot.engine;
      const allocated = (caps: readonly number[]): number => caps.reduce((a, c) => a + c, 0);
      const fitted = restoreState({
        core,
        venue,
        loaded: restored,
        strategies: enabled,
        configFile: this.#o.configFile ?? 'the configuration',
        time: e0.lastBarTime ?? marketClock.now(),
        // A version-2 file: the account's starting cash less the capitals it was saved with.
        unallocatedCash: (saved) => sim.starting_cash - allocated(Object.values(saved.runners).map((r) => r.ledger.capital)),
        log: this.#log,
      });
      const e = fitted.state;
      this.#unallocated = e.unallocatedCash ?? sim.starting_cash - allocated(enabled.map((x) => x.capital));
      this.#flows = [...e.capitalFlows];
      this.#changes = fitted.changes;
      reconcileWithVenue(core, venue, this.#unallocated);
      for (const [symbol, t] of Object.entries(e.lastBarTimes)) this.#lastBarTimes.set(symbol, t);
      for (const [id, n] of Object.entries(e.fills)) this.#fills.set(id, n);
      this.#lastBarTime = e.lastBarTime;
      marketClock.advanceTo(e.lastBarTime ?? marketClock.now());
      if (fitted.fresh.length > 0) this.#log.warn({ strategies: fitted.fresh }, `not in the restored state, starting fresh: ${fitted.fresh.join(', ')}`);
      this.#log.info(
        { file: restored.file, snapshotTime: restored.snapshot.timestamp, marketTime: e.lastBarTime === null ? null : new Date(e.lastBarTime).toISOString() },
        `restored from ${restored.file} (saved ${restored.snapshot.timestamp}); books match the simulated account; resuming after ${e.lastBarTime === null ? 'the start' : new Date(e.lastBarTime).toISOString()}`,
      );
    }
    if (core.breakers !== null) {
      const control = new ControlServer(socket, new ControlCommands(core.breakers, marketClock, core.flatten), logger.child({ component: 'control' }));
      await control.start();
      this.#control = control;
      alerts.startCommands(core.breakers, marketClock, commandViews(() => this.#build()));
    }

    core.runner.warmUp(replayed.length === 0 ? history : [...history, ...replayed]);
    this.#log.info(
      { historyBars: history.length + replayed.length, liveBars: live.length, strategies: enabled.map((s) => s.id) },
      `warm-up done on ${history.length + replayed.length} bars; replaying ${live.length} bars at ${sim.speed}x`,
    );

    this.#ready = true;
    this.#notifier.notify({
      priority: AlertPriority.Info,
      text: `🚀 Daemon started (offline simulation${restored === null ? '' : `, restored from ${restored.snapshot.timestamp}`}): ${enabled.length} strategies on ${new Set(enabled.flatMap((s) => s.symbols)).size} symbols${this.#changes.length === 0 ? '' : `\nConfiguration changed: ${this.#changes.join('; ')}`}`,
    });
    this.#snapshotTimer = wallClock.setInterval(() => this.#snapshot('interval', true), config.state.snapshot_interval_s * 1000);
    const intervalMs = config.data.timeframe.ms / sim.speed;
    this.#feed = new ReplayFeed(batchByTime(live), wallClock, intervalMs);
    this.#feed.start(
      (batch) => this.#onBatch(batch),
      () => {
        this.#log.info({ bars: live.length }, 'replay finished: no more sample bars; the daemon idles until stopped');
        this.#logPnl('end of replay');
      },
    );
  }

  /** Stops intake, lets the bus drain, writes the final state file. Idempotent. */
  stop(reason: string): Promise<void> {
    this.#stopped ??= this.#stop(reason);
    return this.#stopped;
  }

  async #stop(reason: string): Promise<void> {
    if (this.#state === 'new') {
      this.#state = 'stopped';
      return;
    }
    this.#state = 'stopping';
    this.#log.info({ reason }, 'stopping');
    this.#feed?.stop();
    await this.#control?.stop();
    await this.#alerts?.stopCommands();
    this.#snapshotTimer?.cancel();
    this.#core?.runner.stop();
    this.#core?.execution.stop();
    // A start that failed half way (a restore that did not reconcile…) must not overwrite the good state.
    if (this.#ready) {
      this.#logPnl('final');
      this.#snapshot('stop', true);
    }
    await this.#alerts?.close(reason, this.#ready ? (this.#core?.portfolio ?? null) : null);
    this.#state = 'stopped';
    this.#log.info('stopped');
  }

  #onBatch(batch: BarBatch): void {
    const core = this.#core!;
    const clock = this.#marketClock!;
    const previous = this.#lastBarTime;
    clock.advanceTo(batch.time);
    for (const bar of batch.bars) {
      // The venue fills on the bar first, and those fills are booked, before the strategies see it.
      this.#broker!.onBar(bar);
      core.bus.emit('bar', bar);
      this.#lastBarTimes.set(bar.symbol, bar.time);
    }
    core.portfolio.recordEquity(batch.time);
    core.breakers?.onEquity(batch.time);
    this.#lastBarTime = batch.time;
    if (previous !== null && nyDateOf(previous) !== nyDateOf(batch.time)) {
      this.#logPnl(`close of ${nyDateOf(previous)}`);
      if (this.#o.config.notifications.daily_summary) sendDailySummary(this.#notifier, core, this.#build(), nyDateOf(previous));
    }
    // After a fill or a breaker change the state is saved at once, whole batches only: a restart
    // resumes after the last batch saved and replays the rest exactly as it happened.
    if (this.#dirty) this.#snapshot('change', false);
  }

  #wireEvents(core: TradingCore): void {
    wireEngineEvents(core, {
      logger: this.#o.logger,
      breakerLog: this.#o.breakerLog,
      notifier: () => this.#notifier,
      telegramOnAllTrades: this.#o.config.notifications.telegram_on_all_trades,
      onChange: () => {
        this.#dirty = true;
      },
      onFill: (strategyId) => this.#fills.set(strategyId, (this.#fills.get(strategyId) ?? 0) + 1),
    });
  }

  #logPnl(when: string): void {
    if (this.#core !== null) logPnl(this.#log, this.#core, when, this.#venue?.account().equity ?? null);
  }

  /** Saves the state: `latest_state.json` always, a gzipped backup when `backup` (interval and stop). */
  #snapshot(why: string, backup: boolean): void {
    if (this.#core === null) return;
    if (this.#writer.save(this.#build(), why, backup)) {
      this.#dirty = false;
    } else this.#dirty = true;
  }

  /** The state file's content now. */
  #build(): PortfolioSnapshot {
    const core = this.#core!;
    return buildSnapshot({
      engine: captureEngineState(core, this.#venue, { lastBarTime: this.#lastBarTime, lastBarTimes: this.#lastBarTimes, fills: this.#fills, broker: null, unallocatedCash: this.#unallocated, capitalFlows: this.#flows }),
      mode: 'sim',
      runId: this.#runId,
      wallTime: this.#o.wallClock.now(),
      marketTime: this.#lastBarTime,
      runner: core.runner,
      portfolio: core.portfolio,
      brokerAccount: this.#venue!.account(),
      fillsByStrategy: this.#fills,
      breakers: core.breakers,
    });
  }




  #openState(): LoadedSnapshot | null {
    return openState(this.#store, this.#o.restore === true, 'sim', this.#o.wallClock.now(), this.#log);
  }


  /**
   * History for warm-up and bars to replay. Replay starts on `sim.start` (default: the second trading
   * day in the data, so the first one warms indicators up); warm-up takes the `history_days`
   * calendar days before it.
   */
  async #loadBars(strategies: readonly StrategySpec[]): Promise<{ history: Bar[]; live: Bar[] }> {
    const { config } = this.#o;
    const symbols = [...new Set(strategies.flatMap((s) => s.symbols))].sort();
    const all: Bar[] = [];
    for (const symbol of symbols) {
      const file = simDataFile(config.sim.data_dir, symbol, config.data.timeframe);
      // Each bar at its end, however the file stamps it (sim.bar_time); pushed one by one (no spread of a large array).
      for (const bar of await loadLabelledBars(file, { symbol, calendar: this.#calendar, barTime: config.sim.bar_time, flag: 'sim.bar_time' })) all.push(bar);
    }
    all.sort((a, b) => a.time - b.time || (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
    const days = [...new Set(all.map((b) => nyDateOf(b.time)))];
    const startDay = config.sim.start ?? days[1] ?? days[0];
    const firstLive = all.findIndex((b) => nyDateOf(b.time) >= (startDay ?? ''));
    const split = firstLive === -1 ? all.length : firstLive;
    const liveStart = all[split]?.time ?? Number.POSITIVE_INFINITY;
    const historyFrom = liveStart - config.data.history_days * 86_400_000;
    return { history: all.slice(0, split).filter((b) => b.time >= historyFrom), live: all.slice(split) };
  }
}
