import type { Logger } from 'pino';
import type { DaemonConfig } from '../config/configSchema.js';
import type { TelegramEnv } from '../config/env.js';
import type { Clock, TimerHandle } from '../core/Clock.js';
import { ControlCommands } from '../control/ControlCommands.js';
import { ControlServer, controlSocketPath } from '../control/ControlServer.js';
import type { ErrorLines } from '../logging/ErrorLines.js';
import type { BarBatch } from '../market-data/ReplayFeed.js';
import { commandViews } from '../notify/commandViews.js';
import { AlertPriority, type Alert, type Notifier } from '../notify/Notifier.js';
import { DashboardServer } from '../dashboard/DashboardServer.js';
import type { ReadinessReport } from '../readiness/buildReadinessReport.js';
import type { DashboardSettings } from '../dashboard/dashboardSettings.js';
import { DaemonPhase, type DashboardSource } from '../dashboard/DashboardSource.js';
import { ensureOwnedDirectory } from '../persistence/ensureOwnedDirectory.js';
import type { EngineState } from '../persistence/engineStateSchema.js';
import type { PortfolioSnapshot } from '../persistence/PortfolioSnapshot.js';
import { lastClosedSession } from '../risk/calendar/lastClosedSession.js';
import { SnapshotStore, type LoadedSnapshot } from '../persistence/SnapshotStore.js';
import { buildSnapshot } from './buildSnapshot.js';
import { buildTradingCore, type TradingCore, type TradingCoreOptions } from './buildTradingCore.js';
import { EngineAlerts } from './EngineAlerts.js';
import { liveStartNote, logPnl, sendDailySummary, wireEngineEvents } from './engineEvents.js';
import { captureEngineState } from './engineState.js';
import { openState } from './openState.js';
import { stateRetention } from '../persistence/stateRetention.js';
import { recordRun, type RunFacts } from './recordRun.js';
import { rehearse } from './rehearse.js';
import { restoreState } from './restoreState.js';
import { StateWriter } from './StateWriter.js';
import { enabledStrategies } from './StrategySpec.js';
import type { Venue } from './venues/Venue.js';
import type { StrategyCatalog } from '../strategies/StrategyCatalog.js';

/** A session's last minute bars may arrive a little after the close (late trades): the close is handled this long after it, unless its last bar came first. */
const CLOSE_GRACE_MS = 2 * 60_000;
/** How often the wall clock looks for a close that no bar announced (a quiet last minute, a feed down at the close). */
const CLOSE_CHECK_MS = 30_000;

export interface EngineOptions {
  readonly config: DaemonConfig;
  /** Where the bars come from and the orders go: the offline replay (SimVenue) or Alpaca (AlpacaStore). */
  readonly venue: Venue;
  readonly logger: Logger;
  /** Wall-clock time: pacing, timers, timestamps of the state file. */
  readonly wallClock: Clock;
  /** Where circuit-breaker trips and resumes are logged as well (`logs/circuit_breaker.log`). */
  readonly breakerLog?: Logger;
  /** Continue from the newest valid snapshot (`--restore`); otherwise earlier state files are archived once the start succeeded. */
  readonly restore?: boolean;
  /** With `restore`: a state directory with no state file at all is a fresh start, not an error (`--allow-fresh`). */
  readonly allowFresh?: boolean;
  /** The Telegram bot for alerts; null or omitted: alerts go to the log. */
  readonly telegram?: TelegramEnv | null;
  /** Error-level log lines, alerted (throttled) when `notifications.telegram_on_any_error`. */
  readonly errorLines?: ErrorLines;
  /** The configuration's file name, for messages. */
  readonly configFile?: string;
  /** A live start: what the readiness checklist let start and held back, and an override's reason (runs.json, the state file, the start alert). */
  readonly live?: RunFacts['live'];
  /** The weekly edition of the daily summary of `date` (the readiness checklist), or null on the other days. */
  readonly weeklyEdition?: (date: string) => Promise<string | null> | null;
  /** The live checklist from the saved record, for the dashboard's verdicts (judged at the start and after each close, off the order path). */
  readonly readiness?: () => Promise<ReadinessReport>;
  /** The local dashboard, /healthz and /metrics (dashboardSettings: host, port, token); null or omitted: none. */
  readonly dashboard?: DashboardSettings | null;
  /** The strategy types the configuration names (built-ins and the user's modules); default: the built-ins only. */
  readonly strategies?: StrategyCatalog;
}

/**
 * The daemon: the one composition root and lifecycle, whatever the venue. Start-up is crash
 * recovery: open the venue, open the state (restore it when asked, fitted to the configuration),
 * build the core (runners, RiskGate, ExecutionService, ledgers, breakers), connect and reconcile
 * with the venue, warm the strategies up on history, then trade; the state is saved after every
 * change, on a timer and at the stop; the stop undoes all of it in reverse order. Offline replay and
 * Alpaca differ only in the venue plugged in (engine/venues/).
 */
export class PaperTradingEngine {
  readonly #o: EngineOptions;
  readonly #venue: Venue;
  readonly #log: Logger;
  readonly #runId: string;
  readonly #store: SnapshotStore;
  readonly #writer: StateWriter;
  #core: TradingCore | null = null;
  #control: ControlServer | null = null;
  #alerts: EngineAlerts | null = null;
  #notifier: Notifier | null = null;
  #dashboard: DashboardServer | null = null;
  #commands: ControlCommands | null = null;
  readonly #timers: TimerHandle[] = [];
  #saveSoon: TimerHandle | null = null;
  /** A breaker tripped or resumed since the last backup: the next save writes one. */
  #backupNext = false;
  #accountSoon: TimerHandle | null = null;
  #lastBarTime: number | null = null;
  /** The New York date of the last session whose close was handled (P&L line, daily summary, daily rules re-armed). */
  #lastClose: string | null = null;
  readonly #lastBarTimes = new Map<string, number>();
  readonly #fills = new Map<string, number>();
  /** The offline account's cash no strategy holds (null on Alpaca). */
  #unallocated: number | null = null;
  /** Capital moved into or out of strategies by configuration changes, for the state file. */
  #flows: EngineState['capitalFlows'] = [];
  /** What the configuration changed at this restore (for the start alert). */
  #changes: readonly string[] = [];
  /** Something worth saving happened (a fill, an order, a breaker change) since the last save. */
  #dirty = false;
  /** Start completed: from here on the state is the daemon's to save. */
  #ready = false;
  #state: 'new' | 'running' | 'stopping' | 'stopped' = 'new';
  #stopped: Promise<void> | null = null;

  constructor(o: EngineOptions) {
    this.#o = o;
    this.#venue = o.venue;
    this.#log = o.logger.child({ component: 'engine' });
    this.#runId = o.wallClock.now().toString(36);
    this.#store = new SnapshotStore(o.config.state.dir, stateRetention(o.config.state), {
      startingCash: o.venue.startingCash,
      entryCommission: (q, p) => o.venue.estimateCommission(q, p),
    });
    this.#writer = new StateWriter({ store: this.#store, wallClock: o.wallClock, log: this.#log, notifier: () => this.#notifier, onSaved: (s, ok) => this.#dashboard?.metrics.saved(s, ok) });
  }

  get runId(): string {
    return this.#runId;
  }

  /** Where the dashboard answers (`http://host:port/`), null when it does not run. */
  get dashboardUrl(): string | null {
    return this.#dashboard?.url ?? null;
  }

  get statePath(): string {
    return this.#store.latestPath;
  }

  async start(): Promise<void> {
    if (this.#state !== 'new') return;
    this.#state = 'running';
    const { config, logger, wallClock } = this.#o;
    const venue = this.#venue;
    const enabled = enabledStrategies(config);
    if (enabled.length === 0) this.#log.warn('no strategy is enabled: nothing will trade');
    // Before touching any state file or the venue: the owner's own directory (0700, never a link or
    // someone else's), and one daemon per state directory: the control socket is taken first, so a
    // second daemon started at the same time is refused having done nothing. Its commands are
    // answered once the core is built.
    const socket = controlSocketPath(config.state.dir);
    ensureOwnedDirectory(config.state.dir, 'state.dir');
    const control = new ControlServer(socket, { run: (words, by) => this.#commands?.run(words, by) ?? { ok: false, message: 'the daemon is starting; try again in a moment' } }, logger.child({ component: 'control' }));
    await control.start();
    this.#control = control;
    if (this.#stopRequested()) {
      await control.stop();
      return;
    }
    await venue.open(enabled);
    if (this.#stopRequested()) return;

    const opened = openState(this.#store, { restore: this.#o.restore === true, allowFresh: this.#o.allowFresh === true }, venue.mode, wallClock.now(), this.#log);
    const restored = opened.loaded;
    const { runs, record, changed } = recordRun(config.state.dir, restored, this.#runId, this.#log, {
      mode: venue.mode,
      strategies: enabled,
      ...(this.#o.strategies === undefined ? {} : { sourceOf: (type: string) => this.#o.strategies!.userSource(type) }),
      breakers: venue.breakers.strategies,
      risk: { maxPositionPct: config.risk.max_position_pct, maxOrderPct: config.risk.max_order_pct },
      ...(this.#o.live === undefined ? {} : { live: this.#o.live }),
    });
    const coreOptions: TradingCoreOptions = {
      strategies: enabled,
      broker: venue.broker,
      clock: venue.clock,
      runId: this.#runId,
      runs,
      maxPositionPct: config.risk.max_position_pct,
      maxOrderPct: config.risk.max_order_pct,
      estimateCommission: venue.estimateCommission,
      logger,
      calendar: venue.calendar,
      breakers: venue.breakers,
      accountBuyingPower: venue.accountBuyingPower,
      ...(venue.venueNotReady === undefined ? {} : { venueNotReady: venue.venueNotReady }),
      ...(this.#o.strategies === undefined ? {} : { createStrategy: (spec) => this.#o.strategies!.create(spec) }),
    };
    const core = buildTradingCore(coreOptions);
    this.#core = core;
    const alerts = new EngineAlerts({ telegram: this.#o.telegram ?? null, stateDir: config.state.dir, onAnyError: config.notifications.telegram_on_any_error, errorLines: this.#o.errorLines, wallClock, logger });
    this.#alerts = alerts;
    this.#notifier = this.#withDashboard(alerts.notifier);
    wireEngineEvents(core, {
      logger,
      breakerLog: this.#o.breakerLog,
      notifier: () => this.#notifier,
      telegramOnAllTrades: config.notifications.telegram_on_all_trades,
      onChange: (what) => {
        if (what === 'breaker') this.#backupNext = true;
        this.#markDirty();
      },
      onFill: (id) => this.#fills.set(id, (this.#fills.get(id) ?? 0) + 1),
    });
    venue.attach({ core, notify: (a) => this.#notifier?.notify(a), running: () => this.#state === 'running', changed: () => this.#markDirty() });
    core.execution.start();
    core.runner.start();
    this.#unallocated = venue.restore(restored === null ? null : this.#restore(core, restored));
    for (const c of changed) this.#log.warn({ change: c }, `configuration changed since the state was saved: ${c}`);
    this.#changes = [...this.#changes, ...changed];
    for (const b of core.breakers === null ? [] : [core.breakers.account, ...core.breakers.strategies]) {
      const note = b.pausedNote;
      if (note !== null) this.#log.warn({ scope: b.scope, trip: b.trip }, `restored: ${note}`);
    }
    // A restored run is in the registry once its state fits the configuration and the venue's
    // account, before the venue is connected and commands are taken (orders may go out from there).
    if (restored !== null) record();

    // What happened at the venue while the daemon was down is caught up, then the books are compared with it.
    const external = await venue.connect(restored);
    if (this.#stopRequested()) return;
    this.#reportExternal(external);

    if (core.breakers !== null) {
      this.#commands = new ControlCommands(core.breakers, venue.clock, core.flatten);
      alerts.startCommands(core.breakers, venue.clock, commandViews(() => this.#build()));
    }
    await this.#startDashboard(core);
    if (this.#stopRequested()) return;

    // Indicators are not saved: after a restart they re-learn the history, in the same order.
    const warm = await venue.warmUp();
    if (this.#stopRequested()) return;
    core.runner.warmUp(warm.bars);
    if (venue.mode === 'alpaca') {
      // The live path compiled before the first live minute (a throwaway copy of the core; see rehearse).
      const r = rehearse(coreOptions, { bars: warm.bars, timeframe: config.data.timeframe, calendar: venue.calendar });
      this.#log.debug({ bars: r.bars, orders: r.orders }, 'live path rehearsed on the end of the warm-up');
    }
    if (warm.lastTime !== null) this.#lastBarTime = Math.max(warm.lastTime, this.#lastBarTime ?? 0);
    this.#log.info({ bars: warm.bars.length, strategies: enabled.map((s) => s.id) }, warm.note);

    // The start succeeded: only now does a fresh start archive the earlier files and record its run
    // (a failed start changes nothing on disk), before any bar can send an order (a restored run is recorded already).
    opened.commit();
    record();
    this.#ready = true;
    this.#timers.push(wallClock.setInterval(() => this.#snapshot('interval', true), config.state.snapshot_interval_s * 1000));
    this.#timers.push(wallClock.setInterval(() => this.#closeSessions(venue.clock.now() - CLOSE_GRACE_MS), CLOSE_CHECK_MS));
    await venue.start(this.#lastBarTime, (batch) => this.#onBatch(batch), () => this.#logPnl('end of replay'));
    if (this.#stopRequested()) return;
    // With a backup: a latest file that cannot be read later still has this one to fall back on.
    this.#snapshot('start', true);
    const symbols = new Set(enabled.flatMap((s) => s.symbols)).size;
    this.#notifier.notify({
      priority: AlertPriority.Info,
      text:
        `🚀 Daemon started (${venue.name}${restored === null ? '' : `, restored from ${restored.snapshot.timestamp}`}): ${enabled.length} strategies on ${symbols} symbols` +
        `${external.length > 0 && !config.alpaca.accept_external ? '; entries wait (unexplained positions)' : ''}${this.#changes.length === 0 ? '' : `\nConfiguration changed: ${this.#changes.join('; ')}`}` +
        liveStartNote(this.#o.live),
    });
    // A close missed while the daemon was down is handled now, once. No grace here: the catch-up is
    // done, and on a fresh start a close the warm-up ended on (the replay's, or a start just after the
    // bell) is only noted, not reported at the next session's first bar.
    this.#closeSessions(venue.clock.now());
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
    this.#venue.stopIntake();
    // Started after the control socket: stopped before it.
    await this.#dashboard?.stop();
    await this.#control?.stop();
    await this.#alerts?.stopCommands();
    for (const t of this.#timers.splice(0)) t.cancel();
    this.#saveSoon?.cancel();
    this.#accountSoon?.cancel();
    this.#core?.execution.halt();
    // The account as the venue has it now, for the final state file.
    if (this.#ready) await this.#refreshedAccount();
    // The venue stops booking before the ledgers stop listening (the runners book fills): a fill
    // heard in between would be in the venue's saved books, or gone from them and from the orders
    // in flight once its order is done, but in no ledger, and a restart would never book it.
    this.#venue.stopBooking();
    this.#core?.runner.stop();
    this.#core?.execution.stop();
    // A start that failed half way (a restore that did not reconcile…) must not overwrite the good state.
    if (this.#ready) {
      this.#logPnl('final');
      this.#snapshot('stop', true);
    }
    await this.#alerts?.close(reason, this.#ready ? (this.#core?.portfolio ?? null) : null);
    this.#venue.close();
    this.#state = 'stopped';
    this.#log.info('stopped');
  }

  /**
   * The dashboard, /healthz and /metrics, when configured. A port already taken does not stop the
   * daemon (trading matters more than its page): logged and alerted, and the daemon runs without it.
   */
  async #startDashboard(core: TradingCore): Promise<void> {
    const settings = this.#o.dashboard ?? null;
    if (settings === null) return;
    const readiness = this.#o.readiness;
    const dashboard = new DashboardServer({ settings, source: this.#dashboardSource(core), clock: this.#o.wallClock, logger: this.#o.logger, ...(readiness === undefined ? {} : { readiness }) });
    try {
      await dashboard.start();
      this.#dashboard = dashboard;
    } catch (error) {
      await dashboard.stop();
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === 'EADDRINUSE' ? `port ${settings.port} on ${settings.host} is already in use (another daemon?); choose another dashboard.port` : code === 'EADDRNOTAVAIL' ? `${settings.host} is not an address of this machine (dashboard.host)` : code === 'EACCES' ? `port ${settings.port} needs privileges (choose dashboard.port above 1023)` : String(error);
      this.#log.error({ err: error, host: settings.host, port: settings.port }, `dashboard not started: ${why}; the daemon trades on without it`);
      this.#notifier?.notify({ priority: AlertPriority.Error, text: `⚠️ Dashboard not started: ${why}` });
    }
  }

  /** What the dashboard reads of this daemon. */
  #dashboardSource(core: TradingCore): DashboardSource {
    const venue = this.#venue;
    return {
      mode: venue.mode,
      venueName: venue.name,
      runId: this.#runId,
      bus: core.bus,
      phase: () => (this.#state !== 'running' ? DaemonPhase.Stopping : this.#ready ? DaemonPhase.Running : DaemonPhase.Starting),
      snapshot: () => (this.#ready && this.#state === 'running' ? this.#build() : null),
      health: () => venue.health(),
      curves: () => ({ total: core.portfolio.curve().samples(), strategies: Object.fromEntries(core.runner.runners.map((r) => [r.id, core.portfolio.curve(r.id).samples()])) }),
      lastBarTime: () => this.#lastBarTime,
      outboxPending: () => this.#alerts?.notifier.pending ?? null,
      control: (words, by) => this.#commands?.run(words, by) ?? null,
    };
  }

  /** The notifier, each alert also shown on the dashboard (when it runs). */
  #withDashboard(notifier: Notifier): Notifier {
    const show = (a: Alert): void => this.#dashboard?.alert(a);
    return {
      notify: (a) => {
        show(a);
        notifier.notify(a);
      },
      notifyPhoto: (a, png) => {
        show(a);
        notifier.notifyPhoto(a, png);
      },
      close: () => notifier.close(),
    };
  }

  /** Whether a stop came while start() was still running (it then starts nothing more; the stop saved nothing). */
  #stopRequested(): boolean {
    if (this.#state === 'running') return false;
    this.#log.info('a stop came while starting: the start goes no further');
    return true;
  }

  /** The state put back into the core, fitted to the configuration; what the venue needs of it. */
  #restore(core: TradingCore, restored: LoadedSnapshot): { loaded: LoadedSnapshot; state: EngineState } {
    const venue = this.#venue;
    const capitals = (caps: readonly number[]): number => caps.reduce((a, c) => a + c, 0);
    const fitted = restoreState({
      core,
      venue: null,
      loaded: restored,
      strategies: enabledStrategies(this.#o.config),
      configFile: this.#o.configFile ?? 'the configuration',
      time: restored.snapshot.engine.lastBarTime ?? venue.clock.now(),
      // A version-2 file (offline): the account's starting cash less the capitals it was saved with.
      unallocatedCash: (saved) => (venue.startingCash === null ? null : venue.startingCash - capitals(Object.values(saved.runners).map((r) => r.ledger.capital))),
      log: this.#log,
    });
    const e = fitted.state;
    for (const [symbol, t] of Object.entries(e.lastBarTimes)) this.#lastBarTimes.set(symbol, t);
    for (const [id, n] of Object.entries(e.fills)) this.#fills.set(id, n);
    this.#lastBarTime = e.lastBarTime;
    // A state file from before closes were recorded: its last bar tells which closes it had seen.
    this.#lastClose = e.lastClose ?? (e.lastBarTime === null ? null : (lastClosedSession(this.#venue.calendar, e.lastBarTime)?.date ?? null));
    this.#flows = [...e.capitalFlows];
    this.#changes = fitted.changes;
    if (fitted.fresh.length > 0) this.#log.warn({ strategies: fitted.fresh }, `not in the restored state, starting fresh: ${fitted.fresh.join(', ')}`);
    this.#log.info(
      { file: restored.file, snapshotTime: restored.snapshot.timestamp, marketTime: e.lastBarTime === null ? null : new Date(e.lastBarTime).toISOString() },
      `restored from ${restored.file} (saved ${restored.snapshot.timestamp}); resuming after ${e.lastBarTime === null ? 'the start' : new Date(e.lastBarTime).toISOString()}`,
    );
    return { loaded: restored, state: e };
  }

  /** What the venue holds that no strategy's books explain: accepted (alpaca.accept_external) or entries wait. */
  #reportExternal(external: readonly string[]): void {
    if (external.length === 0) {
      this.#log.info('books reconciled with the broker: every position and open order is explained');
      return;
    }
    const text = `the broker holds what no strategy's books explain: ${external.join('; ')}`;
    if (this.#o.config.alpaca.accept_external) {
      this.#log.warn({ external }, `${text}; accepted (alpaca.accept_external): left alone, outside every strategy`);
      return;
    }
    this.#log.error({ external }, `entries wait: ${text}; resolve it in the Alpaca dashboard (or set alpaca.accept_external) and restart`);
    this.#notifier?.notify({ priority: AlertPriority.Error, text: `❌ Entries wait: ${text}` });
  }

  #onBatch(batch: BarBatch): void {
    // Stopping: no bar reaches the strategies (the runners still book fills until the venue stops).
    if (this.#state !== 'running') return;
    this.#venue.deliver(batch, this.#lastBarTimes);
    this.#lastBarTime = batch.time;
    // Bars are stamped at their end: the session's last bar announces its close.
    this.#closeSessions(batch.time);
    // A fill or a breaker change: saved on the next turn (the orders of this batch are on their way first).
    if (this.#dirty) this.#markDirty();
  }

  /**
   * The latest session closed by `time` and not handled yet: the day's P&L line, the daily summary,
   * then the daily breaker rules re-armed (the summary still shows the day's trips) — once per close,
   * at the close (its last bar, or the wall clock a little after it when no bar came), and once at a
   * restart for a close missed while down. The first close a fresh start sees is only noted: the days
   * before it were not this daemon's.
   */
  #closeSessions(time: number): void {
    const core = this.#core;
    if (core === null || this.#state !== 'running' || !this.#ready) return;
    const session = lastClosedSession(this.#venue.calendar, time);
    if (session === null || (this.#lastClose !== null && session.date <= this.#lastClose)) return;
    const first = this.#lastClose === null;
    this.#lastClose = session.date;
    this.#markDirty();
    if (first) return;
    this.#logPnl(`close of ${session.date}`);
    // The summary's account as the venue has it after the day's last fills (not as of the last refresh).
    if (this.#o.config.notifications.daily_summary) {
      const snapshot = this.#build();
      // The week's last session adds the live checklist, judged from the record saved by then (the close marked it dirty).
      void this.#refreshedAccount().then(() =>
        sendDailySummary(this.#notifier, core, this.#state === 'running' ? this.#build() : snapshot, session.date, this.#o.weeklyEdition?.(session.date) ?? null),
      );
    }
    core.breakers?.endDay(session.close);
    this.#dashboard?.readiness?.sessionClosed();
  }

  /** Asks the venue for its account (at most 2 s); offline it is always current. */
  #refreshedAccount(): Promise<void> {
    return Promise.race([this.#venue.refreshAccount(), new Promise<void>((r) => this.#o.wallClock.setTimeout(r, 2_000))]);
  }

  #logPnl(when: string): void {
    if (this.#core !== null) logPnl(this.#log, this.#core, when, this.#venue.account().equity);
  }

  /** Something changed (a fill, an order, a breaker): the state is saved on the next turn, the account asked again soon after. */
  #markDirty(): void {
    this.#dirty = true;
    // The save after a fill does not wait for the account; the account, asked again soon after, is
    // saved again when it moved, so the state file (status, the dashboard) does not keep books of
    // one moment beside an account of another.
    this.#accountSoon ??= this.#o.wallClock.setTimeout(() => {
      this.#accountSoon = null;
      const before = JSON.stringify(this.#venue.account());
      void this.#venue.refreshAccount().then(() => {
        if (this.#state === 'running' && this.#ready && JSON.stringify(this.#venue.account()) !== before) this.#snapshot('account', false);
      });
    }, 2_000);
    this.#saveSoon ??= this.#o.wallClock.setTimeout(() => {
      this.#saveSoon = null;
      if (this.#dirty && this.#ready) this.#snapshot(this.#backupNext ? 'breaker' : 'change', this.#backupNext);
    }, 0);
  }

  /** Saves the state: `latest_state.json` always, a gzipped backup when `backup` (start, interval, a breaker's change, stop). */
  #snapshot(why: string, backup: boolean): void {
    if (this.#core === null) return;
    if (this.#writer.save(this.#build(), why, backup)) {
      this.#dirty = false;
      if (backup) this.#backupNext = false;
      this.#venue.saved();
    } else this.#dirty = true;
  }

  /** The state file's content now. */
  #build(): PortfolioSnapshot {
    const core = this.#core!;
    const venue = this.#venue.save();
    return buildSnapshot({
      engine: {
        ...captureEngineState(core, null, { lastBarTime: this.#lastBarTime, lastBarTimes: this.#lastBarTimes, fills: this.#fills, broker: venue.broker, unallocatedCash: this.#unallocated, capitalFlows: this.#flows, lastClose: this.#lastClose }),
        venue: venue.venue,
      },
      mode: this.#venue.mode,
      runId: this.#runId,
      wallTime: this.#o.wallClock.now(),
      marketTime: this.#lastBarTime,
      runner: core.runner,
      portfolio: core.portfolio,
      brokerAccount: this.#venue.account(),
      fillsByStrategy: this.#fills,
      breakers: core.breakers,
      ...(this.#o.live === undefined ? {} : { live: this.#o.live }),
    });
  }

}
