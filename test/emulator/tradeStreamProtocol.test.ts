import WebSocket from 'ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KEY, OPEN_0211, SECRET, startEmulator, until, type TestEmulator } from './harness.js';
import { RawDataClient } from './wsClient.js';

/** A bare trade-updates client: JSON out, every frame recorded with whether it came binary. */
class RawTradeClient {
  readonly frames: Array<{ binary: boolean; msg: Record<string, unknown> }> = [];
  readonly ws: WebSocket;
  readonly opened: Promise<void>;
  closed = false;

  constructor(url: string) {
    this.ws = new WebSocket(url);
    this.opened = new Promise((resolve) => this.ws.once('open', () => resolve()));
    this.ws.on('message', (data: Buffer, binary: boolean) => this.frames.push({ binary, msg: JSON.parse(data.toString('utf8')) as Record<string, unknown> }));
    this.ws.on('close', () => (this.closed = true));
  }

  send(msg: unknown): void {
    this.ws.send(JSON.stringify(msg));
  }
}

describe('trade-updates stream protocol', () => {
  let t: TestEmulator;
  beforeEach(async () => {
    t = await startEmulator({ start: OPEN_0211 + 20_000, partialFillRate: 0 });
  });
  afterEach(async () => {
    await t.stop();
  });

  it('authorizes, answers every listen (idempotent), and sends each update once, in binary frames', async () => {
    const c = new RawTradeClient(t.urls.tradeStreamUrl);
    await c.opened;
    c.send({ action: 'listen', data: { streams: ['trade_updates'] } });
    c.send({ action: 'authenticate', data: { key_id: KEY, secret_key: SECRET } });
    c.send({ action: 'listen', data: { streams: ['trade_updates'] } });
    c.send({ action: 'listen', data: { streams: ['trade_updates'] } });
    await until(() => c.frames.length === 4, 2000, 'four answers');
    expect(c.frames.map((f) => f.msg)).toEqual([
      { stream: 'authorization', data: { status: 'unauthorized', action: 'listen' } },
      { stream: 'authorization', data: { status: 'authorized', action: 'authenticate' } },
      { stream: 'listening', data: { streams: ['trade_updates'] } },
      { stream: 'listening', data: { streams: ['trade_updates'] } },
    ]);
    const res = await fetch(`${t.urls.baseUrl}/v2/orders`, {
      method: 'POST',
      headers: { 'APCA-API-KEY-ID': KEY, 'APCA-API-SECRET-KEY': SECRET, 'Content-Type': 'application/json' },
      body: JSON.stringify({ symbol: 'SPY', qty: '1', side: 'buy', type: 'market', time_in_force: 'day' }),
    });
    expect(res.status).toBe(200);
    await until(() => c.frames.length === 6, 2000, 'new and fill');
    await new Promise((r) => setTimeout(r, 50));
    expect(c.frames.length).toBe(6);
    expect(c.frames.every((f) => f.binary)).toBe(true);
    const fill = c.frames[5]!.msg as { stream: string; data: Record<string, unknown> };
    expect(fill.stream).toBe('trade_updates');
    expect(Object.keys(fill.data).sort()).toEqual(['event', 'execution_id', 'order', 'position_qty', 'price', 'qty', 'timestamp']);
    expect([fill.data['event'], fill.data['qty'], fill.data['position_qty']]).toEqual(['fill', '1', '1']);
    // An empty list stops the updates.
    c.send({ action: 'listen', data: { streams: [] } });
    await until(() => c.frames.length === 7, 2000, 'listening []');
    expect(c.frames[6]!.msg).toEqual({ stream: 'listening', data: { streams: [] } });
  });

  it('says unauthorized to wrong keys and closes', async () => {
    const c = new RawTradeClient(t.urls.tradeStreamUrl);
    await c.opened;
    c.send({ action: 'authenticate', data: { key_id: KEY, secret_key: 'nope' } });
    await until(() => c.closed, 2000, 'closed');
    expect(c.frames.map((f) => f.msg)).toEqual([{ stream: 'authorization', data: { status: 'unauthorized', action: 'authenticate' } }]);
  });

  it('re-sends a minute bar revised by late trades as u, with the same time label', async () => {
    await t.stop();
    t = await startEmulator({ updatedBarRate: 1 });
    const c = new RawDataClient(`${t.urls.dataStreamUrl}/v2/sip`);
    await c.opened;
    c.send({ action: 'auth', key: KEY, secret: SECRET });
    c.send({ action: 'subscribe', bars: ['AAPL'], updatedBars: ['AAPL'] });
    await until(() => c.of('subscription').length === 1, 2000, 'subscription');
    t.emulator.step(3 * 60_000);
    await until(() => c.of('u').length >= 1, 2000, 'updated bar');
    c.close();
    const b = c.of('b')[0]!;
    const u = c.of('u')[0]!;
    // One late print more: the revision holds the whole minute (the bar file's volume), the first bar all but it.
    expect([u['S'], (u['t'] as Date).toISOString(), u['o'], u['c'], u['v'], u['n']]).toEqual(['AAPL', (b['t'] as Date).toISOString(), b['o'], b['c'], 619925, (b['n'] as number) + 1]);
    expect(b['v']).toBe(619925 - 100);
  });
});
