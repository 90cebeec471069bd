import { errors as sdkErrors, type Alpaca, type streaming } from '@alpacahq/alpaca-trade-api';
import type { Logger } from 'pino';
import type { Bar } from '../core/Bar.js';
import type { Clock, TimerHandle } from '../core/Clock.js';
import { BrokerPayloadError } from '../core/errors.js';
import type { MarketCalendar } from '../risk/calendar/MarketCalendar.js';
import { HISTORY_ADJUSTMENT, type HistoryCache } from './HistoryCache.js';
import type { BarBatch } from './ReplayFeed.js';
import { barProblem } from './barProblem.js';
import { FeedWatchdog } from './FeedWatchdog.js';
import { missingMinutes } from './missingMinutes.js';
import { historyMinutes, type HistoryTimeframe } from './warmUpTimeframe.js';
import { nyDateOf } from './zonedTime.js';

const MINUTE = 60_000;

export interface AlpacaDataOptions {
  readonly client: Alpaca;
  /** The stock stream URL of the feed (`wss://stream.data.alpaca.markets/v2/iex`). */
  readonly streamUrl: string;
  readonly feed: 'iex' | 'sip';
  readonly calendar: MarketCalendar;
  /** Wall-clock time: how long a minute's batch waits for late symbols, reconnect waits. */
  readonly clock: Clock;
  readonly log: Logger;
  /** Wall milliseconds a minute's batch waits for the symbols that have not reported (default 1500). */
  readonly batchWaitMs?: number;
  /** The venue's time now (bars after it are not asked for). */
  readonly now: () => number;
  /** Keeps warm-up history on disk, so a restart fetches only what came since; omitted: no cache. */
  readonly cache?: HistoryCache;
  /**
   * Market milliseconds without a live bar, while the market is open, that make the stream silent
   * (`data.silence_minutes`; default 3 minutes); also the shortest run of minutes with no bar for any
   * symbol in the broker's own history that is reported as missing data.
   */
  readonly silenceMs?: number;
  /** Wall milliseconds the start waits for the stream's authentication (default 30 s). */
  readonly authWaitMs?: number;
}

/** Bars younger than this may still be revised (late trades): they are fetched again next time, not cached as final. */
const SETTLED_MS = 15 * MINUTE;

/**
 * A hole in the live minutes, filled over REST before the strategies saw anything later; or, with
 * `missing`, minutes the broker's own history has no bar for (nothing could fill them).
 */
export interface DataGap {
  readonly from: number;
  readonly to: number;
  readonly backfilled: number;
  readonly missing?: true;
}

/** What the owner hears of the feed. */
export interface DataNotices {
  /** Minutes the stream missed (a reconnection, a skipped minute), or missing from the broker's history too. */
  gap(gap: DataGap): void;
  /** No live bar for the silence minutes while the market is open (once per silence); `since` is when it was last heard. */
  silent(since: number): void;
  /** Live bars again after a silence that began at `since`. */
  back(since: number): void;
}

/**
 * Alpaca's stream errors (as the SDK words them, `CONN_ERROR`) that fail the start, and what they
 * mean here; `retried` ones the SDK's reconnection may still mend while the start waits.
 */
const STREAM_ERRORS: Readonly<Record<string, { readonly retried: boolean; readonly hint: (feed: string) => string }>> = {
  'insufficient subscription': { retried: false, hint: (feed) => `the market-data plan of these API keys does not include the ${feed} feed (the free plan has iex only: set ALPACA_DATA_FEED=iex)` },
  'symbol limit exceeded': { retried: false, hint: () => 'more symbols than the market-data plan of these API keys allows on one connection' },
  'invalid syntax': { retried: false, hint: () => 'Alpaca could not read the subscription (a symbol it does not take?)' },
  // 410: not in the SDK's map, it passes Alpaca's own words on ("invalid subscribe action for this feed").
  'invalid subscribe action': { retried: false, hint: () => 'this feed does not take the subscription' },
  'connection limit exceeded': {
    retried: true,
    hint: () => 'Alpaca allows one market-data connection per account and feed, and another is open with these API keys (another daemon, a notebook), or a dead one Alpaca has not dropped yet (it does within about 90 s)',
  },
};

/** Backfills after these are outages worth an alert; a restart's catch-up or a silence (already alerted) is not. */
const ALERTED: ReadonlySet<string> = new Set(['reconnected', 'a minute was missing', 'the close']);

/**
 * Market data from Alpaca: history for the warm-up (several symbols a request, every page) and the
 * live 1-minute bars of one shared stream connection (Alpaca allows one). Bars are stamped at their
 * end, the daemon's convention (Alpaca stamps them at their start). Live bars reach the daemon in
 * time order, one batch per minute; after a reconnection (or any missing minute) the bars missed are
 * fetched over REST and delivered first, so indicators see every minute exactly once and in order.
 */
export class AlpacaData {
  readonly #o: AlpacaDataOptions;
  #stream: streaming.StockDataStream | null = null;
  #symbols: readonly string[] = [];
  #onBatch: (batch: BarBatch) => void = () => {};
  #notices: DataNotices = { gap: () => {}, silent: () => {}, back: () => {} };
  #watchdog: FeedWatchdog | null = null;
  /** A reconnection the daemon asked for (a silent stream): its disconnection is not an outage. */
  #renewing = false;
  /**
   * A live bar was delivered since the start: until then, minutes before the first live one are the
   * start's catch-up (the venue's clock may lag the market's: the emulator at 600×), not a gap.
   */
  #liveYet = false;
  /** The stream just came back from a silence: the minutes it missed were already alerted. */
  #silenceEnded = false;
  /** The end of the last minute delivered: nothing at or before it is delivered again. */
  #delivered = 0;
  readonly #pending = new Map<number, { readonly bars: Bar[]; readonly symbols: Set<string> }>();
  #timer: TimerHandle | null = null;
  /** Checks, every wall second, for a session that closed without a bar in its last minute. */
  #closeTimer: TimerHandle | null = null;
  #backfilling: Promise<void> | null = null;
  #stopping = false;
  readonly #held: Bar[] = [];
  /** Bars of minutes already delivered without them, for the next batch. */
  readonly #lateBars: Bar[] = [];
  /** The last bar time delivered per symbol. */
  readonly #lastBySymbol = new Map<string, number>();
  /** The last minute judged by #regular (a batch's bars share one). */
  #regularAt = { end: Number.NaN, length: MINUTE, regular: false };
  /** Extended-hours minutes skipped, for the log (one line a minute, at debug). */
  extendedHoursSkipped = 0;
  requests = 0;
  /** The live stream: connecting until subscribed, live, down (reconnecting), silent (connected, no bar while the market is open), stopped. */
  state: 'connecting' | 'live' | 'down' | 'silent' | 'stopped' = 'connecting';
  /** Reconnections of the stream after it went down (not the renewals of a silent stream). */
  reconnects = 0;

  constructor(o: AlpacaDataOptions) {
    this.#o = o;
  }

  /**
   * Warm-up history: like `history`, through the disk cache when there is one. Symbols whose cache
   * reaches back to `from` are asked only for what came after it, together when they agree, and for
   * the last bar they keep: a split since restates the bars before it, and a symbol whose kept bar
   * Alpaca no longer agrees with is asked again from `from`.
   */
  async warmUp(symbols: readonly string[], timeframe: HistoryTimeframe, from: number, to: number): Promise<Bar[]> {
    const cache = this.#o.cache;
    if (cache === undefined) return this.history(symbols, timeframe, from, to);
    const kept = new Map<string, Bar[]>();
    const groups = new Map<number, string[]>();
    for (const symbol of symbols) {
      const hit = cache.read(symbol, timeframe, from);
      const since = hit === null ? from : Math.max(from, hit.until);
      kept.set(symbol, hit === null ? [] : hit.bars.filter((b) => b.time <= since));
      groups.set(since, [...(groups.get(since) ?? []), symbol]);
    }
    const settled = this.#o.now() - SETTLED_MS;
    const minutes = historyMinutes(timeframe);
    const out: Bar[] = [];
    for (const [since, list] of groups) {
      // Asked by bar start: the last bar kept, ending at `last`, starts a bar (less than a day) before.
      const last = Math.min(since, ...list.map((symbol) => kept.get(symbol)!.at(-1)?.time ?? since));
      const asked = since >= to ? [] : await this.history(list, timeframe, last - (minutes > 0 ? minutes * MINUTE : 86_400_000), to);
      const keptAt = new Map(list.flatMap((symbol) => kept.get(symbol)!.map((b) => [`${symbol} ${b.time}`, b.close] as const)));
      const restated = new Set(asked.filter((b) => b.time <= since && (keptAt.get(`${b.symbol} ${b.time}`) ?? b.close) !== b.close).map((b) => b.symbol));
      const again = restated.size === 0 ? [] : await this.history([...restated], timeframe, from, to);
      for (const symbol of list) {
        const mine = restated.has(symbol) ? again.filter((b) => b.symbol === symbol) : [...kept.get(symbol)!, ...asked.filter((b) => b.symbol === symbol && b.time > since)];
        cache.write(symbol, timeframe, from, Math.min(settled, Math.max(since, mine[mine.length - 1]?.time ?? since)), mine);
        for (const b of mine) out.push(b);
      }
    }
    return out.sort((a, b) => a.time - b.time || (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
  }

  /**
   * Bars of `timeframe` (N-minute bars of regular sessions, or daily bars of closed sessions) of
   * `symbols` starting in [from, to], stamped at their end, sorted by time then symbol. Multi-symbol
   * requests of 10,000 points, every page.
   */
  async history(symbols: readonly string[], timeframe: HistoryTimeframe, from: number, to: number): Promise<Bar[]> {
    const out: Bar[] = [];
    let pageToken: string | undefined;
    do {
      this.requests++;
      const resp = await this.#o.client.marketData.stocks.stockBars({
        symbols: [...symbols].sort().join(','),
        timeframe,
        start: new Date(from),
        end: new Date(to),
        limit: 10_000,
        feed: this.#o.feed,
        adjustment: HISTORY_ADJUSTMENT,
        ...(pageToken === undefined ? {} : { pageToken }),
      });
      for (const [symbol, bars] of Object.entries(resp.bars ?? {})) {
        for (const b of bars ?? []) {
          const bar = this.#bar(symbol, b, timeframe);
          if (bar !== null) out.push(bar);
        }
      }
      pageToken = resp.nextPageToken ?? undefined;
    } while (pageToken !== undefined && pageToken !== '');
    const minutes = historyMinutes(timeframe);
    // Alpaca gives the session still open as a daily bar (the day so far): it is no day's bar until the close.
    const now = this.#o.now();
    return out.filter((b) => b.time <= to + (minutes > 0 ? minutes * MINUTE : 86_400_000) && (minutes > 0 || b.time <= now)).sort((a, b) => a.time - b.time || (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
  }

  /** Subscribes the symbols' minute bars; `since` is the end of the last minute the strategies saw. */
  async start(symbols: readonly string[], since: number, onBatch: (batch: BarBatch) => void, notices: DataNotices): Promise<void> {
    this.#symbols = [...symbols].sort();
    this.#onBatch = onBatch;
    this.#notices = notices;
    this.#delivered = since;
    // Backoff with jitter up to 90 s: a half-dead connection holds the one allowed (406) for about that long.
    const stream = this.#o.client.marketData.stockStream({ feed: this.#o.feed, url: this.#o.streamUrl, maxReconnectAttempts: -1, initialReconnectMs: 1000, maxReconnectMs: 90_000, reconnectJitter: 0.2 });
    this.#stream = stream;
    stream.onBar((b) => {
      this.#watchdog?.heard();
      const bar = this.#bar(b.symbol, { t: b.timestamp, o: b.open, h: b.high, l: b.low, c: b.close, v: b.volume }, '1Min');
      if (bar !== null) this.#onLive(bar);
    });
    stream.onUpdatedBar((b) => this.#o.log.debug({ symbol: b.symbol, barTime: b.timestamp.toISOString() }, 'bar revised by late trades after use (u); the strategies keep the bar they saw'));
    // An error Alpaca answers the authentication or the subscription with ends the start, said plainly.
    let refuse: (message: string) => void = () => {};
    const refused = new Promise<string>((resolve) => (refuse = resolve));
    let lastError: string | null = null;
    stream.onError((e) => {
      this.#o.log.warn({ error: e }, 'market-data stream error');
      const known = Object.entries(STREAM_ERRORS).find(([words]) => e.startsWith(words))?.[1];
      if (known === undefined) return;
      lastError = `${e}: ${known.hint(this.#o.feed)}`;
      if (!known.retried) refuse(lastError);
    });
    stream.onDisconnect(() => {
      if (this.#renewing) this.#renewing = false;
      else if (!this.#stopping) {
        this.state = 'down';
        this.#watchdog?.suspend();
        this.#o.log.warn('market-data stream down; missed minutes will be backfilled on reconnection');
      }
    });
    stream.onReconnected(() => {
      if (this.state === 'down') {
        this.reconnects++;
        this.state = 'live';
      }
      this.#watchdog?.resume();
      void this.#backfill('reconnected');
    });
    stream.connect();
    const failed = (why: string): BrokerPayloadError => new BrokerPayloadError(`market-data stream (${this.#o.feed} feed): ${why}`);
    const auth = await Promise.race([stream.waitForAuthenticationResult(this.#o.authWaitMs ?? 30_000), refused]);
    // A stop while the stream was still authenticating closed it: that is the stop's doing, not a failure.
    if (this.#stopping) return;
    if (typeof auth === 'string') throw failed(auth);
    if (!auth.authenticated) throw failed(lastError ?? `authentication ${auth.status}: ${auth.message}`);
    const subscribed = new Promise<null>((resolve) => stream.once('subscription', () => resolve(null)));
    stream.subscribeForBars([...this.#symbols]);
    stream.subscribeForUpdatedBars([...this.#symbols]);
    const subscription = await Promise.race([subscribed, refused]);
    if (this.#stopping) return;
    if (subscription !== null) throw failed(subscription);
    if (this.state === 'connecting') this.state = 'live';
    // Minutes between the warm-up and now come over REST before the first live one.
    await this.#backfill('start');
    if (this.#stopping) return;
    this.#watchdog = new FeedWatchdog({
      calendar: this.#o.calendar,
      venueNow: this.#o.now,
      wall: this.#o.clock,
      silenceMs: this.#silenceMs,
      onSilent: (quietSince, first) => this.#onSilent(quietSince, first),
      onBack: (quietSince) => this.#onBack(quietSince),
    });
    this.#watchdog.start();
    this.#closeTimer = this.#o.clock.setInterval(() => this.#closeSession(), 1000);
  }

  get #silenceMs(): number {
    return this.#o.silenceMs ?? 3 * MINUTE;
  }

  /**
   * The stream is connected but sends nothing while the market is open: said once, then each
   * silence later the stream is renewed (a new connection subscribes again) and the minutes are
   * fetched over REST, so the strategies go on with the minutes REST has.
   */
  #onSilent(since: number, first: boolean): void {
    if (this.#stopping) return;
    const minutes = Math.round((this.#o.now() - since) / MINUTE);
    this.state = 'silent';
    if (first) {
      this.#o.log.warn({ since: new Date(since).toISOString(), minutes }, `market data silent: no live bar for ${minutes} minutes while the market is open; reconnecting, minutes fetched over REST meanwhile`);
      this.#notices.silent(since);
    } else this.#o.log.info({ since: new Date(since).toISOString(), minutes }, `market data still silent (${minutes} minutes): reconnecting`);
    const stream = this.#stream;
    if (stream !== null) {
      this.#renewing = true;
      stream.disconnect();
      stream.connect();
    }
    void this.#backfill('the stream is silent');
  }

  #onBack(since: number): void {
    this.#silenceEnded = true;
    if (this.state === 'silent') this.state = 'live';
    if (this.#stopping) return;
    const minutes = Math.round((this.#o.now() - since) / MINUTE);
    this.#o.log.info({ since: new Date(since).toISOString(), minutes }, `market data back: live bars again after ${minutes} minutes of silence`);
    this.#notices.back(since);
  }

  stop(): void {
    this.#stopping = true;
    this.state = 'stopped';
    this.#watchdog?.stop();
    this.#closeTimer?.cancel();
    this.#closeTimer = null;
    this.#timer?.cancel();
    this.#timer = null;
    this.#stream?.disconnect();
  }

  /**
   * Alpaca's bar as the daemon's (stamped at its end), or null when it can never be a bar (checked
   * as the CSV loader checks a file): it is skipped with an error, and every other bar flows on.
   */
  #bar(symbol: string, b: { t: Date | string; o: number; h: number; l: number; c: number; v: number }, timeframe: HistoryTimeframe): Bar | null {
    const start = b.t instanceof Date ? b.t.getTime() : typeof b.t === 'string' ? Date.parse(b.t) : Number.NaN;
    const minutes = historyMinutes(timeframe);
    const end = minutes > 0 ? start + minutes * MINUTE : (this.#o.calendar.session(nyDateOf(start + 12 * 3_600_000))?.close ?? start + 86_400_000);
    const bar: Bar = { symbol, time: end, open: Number(b.o), high: Number(b.h), low: Number(b.l), close: Number(b.c), volume: Number(b.v) };
    const problem = Number.isFinite(start) ? barProblem(bar) : `time ${String(b.t)} is not a time`;
    if (problem === null) {
      if (minutes === 0 || this.#regular(end, minutes * MINUTE)) return bar;
      this.extendedHoursSkipped++;
      if (this.#o.log.isLevelEnabled('debug')) this.#o.log.debug({ symbol, barTime: String(b.t) }, `extended-hours minute ignored: ${symbol} ${String(b.t)}`);
      return null;
    }
    this.#o.log.error({ symbol, barTime: String(b.t), bar: { o: b.o, h: b.h, l: b.l, c: b.c, v: b.v } }, `bar from Alpaca skipped: ${symbol} ${String(b.t)}: ${problem}`);
    return null;
  }

  #onLive(bar: Bar): void {
    if (this.#backfilling !== null) {
      this.#held.push(bar);
      return;
    }
    if (bar.time <= this.#delivered) {
      this.#late(bar);
      return;
    }
    // A minute missing before this one (the stream skipped it): fetch it first.
    if (bar.time > this.#delivered + MINUTE && this.#delivered > 0 && this.#sessionMinuteBetween(this.#delivered, bar.time - MINUTE)) {
      this.#held.push(bar);
      void this.#backfill(!this.#liveYet ? 'start' : this.#silenceEnded ? 'the stream is back after a silence' : 'a minute was missing');
      return;
    }
    this.#liveYet = true;
    this.#add(bar);
  }

  /** A live bar delivered after a backfill: a minute REST did not have either had no trades (no bar). */
  #release(bar: Bar): void {
    this.#liveYet = true;
    if (bar.time > this.#delivered) this.#add(bar);
    else this.#late(bar);
  }

  /**
   * A bar for a minute already delivered without it (it came after the minute's batch had waited
   * for it): its symbol's strategies still get it, with the next batch (their bars stay in time
   * order); a bar its symbol already had is a repeat and dropped.
   */
  #late(bar: Bar): void {
    if (bar.time <= (this.#lastBySymbol.get(bar.symbol) ?? 0)) return;
    this.#lateBars.push(bar);
    this.#o.log.warn({ symbol: bar.symbol, barTime: new Date(bar.time).toISOString() }, `late bar ${bar.symbol} ${new Date(bar.time).toISOString()}: delivered with the next minute`);
  }

  /** The bars of a batch about to be delivered: the late ones first, each symbol's in time order. */
  #deliver(time: number, bars: Bar[]): void {
    if (this.#lateBars.length > 0) {
      const late = this.#lateBars.splice(0).filter((b) => b.time > (this.#lastBySymbol.get(b.symbol) ?? 0));
      bars = [...late, ...bars].sort((a, b) => a.time - b.time || (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
    }
    for (const b of bars) if (b.time > (this.#lastBySymbol.get(b.symbol) ?? 0)) this.#lastBySymbol.set(b.symbol, b.time);
    this.#onBatch({ time, bars });
  }

  /**
   * Whether the market was open during some minute in (after, until]: the session `after` falls in,
   * or else the next one (a silent stream that missed the first minutes of a morning is a gap too).
   */
  #sessionMinuteBetween(after: number, until: number): boolean {
    if (until <= after) return false;
    const today = this.#o.calendar.session(nyDateOf(after));
    const s = today !== null && today.close > after ? today : this.#o.calendar.nextSession(after);
    return s.open < until && s.close > after;
  }

  /**
   * Whether a bar of `length` ms (a minute, or N minutes of history) stamped at its end lies in a
   * regular session. Alpaca's stream and history also carry pre- and after-market minutes: thin
   * prints that would open the 09:30 bucket, make bars stamped after the close, and move marks and
   * breakers; strategies see regular minutes only.
   */
  #regular(end: number, length: number): boolean {
    if (end === this.#regularAt.end && length === this.#regularAt.length) return this.#regularAt.regular;
    const s = this.#o.calendar.session(nyDateOf(end - length));
    const regular = s !== null && end - length >= s.open && end <= s.close;
    this.#regularAt = { end, length, regular };
    return regular;
  }

  #add(bar: Bar): void {
    // Earlier minutes still waiting are complete once a later one arrives.
    if (this.#pending.size > 1 || (this.#pending.size === 1 && !this.#pending.has(bar.time))) {
      for (const t of [...this.#pending.keys()].sort((a, b) => a - b)) if (t < bar.time) this.#flush(t);
    }
    let p = this.#pending.get(bar.time);
    if (p === undefined) {
      p = { bars: [], symbols: new Set() };
      this.#pending.set(bar.time, p);
    }
    // A minute's bar is delivered once, whatever the stream repeats.
    if (p.symbols.has(bar.symbol)) return;
    p.symbols.add(bar.symbol);
    p.bars.push(bar);
    const list = p.bars;
    if (list.length === this.#symbols.length) this.#flush(bar.time);
    else if (this.#timer === null) {
      this.#timer = this.#o.clock.setTimeout(() => {
        this.#timer = null;
        for (const t of [...this.#pending.keys()].sort((a, b) => a - b)) this.#flush(t);
      }, this.#o.batchWaitMs ?? 1500);
    }
  }

  /**
   * The session of the last minute delivered is over and its last minute did not come: a minute after
   * the bell the minutes left are asked over REST (the stream may have missed them), and what REST
   * has not either had no trade (no bar) for any symbol: an empty batch at the close, so that the
   * buckets the close ends are closed that day, not with the next session's first bar.
   */
  #closeSession(): void {
    if (this.#stopping || this.#backfilling !== null || this.#pending.size > 0) return;
    const s = this.#o.calendar.session(nyDateOf(this.#delivered));
    if (s === null || this.#delivered < s.open || this.#delivered >= s.close || this.#o.now() < s.close + MINUTE) return;
    void this.#backfill('the close').then(() => {
      if (this.#stopping || this.#delivered >= s.close) return;
      this.#delivered = s.close;
      this.#deliver(s.close, []);
    });
  }

  #flush(time: number): void {
    const bars = this.#pending.get(time)?.bars;
    this.#pending.delete(time);
    if (bars === undefined || time <= this.#delivered) return;
    this.#delivered = time;
    if (this.#pending.size === 0) {
      this.#timer?.cancel();
      this.#timer = null;
    }
    this.#deliver(time, bars.sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0)));
  }

  /**
   * Minutes in (from, to] the broker's history itself has no bar for, for any symbol, over a run of
   * the silence minutes or more: data that is missing, not late; an error and an alert. The last two
   * minutes are left out (the broker may not have published them yet).
   */
  #reportMissing(from: number, to: number, bars: readonly Bar[]): void {
    const ends = new Set(bars.map((b) => b.time));
    for (const run of missingMinutes(this.#o.calendar, from, to - 2 * MINUTE, ends, this.#silenceMs / MINUTE)) {
      const minutes = (run.to - run.from) / MINUTE;
      this.#o.log.error({ from: new Date(run.from).toISOString(), to: new Date(run.to).toISOString(), minutes }, `market data missing: the broker's history has no bar for any symbol from ${new Date(run.from).toISOString()} to ${new Date(run.to).toISOString()} (${minutes} minutes)`);
      this.#notices.gap({ from: run.from, to: run.to, backfilled: 0, missing: true });
    }
  }

  /** Fetches the minutes after the last delivered one up to now, delivers them, then what was held. */
  #backfill(why: string): Promise<void> {
    if (why !== 'the stream is silent') this.#silenceEnded = false;
    this.#backfilling ??= this.#runBackfill(why).finally(() => {
      this.#backfilling = null;
      const held = this.#held.splice(0).sort((a, b) => a.time - b.time);
      for (const b of held) this.#release(b);
    });
    return this.#backfilling;
  }

  /**
   * The first and last minutes of the live bars held while a backfill runs (±Infinity when none): a
   * loop, not a spread, as thousands of symbols over a long backfill hold more bars than a call takes
   * arguments.
   */
  #heldSpan(): { readonly first: number; readonly last: number } {
    let first = Number.POSITIVE_INFINITY;
    let last = Number.NEGATIVE_INFINITY;
    for (const b of this.#held) {
      if (b.time < first) first = b.time;
      if (b.time > last) last = b.time;
    }
    return { first, last };
  }

  async #runBackfill(why: string): Promise<void> {
    const from = this.#delivered;
    // Up to now, or up to the live bars already held (they prove the venue is there).
    const to = Math.max(this.#o.now(), this.#heldSpan().last - MINUTE);
    if (from <= 0 || to - from < MINUTE) return;
    for (let attempt = 0; ; attempt++) {
      try {
        // Bars are asked by their start: the first missing minute starts when the last one delivered ended.
        const bars = (await this.history(this.#symbols, '1Min', from, to - MINUTE)).filter((b) => b.time > from && b.time <= to);
        for (const t of [...this.#pending.keys()].sort((a, b) => a - b)) this.#flush(t);
        const byTime = new Map<number, Bar[]>();
        for (const b of bars) byTime.set(b.time, [...(byTime.get(b.time) ?? []), b]);
        // The minutes of the live bars held meanwhile came live: only the bars before them were missed
        // (a minute no symbol traded in has no bar, and the stream skipping it lost nothing).
        const live = this.#heldSpan().first;
        let count = 0;
        let missed = 0;
        for (const [time, list] of [...byTime].sort((a, b) => a[0] - b[0])) {
          if (time <= this.#delivered) continue;
          this.#delivered = time;
          count += list.length;
          if (time < live) missed += list.length;
          this.#deliver(time, list);
        }
        if (missed > 0 && ALERTED.has(why)) {
          this.#o.log.warn({ from: new Date(from).toISOString(), to: new Date(to).toISOString(), bars: missed, why }, `market data: ${missed} bars backfilled over REST (${why})`);
          this.#notices.gap({ from, to, backfilled: missed });
        } else if (count > 0) {
          // A restart catching up since its last bar, a silence already alerted, or only the minutes of
          // the live bars held: expected, not a gap.
          this.#o.log.info({ from: new Date(from).toISOString(), to: new Date(to).toISOString(), bars: count, why }, `market data: caught up ${count} bars over REST (${why === 'start' ? 'since the last bar before the restart' : why})`);
        } else if (why !== 'start') {
          // Minutes without a single trade have no bar, live or historical: nothing was lost.
          this.#o.log.info({ from: new Date(from).toISOString(), to: new Date(to).toISOString(), why }, 'market data: no bar to backfill (minutes without trades)');
        }
        this.#reportMissing(from, to, bars);
        return;
      } catch (error) {
        const wait = error instanceof sdkErrors.RateLimitError ? (error.retryAfterMs ?? 1000) : Math.min(30_000, 500 * 2 ** Math.min(attempt, 6));
        this.#o.log.warn({ err: error, attempt }, 'backfill failed; trying again');
        await new Promise<void>((r) => this.#o.clock.setTimeout(() => r(), wait));
      }
    }
  }
}
