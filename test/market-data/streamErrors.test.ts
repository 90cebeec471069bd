import type { AddressInfo } from 'node:net';
import { decode, encode } from '@msgpack/msgpack';
import type { Alpaca } from '@alpacahq/alpaca-trade-api';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { WebSocketServer, type RawData } from 'ws';
import { LiveClock } from '../../src/core/LiveClock.js';
import { AlpacaData } from '../../src/market-data/AlpacaData.js';
import { StaticNyseCalendar } from '../../src/risk/calendar/StaticNyseCalendar.js';
import { sdkClient } from '../emulator/harness.js';

type Frame = Record<string, unknown>;

/**
 * Alpaca's stock stream at one endpoint, scripted: `connected` on open, then each client message
 * answered by `answer` (msgpack both ways, as the SDK speaks it); a null answer closes the socket,
 * and so does Alpaca after a 406.
 */
async function scriptedStream(answer: (msg: Frame) => Frame | null): Promise<{ url: string; connections: () => number; close: () => Promise<void> }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  let connections = 0;
  wss.on('connection', (ws) => {
    connections++;
    ws.send(encode([{ T: 'success', msg: 'connected' }]));
    ws.on('message', (data: RawData) => {
      const reply = answer(decode(data as Buffer) as Frame);
      if (reply === null) ws.close();
      else ws.send(encode([reply]));
      if (reply?.['code'] === 406) ws.close();
    });
  });
  const { port } = wss.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/v2/sip`,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => (wss.clients.forEach((c) => c.terminate()), wss.close(() => resolve()))),
  };
}

const T = Date.parse('2019-02-11T15:00:00Z');
const notices = { gap: () => {}, silent: () => {}, back: () => {} };
const client = sdkClient({ baseUrl: 'http://127.0.0.1:1', dataUrl: 'http://127.0.0.1:1', dataStreamUrl: 'ws://127.0.0.1:1', adminUrl: 'http://127.0.0.1:1' } as never) as Alpaca;

/** How the start ends within `ms` wall milliseconds: its error's message, or that it still waits. */
async function startOutcome(url: string, ms: number, authWaitMs?: number): Promise<string> {
  const data = new AlpacaData({ client, streamUrl: url, feed: 'sip', calendar: new StaticNyseCalendar(), clock: new LiveClock(), log: pino({ level: 'silent' }), now: () => T, ...(authWaitMs === undefined ? {} : { authWaitMs }) });
  try {
    const started = data.start(['AAPL'], T, () => {}, notices).then(
      () => 'started',
      (e: unknown) => (e as Error).message,
    );
    return await Promise.race([started, new Promise<string>((r) => setTimeout(() => r('still starting'), ms))]);
  } finally {
    data.stop();
  }
}

describe("Alpaca's stream errors at the start", () => {
  it('409 insufficient subscription (a feed the plan does not include): the start fails at once, saying so', async () => {
    const s = await scriptedStream((m) => (m['action'] === 'auth' ? { T: 'error', code: 409, msg: 'insufficient subscription' } : null));
    try {
      expect(await startOutcome(s.url, 3000)).toBe(
        'market-data stream (sip feed): insufficient subscription: the market-data plan of these API keys does not include the sip feed (the free plan has iex only: set ALPACA_DATA_FEED=iex)',
      );
    } finally {
      await s.close();
    }
  });

  it('405 symbol limit exceeded on the subscription: the start fails saying so, it does not wait for ever', async () => {
    const s = await scriptedStream((m) => (m['action'] === 'auth' ? { T: 'success', msg: 'authenticated' } : { T: 'error', code: 405, msg: 'symbol limit exceeded' }));
    try {
      expect(await startOutcome(s.url, 3000)).toBe('market-data stream (sip feed): symbol limit exceeded: more symbols than the market-data plan of these API keys allows on one connection');
    } finally {
      await s.close();
    }
  });

  it('406 connection limit exceeded: retried with backoff while the start waits, then the start fails naming it', async () => {
    const s = await scriptedStream((m) => (m['action'] === 'auth' ? { T: 'error', code: 406, msg: 'connection limit exceeded' } : null));
    try {
      expect(await startOutcome(s.url, 4000, 2500)).toBe(
        'market-data stream (sip feed): connection limit exceeded: Alpaca allows one market-data connection per account and feed, and another is open with these API keys (another daemon, a notebook), or a dead one Alpaca has not dropped yet (it does within about 90 s)',
      );
      // Backoff from 1 s: a few attempts, no hammering.
      expect(s.connections()).toBeLessThanOrEqual(3);
    } finally {
      await s.close();
    }
  });
});
