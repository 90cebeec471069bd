import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TimerHandle } from '../core/Clock.js';
import { seededRandom } from '../core/seededRandom.js';
import { StaticNyseCalendar } from '../risk/calendar/StaticNyseCalendar.js';
import type { EmulatorOptions } from './EmulatorOptions.js';
import { Faults } from './faults/Faults.js';
import { RateLimiter } from './http/RateLimiter.js';
import { requestHandler } from './http/requestHandler.js';
import { BarHistory } from './market/BarHistory.js';
import { loadMarketSeries } from './market/loadMarketSeries.js';
import type { MarketEvent } from './market/MarketEvent.js';
import { MarketReplay } from './market/MarketReplay.js';
import type { MarketSeries } from './market/MarketSeries.js';
import { withSyntheticExtendedHours } from './market/syntheticExtendedHours.js';
import { extendedSession, sessionOf } from './market/tradingPhase.js';
import { MarketClock } from './MarketClock.js';
import { accountRoutes } from './routes/accountRoutes.js';
import { adminRoutes } from './routes/adminRoutes.js';
import { dataRoutes } from './routes/dataRoutes.js';
import { tradingRoutes } from './routes/tradingRoutes.js';
import { watchlistRoutes } from './routes/watchlistRoutes.js';
import { DataStreamServer } from './streams/DataStreamServer.js';
import { refuseUpgrade } from './streams/refuseUpgrade.js';
import { TradeStreamServer } from './streams/TradeStreamServer.js';
import { EmulatedVenue } from './venue/EmulatedVenue.js';
import { Watchlists } from './venue/Watchlists.js';
import { newYorkTime } from './wire/decimal.js';

/** Where the emulator listens, in the form the daemon's `.env` takes. */
export interface EmulatorUrls {
  readonly baseUrl: string;
  readonly dataUrl: string;
  readonly dataStreamUrl: string;
  readonly tradeStreamUrl: string;
  readonly adminUrl: string;
}

const MINUTE = 60_000;

/**
 * A local Alpaca (paper trading API, market-data API, both streams) over a replayed market: one
 * HTTP + WebSocket server on loopback. Composition root of the emulator: it builds the clock, the
 * market, the venue and the servers, advances the market on a wall-clock tick, and stops in reverse.
 */
export class AlpacaEmulator {
  readonly clock: MarketClock;
  readonly venue: EmulatedVenue;
  readonly faults: Faults;
  /** Market time the emulator started at. */
  readonly startTime: number;
  readonly #o: EmulatorOptions;
  readonly #calendar = new StaticNyseCalendar();
  readonly #replay: MarketReplay;
  readonly #server: Server;
  readonly #trade: TradeStreamServer;
  readonly #data: DataStreamServer;
  #timer: TimerHandle | null = null;
  #nextBoundary: number;
  #urls: EmulatorUrls | null = null;
  #waitingForClient: boolean;

  static async create(o: EmulatorOptions): Promise<AlpacaEmulator> {
    return new AlpacaEmulator(o, await loadMarketSeries(o.dataDir, o.barLabel));
  }

  constructor(o: EmulatorOptions, files: readonly MarketSeries[]) {
    this.#o = o;
    const random = seededRandom(o.seed);
    const series = (o.extendedHours ?? 'data') === 'synthetic' ? withSyntheticExtendedHours(files, this.#calendar, o.seed) : files;
    const tape = { seed: o.seed, updatedBarRate: o.updatedBarRate };
    const history = new BarHistory(series, this.#calendar, tape);
    const listings = new Map(series.flatMap((s) => (s.listing === undefined ? [] : [[s.symbol, s.listing] as const])));
    const listing = (symbol: string): MarketSeries['listing'] => listings.get(symbol);
    this.#replay = new MarketReplay(series, { ...tape, calendar: this.#calendar });
    const start = o.start ?? this.#replay.firstBarTime - MINUTE;
    this.#replay.skipTo(start);
    this.startTime = start;
    this.clock = new MarketClock(o.wall, start, o.speed);
    this.#waitingForClient = o.startWhenConnected === true && !o.paused;
    if (o.paused || this.#waitingForClient) this.clock.pause();
    this.#nextBoundary = this.#boundaryAfter(start);
    const log = o.logger;
    this.venue = new EmulatedVenue({
      clock: this.clock,
      calendar: this.#calendar,
      startingCash: o.startingCash,
      symbols: series.map((s) => s.symbol).sort(),
      lastPrice: (s) => this.#replay.latestTrade(s)?.price,
      // A stall (fault) leaves a new order unmatched: no quote to match it against.
      lastQuote: (s) => (this.faults.fillsStalled() ? undefined : this.#replay.latestQuote(s)),
      previousClose: (s, now) => history.previousClose(s, now),
      partialFillRate: o.partialFillRate,
      random,
    });
    this.faults = new Faults(o.wall, (stream) => (stream === 'trading' ? this.#trade.drop() : this.#data.drop()));
    this.#trade = new TradeStreamServer({ credentials: o.credentials, venue: this.venue, calendar: this.#calendar, faults: this.faults, log: log.child({ component: 'trade_stream' }) });
    this.#data = new DataStreamServer({ credentials: o.credentials, faults: this.faults, wall: o.wall, log: log.child({ component: 'data_stream' }), symbolLimit: o.symbolLimit, authTimeoutSeconds: o.authTimeoutSeconds, onSubscribe: () => this.#clientSubscribed() });
    const now = (): number => this.clock.now();
    const handler = requestHandler({
      credentials: o.credentials,
      trading: [
        ...tradingRoutes({ venue: this.venue, calendar: this.#calendar, now, faults: this.faults, listing }),
        ...accountRoutes({ venue: this.venue, calendar: this.#calendar, history, now }),
        ...watchlistRoutes({ venue: this.venue, watchlists: new Watchlists({ random, now, isAsset: (s) => this.venue.assetId(s) !== undefined }), listing }),
      ],
      data: dataRoutes({ history, replay: this.#replay, tape, now }),
      admin: adminRoutes({
        clock: this.clock,
        faults: this.faults,
        venue: this.venue,
        // Whoever sets the clock by hand takes it over from the hold for a client.
        catchUp: () => {
          this.#waitingForClient = false;
          this.tick();
        },
        status: () => this.status(),
      }),
      faults: this.faults,
      limiter: new RateLimiter(o.rateLimit),
      wall: o.wall,
      log: log.child({ component: 'rest' }),
      ...(o.onResponse === undefined ? {} : { onResponse: o.onResponse }),
    });
    this.#server = createServer(handler);
    // Longer than clients keep idle sockets, so a request never lands on a socket being closed.
    this.#server.keepAliveTimeout = 65_000;
    this.#server.on('upgrade', (req, socket, head: Buffer) => {
      const path = new URL(req.url ?? '/', 'http://emulator').pathname;
      const feed = DataStreamServer.feedOf(path);
      if (path === '/stream') this.#trade.handleUpgrade(req, socket, head);
      else if (feed !== null) this.#data.handleUpgrade(req, socket, head, feed);
      else refuseUpgrade(socket, 404, `no stream at ${path}`);
    });
    for (const f of o.faults) this.faults.apply(f);
  }

  /** Whether the market clock is held until a client subscribes to the data stream. */
  get waitingForClient(): boolean {
    return this.#waitingForClient;
  }

  get urls(): EmulatorUrls {
    if (this.#urls === null) throw new Error('the emulator is not listening: call start() first');
    return this.#urls;
  }

  async start(): Promise<EmulatorUrls> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.#o.port, this.#o.host, () => resolve());
    });
    const { port } = this.#server.address() as AddressInfo;
    const http = `http://${this.#o.host}:${port}`;
    const ws = `ws://${this.#o.host}:${port}`;
    this.#urls = { baseUrl: http, dataUrl: http, dataStreamUrl: ws, tradeStreamUrl: `${ws}/stream`, adminUrl: `${http}/admin` };
    this.tick();
    this.#timer = this.#o.wall.setInterval(() => this.tick(), this.#o.tickMs);
    return this.#urls;
  }

  /** Stops in reverse order of start: the market tick, the streams, then the HTTP server. */
  async stop(): Promise<void> {
    this.#timer?.cancel();
    this.#timer = null;
    this.faults.clear();
    this.#trade.close();
    this.#data.close();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** Moves the market clock by `ms` and processes what happened meanwhile (stepped tests and drills). */
  step(ms: number): void {
    this.clock.advance(ms);
    this.tick();
  }

  /**
   * Processes the market up to the clock's time, in time order: quotes (which fill marketable
   * orders), prints and bars, the open (orders received while closed are routed) and the close (day
   * orders expire). What the data stream receives goes out as one batch.
   */
  tick(): void {
    const now = this.clock.now();
    const batch: MarketEvent[] = [];
    for (;;) {
      const next = this.#replay.peekTime();
      const t = Math.min(next, this.#nextBoundary);
      if (t > now) break;
      if (this.#nextBoundary <= next) {
        this.#data.publish(batch.splice(0));
        this.#session(this.#nextBoundary);
        continue;
      }
      const e = this.#replay.next()!;
      // While fills are stalled (fault) the quotes are published but match no order (nor do auctions).
      if (e.kind === 'auction') {
        if (!this.faults.fillsStalled()) this.venue.onAuction(e.auction);
        continue;
      }
      if (e.kind === 'quote' && !this.faults.fillsStalled()) this.venue.onQuote(e.quote);
      batch.push(e);
    }
    this.#data.publish(batch);
    if (this.#o.skipClosed && !this.venue.isOpen(now)) {
      // To a minute before the open, or before the next replayed minute when there is one earlier (extended hours).
      const target = Math.min(this.#calendar.nextSession(now).open, this.#replay.peekTime()) - MINUTE;
      if (target > now) this.clock.jumpTo(target);
    }
  }

  status(): Record<string, unknown> {
    const now = this.clock.now();
    return {
      market_time: newYorkTime(now),
      is_open: this.venue.isOpen(now),
      speed: this.clock.speed,
      paused: this.clock.paused,
      waiting_for_client: this.#waitingForClient,
      replay_first_bar: newYorkTime(this.#replay.firstBarTime),
      replay_end: newYorkTime(this.#replay.lastBarEnd),
      replay_done: this.#replay.peekTime() === Number.POSITIVE_INFINITY,
      symbols: this.venue.symbols.length,
      connections: { trading: this.#trade.connections, data: this.#data.connections },
      orders: this.venue.orders().length,
    };
  }

  #clientSubscribed(): void {
    if (!this.#waitingForClient) return;
    this.#waitingForClient = false;
    this.clock.resume();
    this.#o.logger.info({ market_time: newYorkTime(this.clock.now()) }, 'a client subscribed to the data stream: the market clock runs');
  }

  #session(boundary: number): void {
    const s = sessionOf(this.#calendar, boundary);
    if (s !== null && boundary === s.preOpen) this.venue.onPreOpen(boundary);
    else if (s !== null && boundary === s.open) this.venue.onOpen(boundary);
    else if (s !== null && boundary === s.close) this.venue.onClose(boundary);
    else this.venue.onPostClose(boundary);
    this.#nextBoundary = this.#boundaryAfter(boundary);
  }

  /** The next boundary of a session strictly after `t`: 04:00 (pre-market), the open, the close, the end of the after-hours. */
  #boundaryAfter(t: number): number {
    const s = sessionOf(this.#calendar, t);
    if (s !== null) for (const b of [s.preOpen, s.open, s.close, s.postClose]) if (t < b) return b;
    return extendedSession(this.#calendar.nextSession(t)).preOpen;
  }
}
