import WebSocket from 'ws';
import { KEY, SECRET, until } from '../harness.js';

/**
 * A client written from Alpaca's API documentation alone, as a hand-written bot would talk to Alpaca:
 * REST with `fetch` and the two key headers, WebSockets with `ws` and JSON text (no SDK, no msgpack).
 */
export interface RestAnswer<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

export function rest(baseUrl: string) {
  const call = async <T = unknown>(method: string, path: string, body?: unknown): Promise<RestAnswer<T>> => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { 'APCA-API-KEY-ID': KEY, 'APCA-API-SECRET-KEY': SECRET, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (text === '' ? undefined : JSON.parse(text)) as T };
  };
  return {
    call,
    get: <T = unknown>(path: string) => call<T>('GET', path),
    post: <T = unknown>(path: string, body: unknown) => call<T>('POST', path, body),
    patch: <T = unknown>(path: string, body: unknown) => call<T>('PATCH', path, body),
    put: <T = unknown>(path: string, body: unknown) => call<T>('PUT', path, body),
    del: <T = unknown>(path: string) => call<T>('DELETE', path),
  };
}

export type Json = Record<string, unknown>;

/**
 * The market-data stream as the docs describe it: `wss://…/v2/{feed}`, `[{"T":"success","msg":"connected"}]`
 * on connect, `{"action":"auth",…}`, `{"action":"subscribe",…}`; every message an array. JSON is the
 * default: this client sends no Content-Type on the upgrade and records whether frames came as text.
 */
export class JsonDataStream {
  readonly messages: Json[] = [];
  readonly frames: Array<{ readonly binary: boolean; readonly text: string }> = [];
  readonly ws: WebSocket;
  readonly opened: Promise<void>;
  closed = false;

  constructor(url: string, headers: Record<string, string> = {}) {
    this.ws = new WebSocket(url, { headers });
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
    this.ws.on('message', (data: Buffer, binary: boolean) => {
      const text = data.toString('utf8');
      this.frames.push({ binary, text });
      this.messages.push(...(JSON.parse(text) as Json[]));
    });
    this.ws.on('close', () => (this.closed = true));
  }

  send(msg: Json): void {
    this.ws.send(JSON.stringify(msg));
  }

  of(type: string): Json[] {
    return this.messages.filter((m) => m['T'] === type);
  }

  async authenticate(): Promise<void> {
    await this.opened;
    this.send({ action: 'auth', key: KEY, secret: SECRET });
    await until(() => this.messages.some((m) => m['msg'] === 'authenticated'), 3000, 'authenticated');
  }

  async subscribe(channels: Record<string, string[]>): Promise<void> {
    const before = this.of('subscription').length;
    this.send({ action: 'subscribe', ...channels });
    await until(() => this.of('subscription').length > before, 3000, 'subscription');
  }

  close(): void {
    this.ws.close();
  }
}

/** The trade-updates stream as the docs describe it: `authenticate`, `listen`, then `trade_updates` messages. */
export class TradeUpdates {
  readonly updates: Json[] = [];
  readonly ws: WebSocket;

  constructor(url: string) {
    this.ws = new WebSocket(url);
    this.ws.on('message', (data: Buffer) => {
      const m = JSON.parse(data.toString('utf8')) as { stream: string; data: Json };
      if (m.stream === 'trade_updates') this.updates.push(m.data);
    });
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
    let listening = false;
    this.ws.on('message', (data: Buffer) => {
      if ((JSON.parse(data.toString('utf8')) as { stream: string }).stream === 'listening') listening = true;
    });
    this.ws.send(JSON.stringify({ action: 'authenticate', data: { key_id: KEY, secret_key: SECRET } }));
    this.ws.send(JSON.stringify({ action: 'listen', data: { streams: ['trade_updates'] } }));
    await until(() => listening, 3000, 'listening');
  }

  /** The events of one order, in order. */
  of(orderId: string): string[] {
    return this.updates.filter((u) => (u['order'] as Json)['id'] === orderId).map((u) => u['event'] as string);
  }

  close(): void {
    this.ws.close();
  }
}

export const MINUTE = 60_000;
