import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Alpaca } from '@alpacahq/alpaca-trade-api';
import type { Logger } from 'pino';
import { AlpacaBroker } from '../../broker/alpaca/AlpacaBroker.js';
import { alpacaEndpoints } from '../../broker/alpaca/alpacaClient.js';
import { checkAlpacaAccount } from '../../broker/alpaca/checkAlpacaAccount.js';
import { readPatiently, type Patience } from '../../broker/alpaca/readPatiently.js';
import { RequestBudget } from '../../broker/alpaca/RequestBudget.js';
import type { BrokerAccount } from '../../broker/Broker.js';
import { breakerLimits, liveBreakerLimits } from '../../config/breakerLimits.js';
import type { DaemonConfig } from '../../config/configSchema.js';
import type { AlpacaEnv } from '../../config/env.js';
import type { Bar } from '../../core/Bar.js';
import type { Clock, TimerHandle } from '../../core/Clock.js';
import { ConfigError } from '../../core/errors.js';
import { VenueClock } from '../../core/VenueClock.js';
import { parseClientOrderId, runStartedAt, sentAfterState } from '../../execution/clientOrderId.js';
import { AlpacaData, type DataGap } from '../../market-data/AlpacaData.js';
import { BarAggregator } from '../../market-data/BarAggregator.js';
import { HistoryCache } from '../../market-data/HistoryCache.js';
import { PriceGuard, type GuardEvent } from '../../market-data/PriceGuard.js';
import { historyMinutes, sessionsBetween, warmUpTimeframe } from '../../market-data/warmUpTimeframe.js';
import type { BarBatch } from '../../market-data/ReplayFeed.js';
import { missingMinutes } from '../../market-data/missingMinutes.js';
import { AlertPriority } from '../../notify/Notifier.js';
import type { EngineState } from '../../persistence/engineStateSchema.js';
import { OrderJournal, requestOfJournalEntry } from '../../persistence/OrderJournal.js';
import { JOURNAL, type LoadedSnapshot } from '../../persistence/SnapshotStore.js';
import { writeFileAtomic } from '../../persistence/writeFileAtomic.js';
import { AlpacaCalendar, type CalendarDay } from '../../risk/calendar/AlpacaCalendar.js';
import type { MarketCalendar } from '../../risk/calendar/MarketCalendar.js';
import { StaticNyseCalendar } from '../../risk/calendar/StaticNyseCalendar.js';
import { deliverBatch } from '../deliverBatch.js';
import { reconcileWithBroker } from '../reconcileWithBroker.js';
import type { StrategySpec } from '../StrategySpec.js';
import { dataNotices } from './dataNotices.js';
import { FeedState, type Venue, type VenueContext, type VenueHealth } from './Venue.js';

const DAY = 86_400_000;

/**
 * Alpaca (paper, live, or the local emulator) as the engine's venue: the connection (the official
 * SDK's REST client, the trade-updates and market-data streams, the request budget, reconnection)
 * and what the engine needs of it. Orders go through AlpacaBroker, each journaled before its POST;
 * bars come from AlpacaData (history for the warm-up, then one live minute at a time, gaps
 * backfilled), pass the price jump check, and are aggregated to the strategies' timeframe.
 */
export class AlpacaStore implements Venue {
  readonly mode = 'alpaca' as const;
  readonly name: string;
  readonly startingCash = null;
  readonly breakers: Venue['breakers'];
  readonly estimateCommission = (): number => 0;
  readonly #config: DaemonConfig;
  /** The last bar the restored strategies saw (null on a fresh start). */
  #resumeAfter: number | null = null;
  /** Minutes missing from Alpaca's history since then, alerted once trading starts. */
  readonly #missing: DataGap[] = [];
  readonly #env: AlpacaEnv;
  readonly #wallClock: Clock;
  readonly #logger: Logger;
  readonly #log: Logger;
  readonly #client: Alpaca;
  readonly #endpoints: ReturnType<typeof alpacaEndpoints>;
  readonly #journal: OrderJournal;
  readonly #budget: RequestBudget;
  readonly broker: AlpacaBroker;
  #clock: VenueClock | null = null;
  calendar: MarketCalendar = new StaticNyseCalendar();
  #ctx: VenueContext | null = null;
  #account: BrokerAccount | null = null;
  #symbols: string[] = [];
  /** Why entries wait (unexplained positions at the broker), null when the books are trusted. */
  #blocked: string | null = null;
  #data: AlpacaData | null = null;
  #aggregator: BarAggregator | null = null;
  #guard: PriceGuard | null = null;
  #refreshTimer: TimerHandle | null = null;
  /** Times the trade-updates stream came back after it went down. */
  #tradeReconnects = 0;
  #tradeWasUp = false;

  constructor(o: { config: DaemonConfig; env: AlpacaEnv; wallClock: Clock; logger: Logger }) {
    this.#config = o.config;
    this.#env = o.env;
    this.#wallClock = o.wallClock;
    this.#logger = o.logger;
    this.#log = o.logger.child({ component: 'alpaca' });
    this.name = `Alpaca ${o.env.live ? 'LIVE' : 'paper'}`;
    this.breakers = o.env.live && o.config.live !== undefined ? liveBreakerLimits(o.config, o.config.live) : breakerLimits(o.config);
    this.#endpoints = alpacaEndpoints(o.env);
    this.#client = this.#endpoints.client;
    this.#journal = new OrderJournal(join(o.config.state.dir, JOURNAL));
    this.#budget = new RequestBudget(o.wallClock, o.config.alpaca.requests_per_minute);
    this.broker = new AlpacaBroker({ client: this.#client, tradeStreamUrl: this.#endpoints.tradeStreamUrl, budget: this.#budget, clock: o.wallClock, log: o.logger.child({ component: 'broker' }) });
  }

  get clock(): Clock {
    return this.#clock!;
  }

  /** The account as last read (each refresh is a new object: the buys sent since are not in it yet). */
  readonly accountBuyingPower = (): BrokerAccount | null => this.#account;

  readonly venueNotReady = (): string | null => (this.broker.connected ? this.#blocked : 'the trade-updates stream is down');

  async open(strategies: readonly StrategySpec[]): Promise<void> {
    this.#symbols = [...new Set(strategies.flatMap((s) => s.symbols))].sort();
    // A start waits out a 429 (a burst of restarts) or a 5xx (a blip at Alpaca) on its first reads.
    const patience: Patience = { sleep: (ms) => new Promise((r) => this.#wallClock.setTimeout(r, ms)), log: this.#log, onRateLimit: (ms) => this.#budget.holdFor(ms) };
    const account = await checkAlpacaAccount(this.#client, this.#env, patience);
    const allocated = strategies.reduce((a, s) => a + s.capital, 0);
    if (allocated > account.equity + 1e-6) throw new ConfigError(`strategies[].capital_allocation: the strategies are given $${allocated.toFixed(2)} in all, more than the account's equity $${account.equity.toFixed(2)}`);
    this.#account = { cash: account.cash, equity: account.equity, buyingPower: account.buyingPower };
    const venueClock = await readPatiently(() => this.#client.trading.clock.legacyClock(), patience);
    this.#clock = new VenueClock(this.#wallClock, venueClock.timestamp.getTime());
    this.#log.info({ account: account.accountNumber, equity: account.equity, venueTime: venueClock.timestamp.toISOString(), marketOpen: venueClock.isOpen }, `Alpaca account ${account.accountNumber}: equity $${account.equity.toFixed(2)}, buying power $${account.buyingPower.toFixed(2)}; market ${venueClock.isOpen ? 'open' : 'closed'}`);
    this.calendar = await this.#loadCalendar(this.#clock.now());
  }

  attach(ctx: VenueContext): void {
    this.#ctx = ctx;
    // The order is in the journal before its POST leaves (one write, no snapshot on the order
    // path), and in the fsynced state file just after: after a crash it is looked up, never lost.
    ctx.core.bus.on('order.submitted', ({ request }) => {
      this.#journal.record(request);
      ctx.changed();
    });
    this.broker.onConnectionChange((up) => {
      if (up && this.#tradeWasUp) this.#tradeReconnects++;
      if (up) this.#tradeWasUp = true;
      if (!ctx.running()) return;
      ctx.notify(
        up
          ? { priority: AlertPriority.Info, text: '✅ Trade-updates stream back; orders caught up over REST; entries allowed again' }
          : { priority: AlertPriority.Error, text: '⚠️ Trade-updates stream down: no new entries until it is back (exits still go)' },
      );
    });
  }

  restore(restored: { readonly loaded: LoadedSnapshot; readonly state: EngineState } | null): number | null {
    const core = this.#ctx!.core;
    // A fresh start: the journal of the earlier state is archived with it once the start succeeded.
    if (restored === null) return null;
    this.#resumeAfter = restored.state.lastBarTime;
    // Orders sent after the state file was written (the daemon died before the next one): in
    // flight again with their protective exits, and looked up at Alpaca.
    const journaled = this.#journal.read((w) => this.#log.warn(`order journal: ${w}`)).filter((o) => !core.execution.isInFlight(o.clientOrderId));
    for (const entry of journaled) core.execution.adopt(requestOfJournalEntry(entry));
    if (journaled.length > 0) this.#log.warn({ orders: journaled.map((o) => o.clientOrderId) }, `${journaled.length} order(s) sent after the last state file: looked up at Alpaca`);
    // Held orders were never sent: they stay held, not looked up.
    const data = core.execution.toData();
    const held = new Set(data.held.map((h) => h.request.clientOrderId));
    this.broker.restore(restored.state.broker ?? { booked: [], legs: [] }, data.inFlight.filter((o) => !held.has(o.clientOrderId)));
    return null;
  }

  async connect(restored: LoadedSnapshot | null): Promise<string[]> {
    const ctx = this.#ctx!;
    const core = ctx.core;
    // The trade stream first: fills of orders in flight at the last save are caught up before reconciling.
    await this.broker.start();
    if (!ctx.running()) return [];
    // Cancels asked for before a crash may never have reached Alpaca.
    core.execution.resumeCancels();
    if (restored !== null) {
      // Orders the restored file cannot know (it is older than the newest: that one was unreadable,
      // or saves failed before a crash) are read back from Alpaca and booked once; only orders of
      // this state directory's runs (another daemon's, with the same strategy names, are not ours).
      const s = restored.snapshot;
      const since = (typeof s.marketTime === 'string' ? Date.parse(s.marketTime) : this.clock.now() - DAY) - 3_600_000;
      const caught = await this.broker.catchUp(since, (cid) => core.execution.isOurs(cid) && sentAfterState(cid, s.runId, s.engine.execution.seq));
      if (caught > 0) this.#log.warn({ orders: caught, stateFile: restored.file }, `${caught} order(s) sent after ${restored.file} was written: read back from Alpaca and booked`);
      if (!ctx.running()) return [];
    }
    const strategies = new Set(core.runner.runners.map((r) => r.id));
    const external = [...(await this.#otherRuns(strategies)), ...reconcileWithBroker(core, await this.broker.getPositions(), await this.broker.getOpenOrders())];
    if (external.length > 0 && !this.#config.alpaca.accept_external) {
      this.#blocked = `the broker holds what no strategy's books explain: ${external.join('; ')}; resolve it in the Alpaca dashboard (or set alpaca.accept_external) and restart`;
    }
    return external;
  }

  async warmUp(): Promise<{ bars: readonly Bar[]; lastTime: number | null; note: string }> {
    const config = this.#config;
    const data = new AlpacaData({
      client: this.#client,
      streamUrl: this.#endpoints.dataStreamUrl,
      feed: this.#env.feed,
      calendar: this.calendar,
      clock: this.#wallClock,
      log: this.#logger.child({ component: 'market_data' }),
      now: () => this.clock.now(),
      // Beside the state directory: data_cache/history/<feed>/ by default.
      cache: new HistoryCache(join(dirname(config.state.dir), 'history', this.#env.feed)),
      silenceMs: config.data.silence_minutes * 60_000,
    });
    this.#data = data;
    const aggregator = new BarAggregator(config.data.timeframe, this.calendar);
    this.#aggregator = aggregator;
    // History and live bars alike pass the jump check, in time order, so it knows each symbol's last price.
    const guard = new PriceGuard(config.data.max_bar_move_pct, (e) => this.#onGuard(e));
    this.#guard = guard;
    const now = this.clock.now();
    // Indicators are not saved: after a restart they re-learn the whole history, like at a first start.
    const from = now - config.data.history_days * DAY;
    const daily = config.data.timeframe.unit === 'Day';
    // The coarsest bars that tile the strategies' buckets (30-minute bars for hourly strategies): the
    // same warm-up bars in a fraction of the requests. Only complete ones: the minutes after the last
    // come over REST when the stream starts.
    const tf = daily ? '1Day' : warmUpTimeframe(config.data.timeframe, sessionsBetween(this.calendar, from, now));
    const minutes = historyMinutes(tf);
    const history = await data.warmUp(this.#symbols, tf, from, daily ? now : now - minutes * 60_000);
    // A restart catches up on the minutes since its last bar here: expected, no gap; but a run of
    // minutes with no bar at all in Alpaca's history is data missing, said once trading starts. An
    // N-minute bar covers its N minutes; the check ends where the last complete one may end.
    const resumed = this.#resumeAfter;
    if (!daily && resumed !== null) {
      const ends = new Set<number>();
      for (const b of history) for (let k = 0; k < minutes; k++) ends.add(b.time - k * 60_000);
      const until = minutes === 1 ? now - 3 * 60_000 : Math.floor((now - 3 * 60_000) / (minutes * 60_000)) * minutes * 60_000;
      for (const run of missingMinutes(this.calendar, resumed, until, ends, config.data.silence_minutes)) {
        this.#log.error({ from: new Date(run.from).toISOString(), to: new Date(run.to).toISOString() }, `market data missing while the daemon was down: Alpaca's history has no bar for any symbol from ${new Date(run.from).toISOString()} to ${new Date(run.to).toISOString()}`);
        this.#missing.push({ ...run, backfilled: 0, missing: true });
      }
    }
    const warm = history.filter((b) => guard.accept(b));
    const bars = daily ? warm : warm.flatMap((b) => aggregator.push(b));
    return { bars, lastTime: warm[warm.length - 1]?.time ?? null, note: `warm-up done on ${bars.length} bars (${data.requests} history requests of ${tf} bars)` };
  }

  async start(resumeAfter: number | null, onBatch: (batch: BarBatch) => void): Promise<void> {
    const ctx = this.#ctx!;
    this.#refreshTimer = this.#wallClock.setInterval(() => void this.refreshAccount(), 30_000);
    const notices = dataNotices(ctx, this.#config.data.silence_minutes);
    await this.#data!.start(this.#symbols, resumeAfter ?? this.clock.now(), onBatch, notices);
    // Minutes missing from Alpaca's own history while the daemon was down (its warm-up had them all asked).
    for (const gap of this.#missing.splice(0)) notices.gap(gap);
    if (!ctx.running()) this.#data?.stop();
    else this.#log.info({ symbols: this.#symbols }, `trading on Alpaca (${this.#env.baseUrl}): ${ctx.core.runner.runners.length} strategies, ${this.#symbols.length} symbols`);
  }

  deliver(batch: BarBatch, lastBarTimes: Map<string, number>): boolean {
    this.#clock!.sync(batch.time);
    const bars = batch.bars.filter((b) => this.#guard!.accept(b));
    return deliverBatch(this.#ctx!.core, this.#aggregator!, bars.length === batch.bars.length ? batch : { time: batch.time, bars }, lastBarTimes) > 0;
  }

  account(): BrokerAccount {
    return this.#account ?? { cash: 0, equity: 0, buyingPower: 0 };
  }

  /** The broker's account (cash, equity, buying power) for the buying-power rule and the state file. */
  async refreshAccount(): Promise<void> {
    try {
      this.#account = await this.broker.getAccount();
    } catch (error) {
      this.#log.warn({ err: error }, 'account refresh failed');
    }
  }

  save(): Pick<EngineState, 'venue' | 'broker'> {
    return { venue: null, broker: this.broker.toData() };
  }

  saved(): void {
    // The state file holds every order sent so far.
    this.#journal.clear();
  }

  stopIntake(): void {
    this.#data?.stop();
    this.#refreshTimer?.cancel();
  }

  stopBooking(): void {
    this.broker.stop();
  }

  close(): void {
    this.#journal.close();
  }

  /** Healthy: the trade-updates stream up, and the market-data stream live (before it starts: still connecting). */
  health(): VenueHealth {
    const feed = this.#data?.state ?? FeedState.NotStarted;
    const feedProblem =
      feed === FeedState.Down ? 'the market-data stream is down (reconnecting; missed minutes are backfilled)'
      : feed === FeedState.Silent ? `the market-data stream is silent: no live bar for ${this.#config.data.silence_minutes} minutes or more while the market is open`
      : feed === FeedState.Live ? null
      : `the market-data stream is ${feed}`;
    return {
      broker: this.broker.connected ? null : 'the trade-updates stream is down (no new entries until it is back)',
      feed,
      feedProblem,
      reconnects: { market_data: this.#data?.reconnects ?? 0, trade_updates: this.#tradeReconnects },
      requestBudget: { perMinute: this.#budget.perMinute, available: this.#budget.available, waiting: this.#budget.waiting },
    };
  }

  /** A symbol quarantined by the jump check, or back: logged and told to the owner. */
  #onGuard(e: GuardEvent): void {
    const at = (t: number): string => new Date(t).toISOString();
    if (e.kind === 'quarantined') {
      const text = `${e.symbol} quarantined: the bar of ${at(e.bar.time)} (O ${e.bar.open} H ${e.bar.high} L ${e.bar.low} C ${e.bar.close}) is ${(e.move * 100).toFixed(1)}% from the last price $${e.reference}; its bars are held back until prices confirm`;
      this.#log.error({ symbol: e.symbol, bar: e.bar, reference: e.reference, move: e.move }, text);
      this.#ctx?.notify({ priority: AlertPriority.Risk, text: `⚠️ ${text}` });
    } else {
      const text = e.why === 'back' ? `${e.symbol} released: prices are back near $${e.reference}; ${e.dropped} bar(s) that jumped were dropped as bad data` : `${e.symbol} released: the new level $${e.reference} is confirmed by ${e.dropped + 1} bars in a row; trading goes on from there`;
      this.#log.warn({ symbol: e.symbol, why: e.why, dropped: e.dropped }, text);
      this.#ctx?.notify({ priority: AlertPriority.Risk, text: `✅ ${text}` });
    }
  }

  /**
   * Orders of the last day named like ours (a strategy of this configuration) but of a run this state
   * directory never made: another daemon trading on the same account, or runs whose state a fresh
   * start archived. Their orders are not booked; they are reported, one line per run.
   */
  async #otherRuns(strategies: ReadonlySet<string>): Promise<string[]> {
    const core = this.#ctx!.core;
    let recent: Awaited<ReturnType<AlpacaBroker['recentOrders']>>;
    try {
      recent = await this.broker.recentOrders(this.clock.now() - DAY);
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
  async #loadCalendar(now: number): Promise<MarketCalendar> {
    const file = join(this.#config.state.dir, 'alpaca_calendar.json');
    const fallback = new StaticNyseCalendar();
    try {
      const days = await this.#client.trading.calendar.legacyCalendar({ start: new Date(now - (this.#config.data.history_days + 10) * DAY), end: new Date(now + 60 * DAY) });
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
}
