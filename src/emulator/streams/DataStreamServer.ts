import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { decode, encode } from '@msgpack/msgpack';
import type { Logger } from 'pino';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { Clock, TimerHandle } from '../../core/Clock.js';
import type { Faults } from '../faults/Faults.js';
import type { MarketEvent } from '../market/MarketEvent.js';
import { rfc3339 } from '../wire/decimal.js';
import { refuseUpgrade } from './refuseUpgrade.js';
import { rawText } from './TradeStreamServer.js';

export interface DataStreamDeps {
  readonly credentials: { readonly key: string; readonly secret: string };
  readonly faults: Faults;
  readonly wall: Clock;
  readonly log: Logger;
  /** Most symbols a connection may hold in trades + quotes (Alpaca's free plan: 30 on IEX). */
  readonly symbolLimit: number;
  /** Seconds a new connection has to authenticate (Alpaca: 10). */
  readonly authTimeoutSeconds: number;
  /** Told of every subscription accepted (the emulator starts a held clock on the first). */
  readonly onSubscribe?: () => void;
}

const FEEDS = new Set(['iex', 'sip', 'delayed_sip', 'test']);
const CHANNELS = ['trades', 'quotes', 'bars', 'updatedBars', 'dailyBars', 'statuses', 'lulds'] as const;
type Channel = (typeof CHANNELS)[number];
/** Buffered output above which a client is too slow and is cut off (Alpaca's 407). */
const SLOW_CLIENT_BYTES = 16 << 20;

interface Client {
  readonly feed: string;
  readonly codec: 'msgpack' | 'json';
  authenticated: boolean;
  readonly subs: Record<Channel, Set<string>>;
  authTimer: TimerHandle | null;
}

const errors = {
  400: 'invalid syntax',
  401: 'not authenticated',
  402: 'auth failed',
  403: 'already authenticated',
  404: 'auth timeout',
  405: 'symbol limit exceeded',
  406: 'connection limit exceeded',
  407: 'slow client',
} as const;
type ErrorCode = keyof typeof errors;

/**
 * Alpaca's stock stream (`/v2/{iex|sip|delayed_sip|test}`): `connected` on open; authentication by
 * message within 10 s (or by upgrade headers); one authenticated connection per key and endpoint
 * (406 for a second); subscribe/unsubscribe add to and take from the sets, answered by the whole
 * set; JSON text frames, or msgpack binary frames both ways when the upgrade carries
 * `Content-Type: application/msgpack` (as the SDKs send it). Every server message is an array; data
 * arrays batch what one tick of the market produced.
 */
export class DataStreamServer {
  readonly #d: DataStreamDeps;
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #clients = new Map<WebSocket, Client>();

  constructor(d: DataStreamDeps) {
    this.#d = d;
  }

  /** The feed a path names (`/v2/iex` → iex), or null when it is not a stock stream. */
  static feedOf(path: string): string | null {
    const m = /^\/v2\/([a-z_]+)$/.exec(path);
    return m !== null && FEEDS.has(m[1]!) ? m[1]! : null;
  }

  get connections(): number {
    return this.#clients.size;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, feed: string): void {
    if (this.#d.faults.refusal('data') === 429) {
      refuseUpgrade(socket, 429, 'connection refused (emulator fault: refuse_connections)');
      return;
    }
    // Alpaca: clear-text JSON unless the upgrade asks for `Content-Type: application/msgpack` (both SDKs do).
    const msgpack = String(req.headers['content-type'] ?? '').toLowerCase().includes('application/msgpack');
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#accept(ws, req, feed, msgpack ? 'msgpack' : 'json'));
  }

  drop(): void {
    for (const ws of this.#clients.keys()) ws.terminate();
  }

  close(): void {
    this.drop();
    this.#wss.close();
  }

  /** Sends each authenticated client the events it subscribed to, in one array per client. */
  publish(events: readonly MarketEvent[]): void {
    if (events.length === 0 || this.#clients.size === 0 || this.#d.faults.silenced('data')) return;
    for (const [ws, c] of this.#clients) {
      if (!c.authenticated) continue;
      const out: Array<Record<string, unknown>> = [];
      for (const e of events) {
        const m = this.#message(c, e);
        if (m !== null) out.push(m);
      }
      if (out.length === 0) continue;
      if (ws.bufferedAmount > SLOW_CLIENT_BYTES) {
        this.#fail(ws, c, 407);
        continue;
      }
      this.#send(ws, c, out);
    }
  }

  #accept(ws: WebSocket, req: IncomingMessage, feed: string, codec: 'msgpack' | 'json'): void {
    const subs = Object.fromEntries(CHANNELS.map((ch) => [ch, new Set<string>()])) as Record<Channel, Set<string>>;
    const c: Client = { feed, codec, authenticated: false, subs, authTimer: null };
    this.#clients.set(ws, c);
    const forget = (): void => {
      c.authTimer?.cancel();
      this.#clients.delete(ws);
    };
    ws.on('close', forget);
    ws.on('error', forget);
    ws.on('message', (data: RawData, isBinary: boolean) => this.#onMessage(ws, c, data, isBinary));
    this.#send(ws, c, [{ T: 'success', msg: 'connected' }]);
    const key = req.headers['apca-api-key-id'];
    if (typeof key === 'string') {
      this.#authenticate(ws, c, key, String(req.headers['apca-api-secret-key'] ?? ''));
      return;
    }
    c.authTimer = this.#d.wall.setTimeout(() => {
      if (!c.authenticated) this.#fail(ws, c, 404);
    }, this.#d.authTimeoutSeconds * 1000);
  }

  #onMessage(ws: WebSocket, c: Client, data: RawData, isBinary: boolean): void {
    let msg: unknown;
    try {
      // A msgpack connection speaks msgpack both ways; a text frame is read as JSON on either.
      msg = isBinary && c.codec === 'msgpack' ? decode(Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer)) : JSON.parse(rawText(data));
    } catch {
      this.#error(ws, c, 400);
      return;
    }
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) {
      this.#error(ws, c, 400);
      return;
    }
    const m = msg as Record<string, unknown>;
    switch (m['action']) {
      case 'auth':
        if (c.authenticated) this.#error(ws, c, 403);
        else this.#authenticate(ws, c, m['key'], m['secret']);
        return;
      case 'subscribe':
      case 'unsubscribe':
        if (!c.authenticated) this.#error(ws, c, 401);
        else this.#subscribe(ws, c, m, m['action'] === 'subscribe');
        return;
      default:
        this.#error(ws, c, 400);
    }
  }

  #authenticate(ws: WebSocket, c: Client, key: unknown, secret: unknown): void {
    c.authTimer?.cancel();
    if (key !== this.#d.credentials.key || secret !== this.#d.credentials.secret) {
      this.#fail(ws, c, 402);
      return;
    }
    const taken = [...this.#clients].some(([other, o]) => other !== ws && o.authenticated && o.feed === c.feed);
    if (taken || this.#d.faults.refusal('data') === 406) {
      this.#fail(ws, c, 406);
      return;
    }
    c.authenticated = true;
    this.#send(ws, c, [{ T: 'success', msg: 'authenticated' }]);
  }

  #subscribe(ws: WebSocket, c: Client, m: Record<string, unknown>, add: boolean): void {
    const changes: Array<[Channel, string[]]> = [];
    for (const ch of CHANNELS) {
      const v = m[ch];
      if (v === undefined || v === null) continue;
      if (!Array.isArray(v) || !v.every((s) => typeof s === 'string' && /^(\*|[A-Z][A-Z0-9.]{0,20})$/.test(s))) {
        this.#error(ws, c, 400);
        return;
      }
      changes.push([ch, v as string[]]);
    }
    const next = Object.fromEntries(CHANNELS.map((ch) => [ch, new Set(c.subs[ch])])) as Record<Channel, Set<string>>;
    for (const [ch, symbols] of changes) {
      for (const s of symbols) {
        if (add) next[ch].add(s);
        else next[ch].delete(s);
      }
    }
    const counted = new Set([...next.trades, ...next.quotes].filter((s) => s !== '*'));
    if (add && counted.size > this.#d.symbolLimit) {
      this.#error(ws, c, 405);
      return;
    }
    for (const ch of CHANNELS) c.subs[ch] = next[ch];
    if (add) this.#d.onSubscribe?.();
    const list = (ch: Channel): string[] => [...c.subs[ch]].sort();
    this.#send(ws, c, [
      {
        T: 'subscription',
        trades: list('trades'),
        quotes: list('quotes'),
        bars: list('bars'),
        updatedBars: list('updatedBars'),
        dailyBars: list('dailyBars'),
        statuses: list('statuses'),
        lulds: list('lulds'),
        corrections: list('trades'),
        cancelErrors: list('trades'),
      },
    ]);
  }

  #message(c: Client, e: MarketEvent): Record<string, unknown> | null {
    const wants = (ch: Channel, symbol: string): boolean => c.subs[ch].has(symbol) || c.subs[ch].has('*');
    const t = (ms: number): Date | string => (c.codec === 'msgpack' ? new Date(ms) : rfc3339(ms));
    switch (e.kind) {
      case 'quote': {
        const q = e.quote;
        if (!wants('quotes', q.symbol)) return null;
        return { T: 'q', S: q.symbol, bx: 'V', bp: q.bid, bs: q.bidSize, ax: 'V', ap: q.ask, as: q.askSize, c: ['R'], z: 'A', t: t(q.time) };
      }
      case 'trade': {
        const x = e.trade;
        if (!wants('trades', x.symbol)) return null;
        return { T: 't', S: x.symbol, i: x.id, x: 'V', p: x.price, s: x.size, c: ['@'], z: 'A', t: t(x.time) };
      }
      case 'bar':
      case 'updatedBar':
      case 'dailyBar': {
        const b = e.bar;
        const [channel, type] = e.kind === 'bar' ? (['bars', 'b'] as const) : e.kind === 'updatedBar' ? (['updatedBars', 'u'] as const) : (['dailyBars', 'd'] as const);
        if (!wants(channel, b.symbol)) return null;
        return { T: type, S: b.symbol, o: b.open, h: b.high, l: b.low, c: b.close, v: b.volume, t: t(b.time), n: b.tradeCount, vw: b.vwap };
      }
      case 'auction':
        return null;
    }
  }

  #error(ws: WebSocket, c: Client, code: ErrorCode): void {
    this.#send(ws, c, [{ T: 'error', code, msg: errors[code] }]);
  }

  /** Errors after which Alpaca closes the connection. */
  #fail(ws: WebSocket, c: Client, code: ErrorCode): void {
    this.#error(ws, c, code);
    ws.close(1008, errors[code]);
  }

  #send(ws: WebSocket, c: Client, messages: ReadonlyArray<Record<string, unknown>>): void {
    if (ws.readyState !== ws.OPEN) return;
    if (c.codec === 'msgpack') ws.send(encode(messages), { binary: true });
    else ws.send(JSON.stringify(messages));
  }
}
