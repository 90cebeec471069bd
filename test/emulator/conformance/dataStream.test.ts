import { decode, encode } from '@msgpack/msgpack';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { KEY, SECRET, startEmulator, until, type TestEmulator } from '../harness.js';
import { JsonDataStream, MINUTE } from './rawClient.js';

/**
 * Item 1: the market-data stream speaks clear-text JSON unless the upgrade asks for msgpack
 * (docs.alpaca.markets/docs/streaming-market-data: "Content-Type: application/msgpack" selects msgpack,
 * in both directions). A client that asks for nothing is a JSON client.
 */
describe('conformance: the market-data stream speaks JSON by default', () => {
  let t: TestEmulator;
  const open: Array<{ close(): void }> = [];

  beforeEach(async () => {
    t = await startEmulator();
  });
  afterEach(async () => {
    for (const c of open.splice(0)) c.close();
    await t.stop();
  });

  it('talks JSON text frames to a client that sends no Content-Type: connected, auth, subscribe, data with RFC-3339 times', async () => {
    const c = new JsonDataStream(`${t.urls.dataStreamUrl}/v2/iex`);
    open.push(c);
    await c.authenticate();
    expect(c.messages.slice(0, 2)).toEqual([
      { T: 'success', msg: 'connected' },
      { T: 'success', msg: 'authenticated' },
    ]);
    await c.subscribe({ bars: ['AAPL'], quotes: ['AAPL'], trades: ['AAPL'], dailyBars: ['AAPL'] });
    t.emulator.step(2 * MINUTE);
    await until(() => c.of('b').length === 1, 3000, 'a bar');
    expect(c.frames.every((f) => !f.binary)).toBe(true);
    const b = c.of('b')[0]!;
    expect(b).toMatchObject({ T: 'b', S: 'AAPL', t: '2019-02-11T14:30:00.000Z', o: 171.14, c: 170.97, v: 619925 });
    expect(typeof b['n']).toBe('number');
    expect(c.of('q')[0]!['t']).toBe('2019-02-11T14:30:00.000Z');
    expect(c.of('t').length).toBeGreaterThan(4);
    expect(c.of('d')[0]).toMatchObject({ T: 'd', S: 'AAPL', t: '2019-02-11T05:00:00.000Z' });
  });

  it('answers errors in JSON too (400 on bad syntax, 402 on bad keys)', async () => {
    const c = new JsonDataStream(`${t.urls.dataStreamUrl}/v2/iex`);
    open.push(c);
    await c.opened;
    c.ws.send('not json');
    c.send({ action: 'auth', key: KEY, secret: 'wrong' });
    await until(() => c.closed, 3000, 'closed after 402');
    expect(c.of('error')).toEqual([
      { T: 'error', code: 400, msg: 'invalid syntax' },
      { T: 'error', code: 402, msg: 'auth failed' },
    ]);
  });

  it('speaks msgpack both ways when the upgrade carries Content-Type: application/msgpack', async () => {
    const ws = new WebSocket(`${t.urls.dataStreamUrl}/v2/iex`, { headers: { 'Content-Type': 'application/msgpack' } });
    open.push(ws);
    const frames: Array<{ binary: boolean; msgs: Array<Record<string, unknown>> }> = [];
    ws.on('message', (data: Buffer, binary: boolean) => frames.push({ binary, msgs: decode(data) as Array<Record<string, unknown>> }));
    await new Promise((r) => ws.once('open', r));
    ws.send(encode({ action: 'auth', key: KEY, secret: SECRET }));
    await until(() => frames.some((f) => f.msgs.some((m) => m['msg'] === 'authenticated')), 3000, 'authenticated');
    ws.send(encode({ action: 'subscribe', bars: ['SPY'] }));
    await until(() => frames.some((f) => f.msgs.some((m) => m['T'] === 'subscription')), 3000, 'subscription');
    t.emulator.step(2 * MINUTE);
    await until(() => frames.some((f) => f.msgs.some((m) => m['T'] === 'b')), 3000, 'a bar');
    expect(frames.every((f) => f.binary)).toBe(true);
    const bar = frames.flatMap((f) => f.msgs).find((m) => m['T'] === 'b')!;
    // msgpack carries times as the timestamp extension.
    expect(bar['t']).toBeInstanceOf(Date);
  });

  it('keeps application/json as an explicit choice, and takes the keys from the upgrade headers', async () => {
    const c = new JsonDataStream(`${t.urls.dataStreamUrl}/v2/sip`, { 'Content-Type': 'application/json', 'APCA-API-KEY-ID': KEY, 'APCA-API-SECRET-KEY': SECRET });
    open.push(c);
    await until(() => c.messages.some((m) => m['msg'] === 'authenticated'), 3000, 'authenticated by headers');
    expect(c.frames.every((f) => !f.binary)).toBe(true);
  });
});
