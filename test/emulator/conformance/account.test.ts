import { afterEach, describe, expect, it } from 'vitest';
import type { EmulatorOptions } from '../../../src/emulator/EmulatorOptions.js';
import { OPEN_0211, startEmulator, until, type TestEmulator } from '../harness.js';
import { MINUTE, rest, TradeUpdates, type Json } from './rawClient.js';

type History = { timestamp: number[]; equity: number[]; profit_loss: number[]; profit_loss_pct: number[]; base_value: number; base_value_asof?: string; timeframe: string };

/**
 * Item 3 (trading API): account activities (FILL, paged as the spec and docs say), portfolio history,
 * account configurations and watchlists, through raw HTTP.
 */
describe('conformance: the account’s activities, history, configurations and watchlists', () => {
  let t: TestEmulator;
  let api: ReturnType<typeof rest>;
  let stream: TradeUpdates | null = null;

  const start = async (over: Partial<EmulatorOptions> = {}): Promise<void> => {
    t = await startEmulator({ start: OPEN_0211 + 5_000, partialFillRate: 0, ...over });
    api = rest(t.urls.baseUrl);
  };
  /** Buys at market and moves the market on until the order is filled (partial fills come one a quote). */
  const buy = async (qty: number): Promise<Json> => {
    stream ??= new TradeUpdates(t.urls.tradeStreamUrl);
    if (stream.updates.length === 0) await stream.listen();
    const o = (await api.post<Json>('/v2/orders', { symbol: 'AAPL', qty: String(qty), side: 'buy', type: 'market', time_in_force: 'day' })).body;
    for (let i = 0; i < 40 && !stream.of(String(o['id'])).includes('fill'); i++) {
      await new Promise((r) => setTimeout(r, 20));
      t.emulator.step(15_000);
    }
    await until(() => stream!.of(String(o['id'])).includes('fill'), 5000, 'filled');
    return o;
  };

  afterEach(async () => {
    stream?.close();
    stream = null;
    await t.stop();
    expect(t.contract.failures).toEqual([]);
  });

  it('lists every execution as a FILL activity, newest first, paged by page_token', async () => {
    await start({ partialFillRate: 1 });
    const o = await buy(20);
    t.emulator.step(2 * MINUTE);
    const all = (await api.get<Json[]>('/v2/account/activities')).body;
    expect(all.length).toBeGreaterThan(1);
    expect(all.every((a) => a['activity_type'] === 'FILL' && a['order_id'] === o['id'] && /^\d{17}::[0-9a-f-]{36}$/.test(a['id'] as string))).toBe(true);
    const asc = [...all].reverse();
    expect(asc.reduce((s, a) => s + Number(a['qty']), 0)).toBe(20);
    expect(asc.map((a) => Number(a['cum_qty']))).toEqual(asc.map((_, i) => asc.slice(0, i + 1).reduce((s, a) => s + Number(a['qty']), 0)));
    expect(asc.map((a) => Number(a['leaves_qty']))).toEqual(asc.map((a) => 20 - Number(a['cum_qty'])));
    expect([asc.at(-1)!['type'], asc.at(-1)!['order_status'], asc[0]!['type'], asc[0]!['order_status']]).toEqual(['fill', 'filled', 'partial_fill', 'partially_filled']);
    // The id's time is New York time, as in Alpaca's example (`20190524113406977::…` for 15:34:06.977Z).
    expect((asc[0]!['id'] as string).slice(0, 12)).toBe('201902110930');
    // Pages of two, each starting after the last id of the one before.
    const paged: Json[] = [];
    let token = '';
    for (;;) {
      const page = (await api.get<Json[]>(`/v2/account/activities/FILL?page_size=2${token === '' ? '' : `&page_token=${token}`}`)).body;
      if (page.length === 0) break;
      paged.push(...page);
      token = page.at(-1)!['id'] as string;
    }
    expect(paged).toEqual(all);
    expect((await api.get<Json[]>('/v2/account/activities?direction=asc')).body).toEqual(asc);
    // Bounds on the transaction time (exclusive), one trading date, types and categories.
    const second = asc[1]!['transaction_time'] as string;
    expect((await api.get<Json[]>(`/v2/account/activities?direction=asc&after=${second}`)).body).toEqual(asc.filter((a) => (a['transaction_time'] as string) > second));
    expect((await api.get<Json[]>(`/v2/account/activities?direction=asc&until=${second}`)).body).toEqual(asc.filter((a) => (a['transaction_time'] as string) < second));
    expect((await api.get<Json[]>('/v2/account/activities?date=2019-02-11')).body).toEqual(all);
    expect((await api.get<Json[]>('/v2/account/activities?date=2019-02-12')).body).toEqual([]);
    expect((await api.get<Json[]>('/v2/account/activities?activity_types=FILL,DIV')).body).toEqual(all);
    expect((await api.get<Json[]>('/v2/account/activities?category=non_trade_activity')).body).toEqual([]);
    expect((await api.get<Json[]>('/v2/account/activities/DIV')).body).toEqual([]);
    expect((await api.get('/v2/account/activities/NOPE')).status).toBe(422);
    expect((await api.get('/v2/account/activities?activity_types=FILL&category=trade_activity')).status).toBe(422);
    expect((await api.get('/v2/account/activities?date=2019-02-11&until=2019-02-12')).status).toBe(422);
  });

  it('gives the portfolio history from the executions and the replayed prices', async () => {
    await start();
    await buy(20);
    const a0 = (await api.get<Json>('/v2/account')).body;
    const cash = Number(a0['cash']);
    t.emulator.step(Date.parse('2019-02-11T21:00:00Z') - t.emulator.clock.now());
    const account = (await api.get<Json>('/v2/account')).body;
    const day = (await api.get<History>('/v2/account/portfolio/history?period=1D&timeframe=15Min')).body;
    expect(day.timeframe).toBe('15Min');
    expect(day.timestamp).toHaveLength(26);
    expect(day.timestamp[0]).toBe(OPEN_0211 / 1000);
    // Each point: the cash plus 20 shares at the close of the window's last minute.
    const minutes = (await rest(t.urls.dataUrl).get<{ bars: Array<{ t: string; c: number }> }>('/v2/stocks/AAPL/bars?timeframe=1Min&start=2019-02-11&limit=10000')).body.bars;
    const closeAt = (end: number): number => minutes.filter((m) => Date.parse(m.t) + MINUTE <= end).at(-1)!.c;
    expect(day.equity.slice(0, 3)).toEqual([0, 1, 2].map((i) => Math.round((cash + 20 * closeAt(OPEN_0211 + (i + 1) * 15 * MINUTE)) * 100) / 100));
    expect(day.equity.at(-1)).toBe(Number(account['equity']));
    // A new account: P/L against its first point.
    expect([day.base_value, day.base_value_asof, day.profit_loss.at(-1)]).toEqual([day.equity[0], undefined, Math.round((day.equity.at(-1)! - day.equity[0]!) * 100) / 100]);
    const daily = (await api.get<History>('/v2/account/portfolio/history?period=1W&timeframe=1D')).body;
    expect([daily.timestamp, daily.equity]).toEqual([[Date.parse('2019-02-11T05:00:00Z') / 1000], [Number(account['equity'])]]);
    // The next day, intraday P/L is against the previous close (base_value_asof).
    t.emulator.step(Date.parse('2019-02-12T15:00:00Z') - t.emulator.clock.now());
    const today = (await api.get<History>('/v2/account/portfolio/history?period=1D&timeframe=5Min')).body;
    expect([today.base_value, today.base_value_asof, today.timestamp.length]).toEqual([Number(account['equity']), '2019-02-11', 6]);
    expect(today.profit_loss[0]).toBeCloseTo(today.equity[0]! - Number(account['equity']), 2);
    expect((await api.get('/v2/account/portfolio/history?period=1M&start=2019-02-01T00:00:00Z&end=2019-02-12T00:00:00Z')).status).toBe(422);
    expect((await api.get('/v2/account/portfolio/history?period=2M&timeframe=1Min')).status).toBe(422);
  });

  it('reads and changes the account configurations; suspend_trade and fractional_trading take effect', async () => {
    await start();
    const base = (await api.get<Json>('/v2/account/configurations')).body;
    expect(base).toMatchObject({ suspend_trade: false, fractional_trading: true, no_shorting: true, trade_confirm_email: 'all', dtbp_check: 'entry' });
    const changed = await api.patch<Json>('/v2/account/configurations', { suspend_trade: true, trade_confirm_email: 'none' });
    expect([changed.status, changed.body['suspend_trade'], changed.body['trade_confirm_email']]).toEqual([200, true, 'none']);
    expect((await api.get<Json>('/v2/account')).body['trade_suspended_by_user']).toBe(true);
    const refused = await api.post<Json>('/v2/orders', { symbol: 'AAPL', qty: '1', side: 'buy', type: 'market', time_in_force: 'day' });
    expect([refused.status, refused.body['code']]).toEqual([403, 40310000]);
    await api.patch('/v2/account/configurations', { suspend_trade: false, fractional_trading: false });
    const fractional = await api.post<Json>('/v2/orders', { symbol: 'AAPL', notional: '100', side: 'buy', type: 'market', time_in_force: 'day' });
    expect([fractional.status, fractional.body['message']]).toEqual([422, 'fractional trading is disabled for this account (account configurations: fractional_trading)']);
    expect((await api.post<Json>('/v2/orders', { symbol: 'AAPL', qty: '1', side: 'buy', type: 'market', time_in_force: 'day' })).status).toBe(200);
    for (const bad of [{ no_shorting: false }, { max_margin_multiplier: '4' }, { dtbp_check: 'never' }, { bogus: 1 }]) {
      expect((await api.patch('/v2/account/configurations', bad)).status, JSON.stringify(bad)).toBe(422);
    }
    expect((await api.get<Json>('/v2/account/configurations')).body).toMatchObject({ fractional_trading: false, no_shorting: true });
  });

  it('keeps watchlists: create, list, add, remove, rename, by name, delete', async () => {
    await start();
    const created = await api.post<Json>('/v2/watchlists', { name: 'Tech', symbols: ['AAPL'] });
    expect([created.status, created.body['name'], (created.body['assets'] as Json[]).map((a) => a['symbol'])]).toEqual([200, 'Tech', ['AAPL']]);
    const id = created.body['id'] as string;
    expect((await api.get<Json[]>('/v2/watchlists')).body.map((w) => [w['id'], w['name'], 'assets' in w])).toEqual([[id, 'Tech', false]]);
    const added = (await api.post<Json>(`/v2/watchlists/${id}`, { symbol: 'SPY' })).body;
    expect((added['assets'] as Json[]).map((a) => a['symbol'])).toEqual(['AAPL', 'SPY']);
    expect((await api.post(`/v2/watchlists/${id}`, { symbol: 'SPY' })).status).toBe(422);
    expect(((await api.del<Json>(`/v2/watchlists/${id}/AAPL`)).body['assets'] as Json[]).map((a) => a['symbol'])).toEqual(['SPY']);
    const renamed = (await api.put<Json>(`/v2/watchlists/${id}`, { name: 'Core', symbols: ['SPY', 'AAPL'] })).body;
    expect([renamed['name'], (renamed['assets'] as Json[]).map((a) => a['symbol'])]).toEqual(['Core', ['SPY', 'AAPL']]);
    expect((await api.get<Json>('/v2/watchlists:by_name?name=Core')).body['id']).toBe(id);
    expect((await api.call('POST', '/v2/watchlists:by_name?name=Core', { symbol: 'AAPL' })).status).toBe(422);
    expect((await api.post('/v2/watchlists', { name: 'Core' })).status).toBe(422);
    expect((await api.post('/v2/watchlists', { name: 'Other', symbols: ['NOPE'] })).status).toBe(422);
    expect((await api.del('/v2/watchlists:by_name?name=Core')).status).toBe(204);
    expect((await api.get(`/v2/watchlists/${id}`)).status).toBe(404);
    expect((await api.get<Json[]>('/v2/watchlists')).body).toEqual([]);
  });
});
