import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { alpacaEndpoints } from '../../src/broker/alpaca/alpacaClient.js';
import { LiveClock } from '../../src/core/LiveClock.js';
import { AlpacaData, type DataGap } from '../../src/market-data/AlpacaData.js';
import { HistoryCache } from '../../src/market-data/HistoryCache.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BarBatch } from '../../src/market-data/ReplayFeed.js';
import { StaticNyseCalendar } from '../../src/risk/calendar/StaticNyseCalendar.js';
import { ExactSMA } from '../../src/strategies/indicators/ExactSMA.js';
import { KEY, OPEN_0211, SECRET, startEmulator, until, type TestEmulator } from '../emulator/harness.js';
import { admin } from '../emulator/wsClient.js';

const MINUTE = 60_000;

describe('AlpacaData against the emulator', () => {
  let t: TestEmulator;
  let data: AlpacaData;
  const batches: BarBatch[] = [];
  const gaps: DataGap[] = [];

  const open = async (start: number, cache?: HistoryCache): Promise<void> => {
    t = await startEmulator({ start });
    const e = alpacaEndpoints({ keyId: KEY, secretKey: SECRET, baseUrl: t.urls.baseUrl, dataUrl: t.urls.dataUrl, dataStreamUrl: t.urls.dataStreamUrl, feed: 'iex', live: false });
    data = new AlpacaData({ client: e.client, streamUrl: e.dataStreamUrl, feed: 'iex', calendar: new StaticNyseCalendar(), clock: new LiveClock(), log: pino({ level: 'silent' }), batchWaitMs: 200, now: () => t.emulator.clock.now(), ...(cache === undefined ? {} : { cache }) });
    batches.length = 0;
    gaps.length = 0;
  };
  afterEach(async () => {
    data.stop();
    await t.stop();
    expect(t.contract.failures).toEqual([]);
  });

  it('warms up from paginated multi-symbol history, stamped at the end of each bar', async () => {
    await open(Date.parse('2019-02-12T21:00:00Z'));
    const bars = await data.history(['SPY', 'AAPL'], '1Min', OPEN_0211, Date.parse('2019-02-12T20:59:00Z'));
    // Two sessions of 390 minutes, two symbols: 1,560 points in one request of 10,000.
    expect([bars.length, data.requests]).toEqual([1560, 1]);
    expect(bars.slice(0, 2).map((b) => [b.symbol, new Date(b.time).toISOString(), b.open])).toEqual([
      ['AAPL', '2019-02-11T14:31:00.000Z', 171.14],
      ['SPY', '2019-02-11T14:31:00.000Z', 271.19],
    ]);
    const daily = await data.history(['AAPL'], '1Day', Date.parse('2019-02-01T05:00:00Z'), Date.parse('2019-02-12T05:00:00Z'));
    // Stamped at the session's close.
    expect(daily.map((b) => new Date(b.time).toISOString()).slice(-2)).toEqual(['2019-02-11T21:00:00.000Z', '2019-02-12T21:00:00.000Z']);
  });

  it('daily history asked during a session ends with the last closed session: the day still forming is no daily bar', async () => {
    // 2019-02-12 11:00 New York: Alpaca gives the day so far as a daily bar (t = midnight).
    const now = Date.parse('2019-02-12T16:00:00Z');
    await open(now);
    const daily = await data.history(['AAPL'], '1Day', Date.parse('2019-02-06T05:00:00Z'), now);
    expect(daily.map((b) => new Date(b.time).toISOString())).toEqual(['2019-02-06T21:00:00.000Z', '2019-02-07T21:00:00.000Z', '2019-02-08T21:00:00.000Z', '2019-02-11T21:00:00.000Z']);
  });

  it('delivers live minutes in time order, one batch per minute, and backfills a 3-minute outage so nothing is lost or doubled', async () => {
    await open(OPEN_0211 - MINUTE);
    await data.start(['AAPL', 'SPY'], OPEN_0211, (b) => batches.push(b), { gap: (g) => gaps.push(g), silent: () => {}, back: () => {} });
    const step = async (n: number): Promise<void> => {
      for (let i = 0; i < n; i++) {
        t.emulator.step(MINUTE);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    await step(3);
    await until(() => batches.length === 2, 3000, 'two minutes');
    // The stream goes away and cannot come back while 3 minutes of market go by.
    await admin(t.urls.adminUrl, '/faults', { type: 'refuse_connections', stream: 'data', status: 429, seconds: 1.5 });
    await admin(t.urls.adminUrl, '/faults', { type: 'drop_stream', stream: 'data' });
    await step(3);
    await new Promise((r) => setTimeout(r, 1600));
    await until(() => gaps.length === 1, 10_000, 'the backfill');
    await step(2);
    await until(() => batches.length === 7, 5000, 'seven minutes');
    const times = batches.map((b) => new Date(b.time).toISOString().slice(11, 16));
    expect(times).toEqual(['14:31', '14:32', '14:33', '14:34', '14:35', '14:36', '14:37']);
    expect(batches.every((b) => b.bars.map((x) => x.symbol).join() === 'AAPL,SPY')).toBe(true);
    expect(gaps[0]!.backfilled).toBeGreaterThanOrEqual(6);

    // The same minutes from history (no outage): the same bars, so the same indicator values.
    const reference = await data.history(['AAPL', 'SPY'], '1Min', OPEN_0211, OPEN_0211 + 6 * MINUTE);
    const live = batches.flatMap((b) => b.bars);
    expect(live).toEqual(reference);
    const sma = (bars: typeof live): number[] => {
      const s = new ExactSMA(3);
      return bars.filter((b) => b.symbol === 'AAPL').map((b) => (s.push(b.close), s.value ?? Number.NaN));
    };
    expect(sma(live)).toEqual(sma(reference));
  });

  it('keeps warm-up history on disk: a restart asks only for what came since', async () => {
    const cache = new HistoryCache(join(mkdtempSync(join(tmpdir(), 'history-')), 'iex'));
    await open(Date.parse('2019-02-12T16:00:00Z'), cache);
    const from = OPEN_0211 - 86_400_000;
    const first = await data.warmUp(['AAPL', 'SPY'], '1Min', from, t.emulator.clock.now() - MINUTE);
    expect(data.requests).toBe(1);
    t.emulator.step(60 * MINUTE);
    data.requests = 0;
    const to = t.emulator.clock.now() - MINUTE;
    const second = await data.warmUp(['AAPL', 'SPY'], '1Min', from, to);
    // One request for the hour (and the unsettled quarter hour before it), not the day and a half again.
    expect(data.requests).toBe(1);
    expect(second.length).toBe(first.length + 2 * 60);
    expect(second).toEqual(await data.history(['AAPL', 'SPY'], '1Min', from, to));
  });

  it('a stream that was silent over the night and the first minutes of a session: those minutes are backfilled when bars come back', async () => {
    // 2019-02-11 15:58 New York: the last minutes of the day come live.
    const close = Date.parse('2019-02-11T21:00:00Z');
    await open(close - 2 * MINUTE);
    await data.start(['AAPL', 'SPY'], close - 2 * MINUTE, (b) => batches.push(b), { gap: (g) => gaps.push(g), silent: () => {}, back: () => {} });
    t.emulator.step(2 * MINUTE);
    await until(() => batches.some((b) => b.time === close), 5000, 'the close');
    // Mute (connected, nothing sent) across the night and into the next session.
    await admin(t.urls.adminUrl, '/faults', { type: 'silence_stream', stream: 'data', seconds: 1 });
    await admin(t.urls.adminUrl, '/clock', { action: 'jump', to: '2019-02-12T09:34:00-05:00' });
    await new Promise((r) => setTimeout(r, 1200));
    t.emulator.step(MINUTE);
    await until(() => gaps.length === 1, 10_000, 'the backfill of the morning');
    await until(() => batches.some((b) => new Date(b.time).toISOString() === '2019-02-12T14:35:00.000Z'), 5000, '09:35');
    const morning = batches.filter((b) => b.time > close).map((b) => new Date(b.time).toISOString().slice(11, 16));
    expect(morning).toEqual(['14:31', '14:32', '14:33', '14:34', '14:35']);
  });

  it('a stop while the stream is still authenticating ends the start quietly: the stop closed it, nothing failed', async () => {
    await open(OPEN_0211);
    // A data server that accepts the connection and never answers the authentication.
    const mute = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    const connected = new Promise<void>((resolve) => mute.once('connection', () => resolve()));
    await new Promise<void>((resolve) => mute.once('listening', () => resolve()));
    const e = alpacaEndpoints({ keyId: KEY, secretKey: SECRET, baseUrl: t.urls.baseUrl, dataUrl: t.urls.dataUrl, dataStreamUrl: t.urls.dataStreamUrl, feed: 'iex', live: false });
    const { port } = mute.address() as AddressInfo;
    const quiet = new AlpacaData({ client: e.client, streamUrl: `ws://127.0.0.1:${port}/v2/iex`, feed: 'iex', calendar: new StaticNyseCalendar(), clock: new LiveClock(), log: pino({ level: 'silent' }), batchWaitMs: 200, now: () => t.emulator.clock.now() });
    try {
      const started = quiet.start(['AAPL'], OPEN_0211, () => {}, { gap: () => {}, silent: () => {}, back: () => {} });
      await connected;
      quiet.stop();
      await expect(started).resolves.toBeUndefined();
    } finally {
      quiet.stop();
      await new Promise<void>((resolve) => mute.close(() => resolve()));
    }
  });

  it('a stream connected but silent while the market is open: said once within the silence minutes, minutes fed over REST meanwhile, back when bars return', async () => {
    const ten = OPEN_0211 + 30 * MINUTE;
    await open(ten);
    const notices: string[] = [];
    const hm = (ms: number): string => new Date(ms).toISOString().slice(11, 16);
    await data.start(['AAPL', 'SPY'], ten, (b) => batches.push(b), {
      gap: (g) => gaps.push(g),
      silent: (since) => notices.push(`silent since ${hm(since)} (now ${hm(t.emulator.clock.now())})`),
      back: (since) => notices.push(`back, silent since ${hm(since)}`),
    });
    const step = async (n: number, wallMs: number): Promise<void> => {
      for (let i = 0; i < n; i++) {
        t.emulator.step(MINUTE);
        await new Promise((r) => setTimeout(r, wallMs));
      }
    };
    await step(2, 50);
    await until(() => batches.length === 2, 3000, 'two live minutes');
    // Connected, nothing sent, for 9 wall seconds while the market moves 8 minutes (60×).
    await admin(t.urls.adminUrl, '/faults', { type: 'silence_stream', stream: 'data', seconds: 9 });
    await step(8, 1000);
    // Silent from 10:02 (the last bar heard, 15:02 UTC), said once, 3 to 4 market minutes later
    // (a check a second, two wall seconds at least).
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/^silent since 15:02 \(now 15:0[5-7]\)$/);
    // Meanwhile the strategies went on with the minutes REST had.
    expect(batches.length).toBeGreaterThan(4);
    await until(() => !t.emulator.faults.silenced('data'), 5000, 'the end of the silence');
    await step(2, 300);
    await until(() => notices.length === 2, 5000, 'the stream back');
    expect(notices[1]).toBe('back, silent since 15:02');
    await until(() => batches.length === 12, 5000, 'every minute');
    // Every minute once, in order, the same bars as history; the silence is no gap alert.
    expect(batches.map((b) => hm(b.time))).toEqual(Array.from({ length: 12 }, (_, i) => hm(ten + (i + 1) * MINUTE)));
    expect(batches.flatMap((b) => b.bars)).toEqual(await data.history(['AAPL', 'SPY'], '1Min', ten, ten + 11 * MINUTE));
    expect(gaps).toEqual([]);
  });
});
