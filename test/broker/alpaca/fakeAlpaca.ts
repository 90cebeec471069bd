import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/** One request the fake heard: method, path with its query, and the JSON body (if any). */
export interface HeardRequest {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
}

/** What a route answers: a status, a JSON body, extra headers; `hang` never answers (a lost response), `delayMs` answers late. */
export interface Reply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly hang?: boolean;
  readonly delayMs?: number;
}

export type Route = (req: HeardRequest) => Reply;

/**
 * Alpaca's trading API as scripted by a test, byte for byte as Alpaca documents it (snake_case
 * JSON, numbers as strings, `{code, message}` errors) and its trade-updates stream (authenticate,
 * listen, `trade_updates` frames pushed by the test). Routes are keyed `METHOD /path` (no query);
 * an unscripted request is a 404 `{code: 40410000}`.
 */
export class FakeAlpaca {
  readonly heard: HeardRequest[] = [];
  readonly #routes = new Map<string, Route>();
  readonly #sockets = new Set<WebSocket>();
  readonly #server = createServer((req, res) => {
    void readBody(req).then((text) => {
      const path = req.url ?? '/';
      const heard: HeardRequest = { method: req.method ?? 'GET', path, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
      this.heard.push(heard);
      const route = this.#routes.get(`${heard.method} ${path.split('?')[0]}`);
      const reply = route === undefined ? { status: 404, body: { code: 40410000, message: 'not found' } } : route(heard);
      if (reply.hang === true) return;
      setTimeout(() => {
        res.writeHead(reply.status, { 'Content-Type': 'application/json; charset=UTF-8', ...reply.headers });
        res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
      }, reply.delayMs ?? 0);
    });
  });
  readonly #wss = new WebSocketServer({ server: this.#server, path: '/stream' });

  constructor() {
    this.#wss.on('connection', (ws) => {
      this.#sockets.add(ws);
      ws.on('close', () => this.#sockets.delete(ws));
      ws.on('message', (raw) => {
        const m = JSON.parse(String(raw)) as { action?: string };
        if (m.action === 'authenticate') ws.send(JSON.stringify({ stream: 'authorization', data: { status: 'authorized', action: 'authenticate' } }));
        if (m.action === 'listen') ws.send(JSON.stringify({ stream: 'listening', data: { streams: ['trade_updates'] } }));
      });
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  route(key: string, route: Route): void {
    this.#routes.set(key, route);
  }

  /** A `trade_updates` frame to every listening client, as Alpaca sends it (JSON in a binary frame). */
  push(data: unknown): void {
    for (const ws of this.#sockets) ws.send(Buffer.from(JSON.stringify({ stream: 'trade_updates', data })), { binary: true });
  }

  posts(): HeardRequest[] {
    return this.heard.filter((h) => h.method === 'POST' && h.path === '/v2/orders');
  }

  async close(): Promise<void> {
    for (const ws of this.#sockets) ws.terminate();
    this.#wss.close();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString('utf8')));
    req.on('end', () => resolve(text));
  });
}

/** An equity order as Alpaca's REST and stream send it (trading-api.json `Order`), with `over` on top. */
export function alpacaOrder(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'a5be8f5e-fdfa-41f5-a644-7a74fe947a8f',
    client_order_id: 's1-r-1',
    created_at: '2026-11-30T15:00:00.123456789Z',
    updated_at: '2026-11-30T15:00:00.123456789Z',
    submitted_at: '2026-11-30T15:00:00.120000000Z',
    filled_at: null,
    expired_at: null,
    canceled_at: null,
    failed_at: null,
    replaced_at: null,
    replaced_by: null,
    replaces: null,
    asset_id: 'b0b6dd9d-8b9b-48a9-ba46-b9d54906e415',
    symbol: 'AAPL',
    asset_class: 'us_equity',
    notional: null,
    qty: '10',
    filled_qty: '0',
    filled_avg_price: null,
    order_class: '',
    order_type: 'market',
    type: 'market',
    side: 'buy',
    time_in_force: 'day',
    limit_price: null,
    stop_price: null,
    status: 'accepted',
    extended_hours: false,
    legs: null,
    trail_percent: null,
    trail_price: null,
    hwm: null,
    source: null,
    subtag: null,
    ...over,
  };
}
