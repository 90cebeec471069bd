import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Alpaca } from '@alpacahq/alpaca-trade-api';
import type { Logger } from 'pino';
import { AlpacaBroker } from '../broker/alpaca/AlpacaBroker.js';
import { alpacaEndpoints } from '../broker/alpaca/alpacaClient.js';
import { checkAlpacaAccount } from '../broker/alpaca/checkAlpacaAccount.js';
import { RequestBudget } from '../broker/alpaca/RequestBudget.js';
import type { BrokerAccount } from '../broker/Broker.js';
import { breakerLimits, liveBreakerLimits } from '../config/breakerLimits.js';
import type { DaemonConfig } from '../config/configSchema.js';
import type { TelegramEnv } from '../config/env.js';
import type { AlpacaEnv } from '../config/env.js';
import type { Clock, TimerHandle } from '../core/Clock.js';
import { ConfigError } from '../core/errors.js';
import { VenueClock } from '../core/VenueClock.js';
import { ControlCommands } from '../control/ControlCommands.js';
import { assertNotRunning, ControlServer, controlSocketPath } from '../control/ControlServer.js';
import { AlpacaData } from '../market-data/AlpacaData.js';
import { BarAggregator } from '../market-data/BarAggregator.js';
import { PriceGuard, type GuardEvent } from '../market-data/PriceGuard.js';
import { HistoryCache } from '../market-data/HistoryCache.js';
import type { BarBatch } from '../market-data/ReplayFeed.js';
import { nyDateOf } from '../market-data/zonedTime.js';
import type { ErrorLines } from '../logging/ErrorLines.js';
import { commandViews } from '../notify/commandViews.js';
import { EngineAlerts } from './EngineAlerts.js';
import { AlertPriority, type Notifier } from '../notify/Notifier.js';
import { SnapshotStore, type LoadedSnapshot } from '../persistence/SnapshotStore.js';
import { writeFileAtomic } from '../persistence/writeFileAtomic.js';
import { OrderJournal } from '../persistence/OrderJournal.js';
import { AlpacaCalendar, type CalendarDay } from '../risk/calendar/AlpacaCalendar.js';
import type { MarketCalendar } from '../risk/calendar/MarketCalendar.js';
import { StaticNyseCalendar } from '../risk/calendar/StaticNyseCalendar.js';
import { buildSnapshot } from './buildSnapshot.js';
import { StateWriter } from './StateWriter.js';
import type { PortfolioSnapshot } from '../persistence/PortfolioSnapshot.js';
import { openState } from './openState.js';
import { ensureOwnedDirectory } from '../persistence/ensureOwnedDirectory.js';
import { recordRun } from './recordRun.js';
import { buildTradingCore, type TradingCore } from './buildTradingCore.js';
import { logPnl, sendDailySummary, wireEngineEvents } from './engineEvents.js';
import { captureEngineState } from './engineState.js';
import { restoreState } from './restoreState.js';
import type { EngineState } from '../persistence/engineStateSchema.js';
import { requestOfJournalEntry } from '../persistence/OrderJournal.js';
import { reconcileWithBroker } from './reconcileWithBroker.js';
import { enabledStrategies } from './StrategySpec.js';
import { parseClientOrderId, runStartedAt, sentAfterState } from '../execution/clientOrderId.js';
import { deliverBatch } from './deliverBatch.js';

export interface AlpacaEngineOptions {
  readonly config: DaemonConfig;
  readonly env: AlpacaEnv;
  readonly logger: Logger;
  readonly wallClock: Clock;
  readonly breakerLog?: Logger;
  readonly restore?: boolean;
  /** The Telegram bot for alerts; null or omitted: alerts go to the log. */
  readonly telegram?: TelegramEnv | null;
  /** Error-level log lines, alerted (throttled) when `notifications.telegram_on_any_error`. */
  readonly errorLines?: ErrorLines;
  /** The configuration's file name, for messages. */
  readonly configFile?: string;
}

const DAY = 86_400_000;

/**
 * The composition root of the Alpaca mode (paper, live, or the local emulator): the same core as
 * offline (runners, RiskGate, ExecutionService, breakers, ledgers), with AlpacaBroker and AlpacaData
 * at its edges and the venue's clock. Start-up is crash recovery: restore the state, reconcile the
 * books with the broker's positions and open orders, warm up on history, then trade.
 */
export class AlpacaTradingEngine {
  readonly #o: AlpacaEngineOptions;
  readonly #log: Logger;
  readonly #runId: string;
  readonly #store: SnapshotStore;
  readonly #writer: StateWriter;
  readonly #journal: OrderJournal;
  #calendar: MarketCalendar = new StaticNyseCalendar();
  #core: TradingCore | null = null;
  #broker: AlpacaBroker | null = null;
  #data: AlpacaData | null = null;
  #clock: VenueClock | null = null;
  #control: ControlServer | null = null;
  #alerts: EngineAlerts | null = null;
  #notifier: Notifier | null = null;
  #aggregator: BarAggregator | null = null;
  #guard: PriceGuard | null = null;
  readonly #timers: TimerHandle[] = [];
  #account: BrokerAccount | null = null;
  /** Why entries wait (unexplained positions at the broker), null when the books are trusted. */
  #blocked: string | null = null;
  #lastBarTime: number | null = null;
  readonly #lastBarTimes = new Map<string, number>();
  readonly #fills = new Map<string, number>();
  /** Capital moved into or out of strategies by configuration changes, for the state file. */
  #flows: EngineState['capitalFlows'] = [];
  /** What the configuration changed at this restore (for the start alert). */
  #changes: readonly string[] = [];
  #dirty = false;
  #saveSoon: TimerHandle | null = null;
  #accountSoon: TimerHandle | null = null;
  #ready = false;
  #state: 'new' | 'running' | 'stopping' | 'stopped' = 'new';
  #stopped: Promise<void> | null = null;

  constructor(o: AlpacaEngineOptions) {
    this.#o = o;
    this.#log = o.logger.child({ component: 'engine' });
    this.#runId = o.wallClock.now().toString(36);
    this.#store = new SnapshotStore(o.config.state.dir, o.config.state.max_backups);
    this.#writer = new StateWriter({ store: this.#store, wallClock: o.wallClock, log: this.#log, notifier: () => this.#notifier });
    this.#journal = new OrderJournal(join(o.config.state.dir, 'orders_journal.jsonl'));
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
    const { config, env, logger, wallClock } = this.#o;
    const enabled = enabledStrategies(config);
    const symbols = [...new Set(enabled.flatMap((s) => s.symbols))].sort();
    const socket = controlSocketPath(config.state.dir);
    // The owner's own directory (0700), never a link or someone else's: refused before anything is written in it.
    ensureOwnedDirectory(config.state.dir, 'state.dir');
    await assertNotRunning(socket);

    const endpoints = alpacaEndpoints(env);
    const account = await checkAlpacaAccount(endpoints.client, env);
    const allocated = enabled.reduce((a, s) => a + s.capital, 0);
    if (allocated > account.equity + 1e-6) throw new ConfigError(`strategies[].capital_allocation: the strategies are given $${allocated.toFixed(2)} in all, more than the account's equity $${account.equity.toFixed(2)}`);
    this.#account = { cash: account.cash, equity: account.equity, buyingPower: account.buyingPower };
    const venueClock = await endpoints.client.trading.clock.legacyClock();
    const clock = new VenueClock(wallClock, venueClock.timestamp.getTime());
    this.#clock = clock;
    this.#log.info({ account: account.accountNumber, equity: account.equity, venueTime: venueClock.timestamp.toISOString(), marketOpen: venueClock.isOpen }, `Alpaca account ${account.accountNumber}: equity $${account.equity.toFixed(2)}, buying power $${account.buyingPower.toFixed(2)}; market ${venueClock.isOpen ? 'open' : 'closed'}`);

    this.#calendar = await this.#loadCalendar(endpoints.client, clock.now());
    const restored = this.#openState();
    const runs = recordRun(config.state.dir, restored, this.#runId, this.#log);
    const budget = new RequestBudget(wallClock, config.alpaca.requests_per_minute);
    const broker = new AlpacaBroker({ client: endpoints.client, tradeStreamUrl: endpoints.tradeStreamUrl, budget, clock: wallClock, log: logger.child({ component: 'broker' }) });
    this.#broker = broker;
    const core = buildTradingCore({
      strategies: enabled,
      broker,
      clock,
      runId: this.#runId,
      runs,
      maxPositionPct: config.risk.max_position_pct,
      maxOrderPct: config.risk.max_order_pct,
      estimateCommission: () => 0,
      logger,
      calendar: this.#calendar,
      breakers: env.live && config.live !== undefined ? liveBreakerLimits(config, config.live) : breakerLimits(config),
      accountBuyingPower: () => this.#account?.buyingPower ?? null,
      venueNotReady: () => (broker.connected ? this.#blocked : 'the trade-updates stream is down'),
    });
    this.#core = core;
    const alerts = new EngineAlerts({ telegram: this.#o.telegram ?? null, stateDir: config.state.dir, onAnyError: config.notifications.telegram_on_any_error, errorLines: this.#o.errorLines, wallClock, logger });
    this.#alerts = alerts;
    this.#notifier = alerts.notifier;
    wireEngineEvents(core, {
      logger,
      breakerLog: this.#o.breakerLog,
      notifier: () => this.#notifier,
      telegramOnAllTrades: config.notifications.telegram_on_all_trades,
      onChange: () => this.#markDirty(),
      onFill: (id) => this.#fills.set(id, (this.#fills.get(id) ?? 0) + 1),
    });
    // The client order id is in the order journal before the POST leaves (one write, no snapshot on
    // the order path), and in the fsynced state file just after: after a crash, the order is looked
    // up by it and its fills booked, never mistaken for someone else's.
    core.bus.on('order.submitted', ({ request }) => {
      this.#journal.record(request);
      this.#markDirty();
    });
    core.execution.start();
    core.runner.start();

    if (restored === null) this.#journal.clear();
    else {
      const fitted = restoreState({ core, venue: null, loaded: restored, strategies: enabled, configFile: this.#o.configFile ?? 'the configuration', time: clock.now(), unallocatedCash: () => null, log: this.#log });
      const e = fitted.state;
      // Orders sent after the state file was written (the daemon died before the next one): in
      // flight again with their protective exits, and looked up at Alpaca.
      const journaled = this.#journal.read((w) => this.#log.warn(`order journal: ${w}`)).filter((o) => !core.execution.isInFlight(o.clientOrderId));
      for (const entry of journaled) core.execution.adopt(requestOfJournalEntry(entry));
      if (journaled.length > 0) this.#log.warn({ orders: journaled.map((o) => o.clientOrderId) }, `${journaled.length} order(s) sent after the last state file: looked up at Alpaca`);
      for (const [symbol, t] of Object.entries(e.lastBarTimes)) this.#lastBarTimes.set(symbol, t);
      for (const [id, n] of Object.entries(e.fills)) this.#fills.set(id, n);
      this.#lastBarTime = e.lastBarTime;
      this.#flows = [...e.capitalFlows];
      // Held orders were never sent: they stay held, not looked up.
      const data = core.execution.toData();
      const held = new Set(data.held.map((h) => h.request.clientOrderId));
      broker.restore(e.broker ?? { booked: [], legs: [] }, data.inFlight.filter((o) => !held.has(o.clientOrderId)));
      if (fitted.fresh.length > 0) this.#log.warn({ strategies: fitted.fresh }, `not in the restored state, starting fresh: ${fitted.fresh.join(', ')}`);
      this.#changes = fitted.changes;
    }
    // The trade stream first: fills of orders in flight at the last save are caught up before reconciling.
    await broker.start();
    // A stop asked for while starting (a signal, --duration) wins: nothing more is started.
    if (this.#stopRequested()) return;
    // Cancels asked for before a crash may never have reached Alpaca.
    core.execution.resumeCancels();
    if (restored !== null) {
      // Orders the restored file cannot know (it is older than the newest: that one was unreadable,
      // or saves failed before a crash) are read back from Alpaca and booked once.
      const s = restored.snapshot;
      const since = (typeof s.marketTime === 'string' ? Date.parse(s.marketTime) : clock.now() - DAY) - 3_600_000;
      // Only orders of this state directory's runs: another daemon's, with the same strategy names, are not ours.
      const caught = await broker.catchUp(since, (cid) => core.execution.isOurs(cid) && sentAfterState(cid, s.runId, s.engine.execution.seq));
      if (caught > 0) this.#log.warn({ orders: caught, stateFile: restored.file }, `${caught} order(s) sent after ${restored.file} was written: read back from Alpaca and booked`);
      if (this.#stopRequested()) return;
    }
    broker.onConnectionChange((up) => {
      if (this.#state !== 'running') return;
      this.#notifier?.notify(
        up
          ? { priority: AlertPriority.Info, text: '✅ Trade-updates stream back; orders caught up over REST; entries allowed again' }
          : { priority: AlertPriority.Error, text: '⚠️ Trade-updates stream down: no new entries until it is back (exits still go)' },
      );
    });
    const external = [...(await this.#otherRuns(broker, core, new Set(enabled.map((x) => x.id)), clock.now())), ...reconcileWithBroker(core, await broker.getPositions(), await broker.getOpenOrders())];
    if (external.length > 0) {
      const text = `the broker holds what no strategy's books explain: ${external.join('; ')}`;
      if (config.alpaca.accept_external) this.#log.warn({ external }, `${text}; accepted (alpaca.accept_external): left alone, outside every strategy`);
      else {
        this.#blocked = `${text}; resolve it in the Alpaca dashboard (or set alpaca.accept_external) and restart`;
        this.#log.error({ external }, `entries wait: ${this.#blocked}`);
        this.#notifier.notify({ priority: AlertPriority.Error, text: `❌ Entries wait: ${text}` });
      }
    } else this.#log.info('books reconciled with the broker: every position and open order is explained');

    if (this.#stopRequested()) return;
    if (core.breakers !== null) {
      const control = new ControlServer(socket, new ControlCommands(core.breakers, clock, core.flatten), logger.child({ component: 'control' }));
      await control.start();
      this.#control = control;
      alerts.startCommands(core.breakers, clock, commandViews(() => this.#build()));
    }

    const data = new AlpacaData({
      client: endpoints.client,
      streamUrl: endpoints.dataStreamUrl,
      feed: env.feed,
      calendar: this.#calendar,
      clock: wallClock,
      log: logger.child({ component: 'market_data' }),
      now: () => clock.now(),
      // Beside the state directory: data_cache/history/<feed>/ by default.
      cache: new HistoryCache(join(dirname(config.state.dir), 'history', env.feed)),
    });
    this.#data = data;
    this.#aggregator = new BarAggregator(config.data.timeframe, this.#calendar);
    const now = clock.now();
    // Indicators are not saved: after a restart they re-learn the whole history, like at a first start.
    const from = now - config.data.history_days * DAY;
    // History and live bars alike pass the jump check, in time order, so it knows each symbol's last price.
    const guard = new PriceGuard(config.data.max_bar_move_pct, (e) => this.#onGuard(e));
    this.#guard = guard;
    const warm = (config.data.timeframe.unit === 'Day' ? await data.warmUp(symbols, '1Day', from, now) : await data.warmUp(symbols, '1Min', from, now - 60_000)).filter((b) => guard.accept(b));
    const history = config.data.timeframe.unit === 'Day' ? warm : warm.flatMap((b) => this.#aggregator!.push(b));
    if (this.#stopRequested()) return;
    core.runner.warmUp(history);
    const lastHistory = warm[warm.length - 1]?.time ?? null;
    this.#lastBarTime = lastHistory === null ? this.#lastBarTime : Math.max(lastHistory, this.#lastBarTime ?? 0);
    this.#log.info({ bars: history.length, requests: data.requests, symbols }, `warm-up done on ${history.length} bars (${data.requests} history requests)`);

    this.#ready = true;
    this.#timers.push(wallClock.setInterval(() => this.#snapshot('interval', true), config.state.snapshot_interval_s * 1000));
    this.#timers.push(wallClock.setInterval(() => void this.#refreshAccount(), 30_000));
    if (this.#stopRequested()) return;
    await data.start(symbols, this.#lastBarTime ?? now, (batch) => this.#onBatch(batch), (gap) => {
      core.bus.emit('data.gap', gap);
      this.#notifier?.notify({ priority: AlertPriority.Error, text: `⚠️ Market data gap ${new Date(gap.from).toISOString()} → ${new Date(gap.to).toISOString()}: ${gap.backfilled} bars backfilled` });
    });
    if (this.#stopRequested()) {
      data.stop();
      return;
    }
    // With a backup: a latest file that cannot be read later still has this one to fall back on.
    this.#snapshot('start', true);
    this.#notifier.notify({
      priority: AlertPriority.Info,
      text: `🚀 Daemon started on Alpaca ${env.live ? 'LIVE' : 'paper'}${restored === null ? '' : ` (restored from ${restored.snapshot.timestamp})`}: ${enabled.length} strategies on ${symbols.length} symbols${this.#blocked === null ? '' : '; entries wait (unexplained positions)'}${this.#changes.length === 0 ? '' : `\nConfiguration changed: ${this.#changes.join('; ')}`}`,
    });
    this.#log.info({ strategies: enabled.map((s) => s.id), symbols }, `trading on Alpaca (${env.baseUrl}): ${enabled.length} strategies, ${symbols.length} symbols`);
  }

  /** Whether a stop came while start() was still running (it then stops starting things; the stop saved nothing). */
  #stopRequested(): boolean {
    if (this.#state === 'running') return false;
    this.#log.info('a stop came while starting: the start goes no further');
    return true;
  }

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
    this.#data?.stop();
    await this.#control?.stop();
    await this.#alerts?.stopCommands();
    for (const t of this.#timers.splice(0)) t.cancel();
    this.#saveSoon?.cancel();
    this.#accountSoon?.cancel();
    this.#core?.execution.halt();
    // The account as the broker has it now, for the final state file.
    if (this.#ready) await Promise.race([this.#refreshAccount(), new Promise<void>((r) => this.#o.wallClock.setTimeout(r, 2_000))]);
    // The broker stops booking before the ledgers stop listening (the runners book fills): a fill
    // heard in between would be in the broker's saved books, or gone from them and from the orders
    // in flight once its order is done, but in no ledger, and a restart would never book it.
    this.#broker?.stop();
    this.#core?.runner.stop();
    this.#core?.execution.stop();
    if (this.#ready) {
      if (this.#core !== null) logPnl(this.#log, this.#core, 'final', this.#account?.equity ?? null);
      this.#snapshot('stop', true);
    }
    await this.#alerts?.close(reason, this.#ready ? (this.#core?.portfolio ?? null) : null);
    this.#journal.close();
    this.#state = 'stopped';
    this.#log.info('stopped');
  }

  #onBatch(batch: BarBatch): void {
    // Stopping: no bar reaches the strategies (the runners still book fills until the broker stops).
    if (this.#state !== 'running') return;
    const core = this.#core!;
    const previous = this.#lastBarTime;
    this.#clock!.sync(batch.time);
    const bars = batch.bars.filter((b) => this.#guard!.accept(b));
    deliverBatch(core, this.#aggregator!, bars.length === batch.bars.length ? batch : { time: batch.time, bars }, this.#lastBarTimes);
    this.#lastBarTime = batch.time;
    if (previous !== null && nyDateOf(previous) !== nyDateOf(batch.time)) {
      logPnl(this.#log, core, `close of ${nyDateOf(previous)}`, this.#account?.equity ?? null);
      if (this.#o.config.notifications.daily_summary) sendDailySummary(this.#notifier, core, this.#build(), nyDateOf(previous));
    }
    // Saved on the next turn: the orders of this minute are on the wire first.
    if (this.#dirty) this.#markDirty();
  }

  /** A symbol quarantined by the jump check, or back: logged and told to the owner. */
  #onGuard(e: GuardEvent): void {
    const at = (t: number): string => new Date(t).toISOString();
    if (e.kind === 'quarantined') {
      const text = `${e.symbol} quarantined: the bar of ${at(e.bar.time)} (O ${e.bar.open} H ${e.bar.high} L ${e.bar.low} C ${e.bar.close}) is ${(e.move * 100).toFixed(1)}% from the last price $${e.reference}; its bars are held back until prices confirm`;
      this.#log.error({ symbol: e.symbol, bar: e.bar, reference: e.reference, move: e.move }, text);
      this.#notifier?.notify({ priority: AlertPriority.Risk, text: `⚠️ ${text}` });
    } else {
      const text = e.why === 'back' ? `${e.symbol} released: prices are back near $${e.reference}; ${e.dropped} bar(s) that jumped were dropped as bad data` : `${e.symbol} released: the new level $${e.reference} is confirmed by ${e.dropped + 1} bars in a row; trading goes on from there`;
      this.#log.warn({ symbol: e.symbol, why: e.why, dropped: e.dropped }, text);
      this.#notifier?.notify({ priority: AlertPriority.Risk, text: `✅ ${text}` });
    }
  }

  /**
   * Orders of the last day named like ours (a strategy of this configuration) but of a run this state
   * directory never made: another daemon trading on the same account, or runs whose state a fresh
   * start archived. Their orders are not booked; they are reported, one line per run.
   */
  async #otherRuns(broker: AlpacaBroker, core: TradingCore, strategies: ReadonlySet<string>, now: number): Promise<string[]> {
    let recent: Awaited<ReturnType<AlpacaBroker['recentOrders']>>;
    try {
      recent = await broker.recentOrders(now - DAY);
    } catch (error) {
      this.#log.warn({ err: error }, 'could not list the last day of orders to look for another daemon on the account');
      return [];
    }
    const runs = new Map<string, number>();
    for (const o of recent) {
      const p = parseClientOrderId(o.clientOrderId);
      if (p === null || !strategies.has(p.strategyId) || core.execution.isOurs(o.clientOrderId)) continue;
      runs.set(p.run, (runs.get(p.run) ?? 0) + 1);
    }
    return [...runs].map(([run, n]) => `${n} order(s) of the last day name strategies of this configuration but run ${run} (started ${runStartedAt(run) ?? 'at an unknown time'}), which this state directory never made: another daemon on this account, or a run whose state was archived; they are not this daemon's`);
  }

  /**
   * Alpaca's sessions from the warm-up's first day to two months ahead (holidays, early closes),
   * kept in the state directory: a restart that cannot reach /v2/calendar uses the saved copy, and
   * without either the static NYSE calendar answers.
   */
  async #loadCalendar(client: Alpaca, now: number): Promise<MarketCalendar> {
    const file = join(this.#o.config.state.dir, 'alpaca_calendar.json');
    const fallback = new StaticNyseCalendar();
    try {
      const days = await client.trading.calendar.legacyCalendar({ start: new Date(now - (this.#o.config.data.history_days + 10) * DAY), end: new Date(now + 60 * DAY) });
      const list: CalendarDay[] = days.map((d) => ({ date: d.date instanceof Date ? d.date.toISOString().slice(0, 10) : String(d.date), open: String(d.open), close: String(d.close) }));
      const calendar = new AlpacaCalendar(list, fallback);
      writeFileAtomic(file, `${JSON.stringify(list)}\n`);
      return calendar;
    } catch (error) {
      this.#log.warn({ err: error }, `GET /v2/calendar failed; using ${existsSync(file) ? file : 'the static NYSE calendar'}`);
      if (!existsSync(file)) return fallback;
      return new AlpacaCalendar(JSON.parse(readFileSync(file, 'utf8')) as CalendarDay[], fallback);
    }
  }

  /** The broker's account (cash, equity, buying power) for the buying-power rule and the state file. */
  async #refreshAccount(): Promise<void> {
    try {
      this.#account = (await this.#broker?.getAccount()) ?? this.#account;
    } catch (error) {
      this.#log.warn({ err: error }, 'account refresh failed');
    }
  }

  /** Fills arrive between bars: the state is saved at once (on the next turn of the event loop), the account soon after. */
  #markDirty(): void {
    this.#dirty = true;
    this.#accountSoon ??= this.#o.wallClock.setTimeout(() => {
      this.#accountSoon = null;
      void this.#refreshAccount();
    }, 2_000);
    this.#saveSoon ??= this.#o.wallClock.setTimeout(() => {
      this.#saveSoon = null;
      if (this.#dirty && this.#ready) this.#snapshot('change', false);
    }, 0);
  }

  #snapshot(why: string, backup: boolean): void {
    if (this.#core === null) return;
    if (this.#writer.save(this.#build(), why, backup)) {
      this.#dirty = false;
      // The state file holds every order sent so far.
      this.#journal.clear();
    } else this.#dirty = true;
  }

  /** The state file's content now. */
  #build(): PortfolioSnapshot {
    const core = this.#core!;
    return buildSnapshot({
      engine: captureEngineState(core, null, { lastBarTime: this.#lastBarTime, lastBarTimes: this.#lastBarTimes, fills: this.#fills, broker: this.#broker?.toData() ?? null, unallocatedCash: null, capitalFlows: this.#flows }),
      mode: 'alpaca',
      runId: this.#runId,
      wallTime: this.#o.wallClock.now(),
      marketTime: this.#lastBarTime,
      runner: core.runner,
      portfolio: core.portfolio,
      brokerAccount: this.#account ?? { cash: 0, equity: 0, buyingPower: 0 },
      fillsByStrategy: this.#fills,
      breakers: core.breakers,
    });
  }




  #openState(): LoadedSnapshot | null {
    return openState(this.#store, this.#o.restore === true, 'alpaca', this.#o.wallClock.now(), this.#log);
  }

}
