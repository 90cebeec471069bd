import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EmulatorOptions } from '../../../src/emulator/EmulatorOptions.js';
import { OPEN_0211, startEmulator, until, type TestEmulator } from '../harness.js';
import { JsonDataStream, MINUTE, rest, TradeUpdates, type Json } from './rawClient.js';

/** 2019-02-11 08:00 New York. */
const EIGHT = OPEN_0211 - 90 * MINUTE;
type Bars = { bars: Json[]; next_page_token: string | null };

/**
 * Items 2 and 5: extended hours. Pre-market (04:00–09:30) and after-hours (16:00–20:00) minutes are
 * replayed, streamed and kept in the history like the regular ones when the data has them
 * (`--extended-hours synthetic` makes thin ones up when it has not); `extended_hours: true` limit
 * orders trade in those sessions, every other order waits for the regular session.
 */
describe('conformance: extended hours', () => {
  let t: TestEmulator;
  let api: ReturnType<typeof rest>;
  const closers: Array<{ close(): void }> = [];

  const start = async (over: Partial<EmulatorOptions> = {}): Promise<void> => {
    t = await startEmulator({ partialFillRate: 0, extendedHours: 'synthetic', start: EIGHT, ...over });
    api = rest(t.urls.baseUrl);
  };
  const to = (iso: string): void => t.emulator.step(Date.parse(iso) - t.emulator.clock.now());

  afterEach(async () => {
    for (const c of closers.splice(0)) c.close();
    await t.stop();
    expect(t.contract.failures).toEqual([]);
  });

  it('streams pre-market minutes (bars, quotes, prints; no daily bar) while the clock says closed', async () => {
    await start();
    expect((await api.get<Json>('/v2/clock')).body['is_open']).toBe(false);
    const c = new JsonDataStream(`${t.urls.dataStreamUrl}/v2/iex`);
    closers.push(c);
    await c.authenticate();
    await c.subscribe({ bars: ['AAPL'], quotes: ['AAPL'], dailyBars: ['AAPL'] });
    t.emulator.step(60 * MINUTE);
    await until(() => c.of('b').length > 3, 3000, 'pre-market bars');
    expect(c.of('b').every((b) => (b['t'] as string) >= '2019-02-11T13:00:00' && (b['t'] as string) < '2019-02-11T14:00:00')).toBe(true);
    // Four quotes a minute (the minute under way may have shown its first).
    expect(c.of('q').length - 4 * c.of('b').length).toBeGreaterThanOrEqual(0);
    expect(c.of('q').length - 4 * c.of('b').length).toBeLessThanOrEqual(1);
    expect(c.of('d')).toEqual([]);
    // The history has exactly the minutes streamed, and nothing after now.
    const h = (await api.get<Bars>('/v2/stocks/AAPL/bars?timeframe=1Min&start=2019-02-11T13:00:00Z')).body;
    expect(h.bars.map((b) => b['t'])).toEqual(c.of('b').map((b) => b['t']));
  });

  it('keeps extended minutes in intraday history (the 09:00 hour holds 09:00–09:59), not in daily bars', async () => {
    await start({ start: OPEN_0211 + 7 * 3_600_000 });
    const minutes = (await api.get<Bars>('/v2/stocks/AAPL/bars?timeframe=1Min&start=2019-02-11T14:00:00Z&end=2019-02-11T14:59:00Z')).body.bars;
    const pre = minutes.filter((b) => (b['t'] as string) < '2019-02-11T14:30');
    expect(pre.length).toBeGreaterThan(0);
    const hour = (await api.get<Bars>('/v2/stocks/AAPL/bars?timeframe=1Hour&start=2019-02-11T14:00:00Z&end=2019-02-11T14:00:00Z')).body.bars[0]!;
    expect([hour['o'], hour['c'], hour['v']]).toEqual([minutes[0]!['o'], minutes.at(-1)!['c'], minutes.reduce((s, b) => s + (b['v'] as number), 0)]);
    const day = (await api.get<Bars>('/v2/stocks/AAPL/bars?timeframe=1Day&start=2019-02-11&end=2019-02-11')).body.bars[0]!;
    // The regular session only: its first minute's open and its last minute's close.
    expect([day['o'], day['c']]).toEqual([171.14, 169.45]);
    const after = (await api.get<Bars>('/v2/stocks/AAPL/bars?timeframe=1Min&start=2019-02-11T21:00:00Z')).body.bars;
    expect(after.length).toBeGreaterThan(0);
  });

  it('trades extended_hours limit orders in the pre-market; other orders wait for the open', async () => {
    await start();
    const stream = new TradeUpdates(t.urls.tradeStreamUrl);
    closers.push(stream);
    await stream.listen();
    const ext = (await api.post<Json>('/v2/orders', { symbol: 'AAPL', qty: '2', side: 'buy', type: 'limit', limit_price: '175', time_in_force: 'day', extended_hours: true })).body;
    const regular = (await api.post<Json>('/v2/orders', { symbol: 'AAPL', qty: '2', side: 'buy', type: 'limit', limit_price: '175', time_in_force: 'day' })).body;
    expect([ext['status'], ext['extended_hours'], regular['status']]).toEqual(['new', true, 'accepted']);
    t.emulator.step(60 * MINUTE);
    await until(() => stream.of(String(ext['id'])).includes('fill'), 3000, 'pre-market fill');
    const fill = stream.updates.find((u) => u['event'] === 'fill')!;
    expect((fill['timestamp'] as string) < '2019-02-11T14:30:00').toBe(true);
    expect(stream.of(String(regular['id']))).toEqual([]);
    t.emulator.step(31 * MINUTE);
    await until(() => stream.of(String(regular['id'])).includes('fill'), 3000, 'fill at the open');
    expect(stream.updates.filter((u) => (u['order'] as Json)['id'] === regular['id']).map((u) => [u['event'], u['timestamp']])).toEqual([
      ['new', '2019-02-11T14:30:00.000Z'],
      ['fill', '2019-02-11T14:30:00.000Z'],
    ]);
  });

  it('keeps an extended-hours day order through the after-hours (expires at 20:00), a regular one expires at 16:00', async () => {
    await start({ start: OPEN_0211 + 30 * MINUTE });
    const ext = (await api.post<Json>('/v2/orders', { symbol: 'AAPL', qty: '1', side: 'buy', type: 'limit', limit_price: '100', time_in_force: 'day', extended_hours: true })).body;
    const regular = (await api.post<Json>('/v2/orders', { symbol: 'AAPL', qty: '1', side: 'buy', type: 'limit', limit_price: '100', time_in_force: 'day' })).body;
    expect([ext['expires_at'], regular['expires_at']]).toEqual(['2019-02-12T01:00:00.000Z', '2019-02-11T21:00:00.000Z']);
    to('2019-02-11T21:30:00Z');
    expect([(await api.get<Json>(`/v2/orders/${String(ext['id'])}`)).body['status'], (await api.get<Json>(`/v2/orders/${String(regular['id'])}`)).body['status']]).toEqual(['new', 'expired']);
    // After hours it trades: a buy limit above the market fills at an after-hours ask.
    const late = (await api.post<Json>('/v2/orders', { symbol: 'AAPL', qty: '1', side: 'buy', type: 'limit', limit_price: '175', time_in_force: 'day', extended_hours: true })).body;
    to('2019-02-12T00:00:00Z');
    expect((await api.get<Json>(`/v2/orders/${String(late['id'])}`)).body['status']).toBe('filled');
    to('2019-02-12T01:00:00Z');
    const expired = (await api.get<Json>(`/v2/orders/${String(ext['id'])}`)).body;
    expect([expired['status'], expired['expired_at']]).toEqual(['expired', '2019-02-12T01:00:00.000Z']);
    // Sent after 20:00: accepted, routed at 04:00 the next trading day.
    const night = (await api.post<Json>('/v2/orders', { symbol: 'AAPL', qty: '1', side: 'buy', type: 'limit', limit_price: '100', time_in_force: 'day', extended_hours: true })).body;
    expect(night['status']).toBe('accepted');
    to('2019-02-12T09:00:01Z');
    expect((await api.get<Json>(`/v2/orders/${String(night['id'])}`)).body['status']).toBe('new');
  });

  it('replays the extended-hours minutes a data folder has (no synthetic ones then)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emu-ext-'));
    // Bars stamped by their start (Alpaca's way): a pre-market minute, the open, an after-hours minute.
    writeFileSync(join(dir, 'XYZ_1min.csv'), ['datetime,open,high,low,close,volume', '2019-02-11 08:00:00,10,10.1,10,10.05,300', '2019-02-11 09:30:00,10.2,10.3,10.2,10.25,5000', '2019-02-11 09:31:00,10.25,10.4,10.25,10.4,4000', '2019-02-11 16:10:00,10.5,10.5,10.45,10.45,200'].join('\n'));
    await start({ dataDir: dir, extendedHours: 'data', start: EIGHT - MINUTE });
    t.emulator.step(10 * 3_600_000);
    const minutes = (await api.get<Bars>('/v2/stocks/XYZ/bars?timeframe=1Min&start=2019-02-11')).body.bars;
    expect(minutes.map((b) => b['t'])).toEqual(['2019-02-11T13:00:00.000Z', '2019-02-11T14:30:00.000Z', '2019-02-11T14:31:00.000Z', '2019-02-11T21:10:00.000Z']);
    const day = (await api.get<Bars>('/v2/stocks/XYZ/bars?timeframe=1Day&start=2019-02-11')).body.bars;
    expect(day.map((b) => [b['o'], b['c'], b['v']])).toEqual([[10.2, 10.4, 9000]]);
  });
});

describe('--skip-closed with extended hours', () => {
  it('jumps the night to a minute before the next replayed minute (the pre-market), or the open without one', async () => {
    const ext = await startEmulator({ extendedHours: 'synthetic', skipClosed: true, start: Date.parse('2019-02-12T01:30:00Z') });
    const plain = await startEmulator({ skipClosed: true, start: Date.parse('2019-02-12T01:30:00Z') });
    try {
      ext.emulator.tick();
      plain.emulator.tick();
      const firstPre = (await rest(ext.urls.dataUrl).get<{ bars: Json[] }>('/v2/stocks/AAPL/bars?timeframe=1Min&start=2019-02-12T09:00:00Z')).body.bars;
      expect(firstPre).toEqual([]);
      const t = ext.emulator.clock.now();
      expect(t).toBeGreaterThanOrEqual(Date.parse('2019-02-12T08:59:00Z'));
      expect(t).toBeLessThan(Date.parse('2019-02-12T14:29:00Z'));
      expect(plain.emulator.clock.now()).toBe(Date.parse('2019-02-12T14:29:00Z'));
    } finally {
      await ext.stop();
      await plain.stop();
    }
  });
});
