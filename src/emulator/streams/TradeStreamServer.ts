import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { MarketCalendar } from '../../risk/calendar/MarketCalendar.js';
import type { Faults } from '../faults/Faults.js';
import type { EmulatedVenue } from '../venue/EmulatedVenue.js';
import type { TradeUpdate } from '../venue/TradeUpdate.js';
import { decimal, rfc3339 } from '../wire/decimal.js';
import { orderJson } from '../wire/tradingJson.js';
import { refuseUpgrade } from './refuseUpgrade.js';

export interface TradeStreamDeps {
  readonly credentials: { readonly key: string; readonly secret: string };
  readonly venue: EmulatedVenue;
  readonly calendar: MarketCalendar;
  readonly faults: Faults;
  readonly log: Logger;
}

interface Client {
  authorized: boolean;
  streams: ReadonlySet<string>;
}

/**
 * Alpaca's trade-updates stream (`/stream`): JSON in binary frames; `authenticate` then `listen`
 * (idempotent, the list is the full wanted set); every order event of the account as a
 * `trade_updates` message carrying the whole order.
 */
export class TradeStreamServer {
  readonly #d: TradeStreamDeps;
  readonly #wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  readonly #clients = new Map<WebSocket, Client>();
  readonly #unsubscribe: () => void;

  constructor(d: TradeStreamDeps) {
    this.#d = d;
    this.#unsubscribe = d.venue.onUpdate((u) => this.#publish(u));
  }

  get connections(): number {
    return this.#clients.size;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const refusal = this.#d.faults.refusal('trading');
    if (refusal !== null) {
      refuseUpgrade(socket, 429, 'connection refused (emulator fault: refuse_connections)');
      return;
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#accept(ws));
  }

  /** Cuts every connection abruptly (a dropped network). */
  drop(): void {
    for (const ws of this.#clients.keys()) ws.terminate();
  }

  close(): void {
    this.#unsubscribe();
    this.drop();
    this.#wss.close();
  }

  #accept(ws: WebSocket): void {
    const client: Client = { authorized: false, streams: new Set() };
    this.#clients.set(ws, client);
    ws.on('close', () => this.#clients.delete(ws));
    ws.on('error', () => this.#clients.delete(ws));
    ws.on('message', (data: RawData) => this.#onMessage(ws, client, data));
  }

  #onMessage(ws: WebSocket, client: Client, data: RawData): void {
    let msg: { action?: unknown; data?: Record<string, unknown> };
    try {
      msg = JSON.parse(rawText(data)) as typeof msg;
    } catch {
      this.#send(ws, { action: 'error', data: { error_message: 'invalid syntax' } });
      return;
    }
    if (msg.action === 'authenticate' || msg.action === 'auth') {
      const ok = msg.data?.['key_id'] === this.#d.credentials.key && msg.data?.['secret_key'] === this.#d.credentials.secret;
      client.authorized = ok;
      this.#send(ws, { stream: 'authorization', data: { status: ok ? 'authorized' : 'unauthorized', action: 'authenticate' } });
      if (!ok) ws.close(1008, 'unauthorized');
      return;
    }
    if (msg.action === 'listen') {
      if (!client.authorized) {
        this.#send(ws, { stream: 'authorization', data: { status: 'unauthorized', action: 'listen' } });
        return;
      }
      const wanted = msg.data?.['streams'];
      if (!Array.isArray(wanted) || !wanted.every((s) => typeof s === 'string')) {
        this.#send(ws, { action: 'error', data: { error_message: 'invalid syntax: data.streams must be a list of stream names' } });
        return;
      }
      client.streams = new Set(wanted.filter((s) => s === 'trade_updates'));
      this.#send(ws, { stream: 'listening', data: { streams: [...client.streams] } });
      return;
    }
    this.#send(ws, { action: 'error', data: { error_message: `unknown action ${JSON.stringify(msg.action)}` } });
  }

  #publish(u: TradeUpdate): void {
    if (this.#clients.size === 0 || this.#d.faults.silenced('trading')) return;
    const data: Record<string, unknown> = { event: u.event, timestamp: rfc3339(u.timestamp), order: orderJson(u.order, this.#d.calendar) };
    if (u.execution !== undefined) {
      data['execution_id'] = u.execution.id;
      data['price'] = decimal(u.execution.price, 6);
      data['qty'] = decimal(u.execution.qty, 9);
      data['position_qty'] = decimal(u.execution.positionQty, 9);
    }
    const frame = Buffer.from(JSON.stringify({ stream: 'trade_updates', data }));
    for (const [ws, c] of this.#clients) if (c.authorized && c.streams.has('trade_updates')) ws.send(frame, { binary: true });
  }

  #send(ws: WebSocket, msg: unknown): void {
    ws.send(Buffer.from(JSON.stringify(msg)), { binary: true });
  }
}

export function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}
