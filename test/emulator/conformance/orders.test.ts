import { afterEach, describe, expect, it } from 'vitest';
import type { EmulatorOptions } from '../../../src/emulator/EmulatorOptions.js';
import { OPEN_0211, startEmulator, until, type TestEmulator } from '../harness.js';
import { MINUTE, rest, TradeUpdates, type Json } from './rawClient.js';

/**
 * Item 2: the order kinds Alpaca accepts (docs "Orders at Alpaca": order types, time in force, bracket
 * / OCO / OTO orders, extended hours), each checked for what the client sees: the POST answer, the
 * trade updates, the fills' prices. The test market is AAPL on 2019-02-11: its 09:30 minute quotes
 * 171.13/171.15, 171.19/171.21, 170.69/170.71, 170.96/170.98 at 0, 15, 30 and 45 s.
 */
describe('conformance: order kinds', () => {
  let t: TestEmulator;
  let api: ReturnType<typeof rest>;
  let stream: TradeUpdates;

  const start = async (over: Partial<EmulatorOptions> = {}): Promise<void> => {
    t = await startEmulator({ partialFillRate: 0, start: OPEN_0211 + 5_000, ...over });
    api = rest(t.urls.baseUrl);
    stream = new TradeUpdates(t.urls.tradeStreamUrl);
    await stream.listen();
  };
  const order = async (body: Json): Promise<Json> => {
    const r = await api.post<Json>('/v2/orders', { symbol: 'AAPL', side: 'buy', time_in_force: 'day', ...body });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body;
  };
  const refused = async (body: Json): Promise<[number, string]> => {
    const r = await api.post<Json>('/v2/orders', { symbol: 'AAPL', side: 'buy', time_in_force: 'day', ...body });
    return [r.status, String(r.body['message'])];
  };
  const fills = (id: unknown): Json[] => stream.updates.filter((u) => (u['order'] as Json)['id'] === id && (u['event'] === 'fill' || u['event'] === 'partial_fill'));
  const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 60));
  const get = async (id: unknown): Promise<Json> => (await api.get<Json>(`/v2/orders/${String(id)}`)).body;

  afterEach(async () => {
    stream.close();
    await t.stop();
    expect(t.contract.failures).toEqual([]);
  });

  it('stop_limit: nothing until the stop is reached, then a limit (filled at the quote once the limit allows)', async () => {
    await start();
    const o = await order({ type: 'stop_limit', qty: '2', stop_price: '171.20', limit_price: '170.75' });
    // A stop-limit that is never triggered does not trade, though its limit is marketable.
    const idle = await order({ type: 'stop_limit', qty: '1', stop_price: '172.00', limit_price: '172.50' });
    expect([o['type'], o['order_type'], o['stop_price'], o['limit_price'], o['status']]).toEqual(['stop_limit', 'stop_limit', '171.2', '170.75', 'new']);
    t.emulator.step(20_000); // 15 s: ask 171.21 reaches the stop; the limit 170.75 is not reachable.
    await settle();
    expect(fills(o['id'])).toEqual([]);
    t.emulator.step(15_000); // 30 s: ask 170.71, under the limit.
    await until(() => fills(o['id']).length === 1, 3000, 'fill');
    expect([fills(o['id'])[0]!['price'], fills(o['id'])[0]!['timestamp']]).toEqual(['170.71', '2019-02-11T14:30:30.000Z']);
    expect((await get(idle['id']))['status']).toBe('new');
  });

  it('notional: market day orders sized in dollars, filled in fractional shares; qty shows null', async () => {
    await start();
    const o = await order({ type: 'market', notional: '1000' });
    expect([o['notional'], o['qty']]).toEqual(['1000', null]);
    await until(() => fills(o['id']).length === 1, 3000, 'fill');
    const done = await get(o['id']);
    // 1000 / 171.15 (the ask), to nine decimals.
    expect([done['status'], done['filled_qty'], done['filled_avg_price'], done['qty']]).toEqual(['filled', '5.842827928', '171.15', null]);
    expect((await refused({ type: 'limit', limit_price: '170', notional: '100' }))[0]).toBe(422);
  });

  it('fractional qty on market and limit day orders; positions and sells in fractions', async () => {
    await start();
    const m = await order({ type: 'market', qty: '0.5' });
    const l = await order({ type: 'limit', qty: '0.25', limit_price: '171.16' });
    await until(() => fills(m['id']).length === 1 && fills(l['id']).length === 1, 3000, 'fills');
    const pos = (await api.get<Json>('/v2/positions/AAPL')).body;
    expect(pos['qty']).toBe('0.75');
    const sell = await order({ type: 'market', side: 'sell', qty: '0.75' });
    await until(() => fills(sell['id']).length === 1, 3000, 'sell');
    expect((await api.get('/v2/positions/AAPL')).status).toBe(404);
    expect(await refused({ type: 'limit', qty: '0.5', limit_price: '170', time_in_force: 'gtc' })).toEqual([422, 'fractional orders must be market or limit orders with time_in_force day']);
  });

  it('ioc fills what is marketable now and cancels the rest; fok fills all at once or nothing', async () => {
    await start({ partialFillRate: 1 });
    const none = await order({ type: 'limit', qty: '5', limit_price: '170.00', time_in_force: 'ioc' });
    const part = await order({ type: 'market', qty: '50', time_in_force: 'ioc' });
    const all = await order({ type: 'limit', qty: '40', limit_price: '171.16', time_in_force: 'fok' });
    const kill = await order({ type: 'limit', qty: '40', limit_price: '171.00', time_in_force: 'fok' });
    await until(() => [none, part, all, kill].every((o) => ['canceled', 'fill'].includes(stream.of(String(o['id'])).at(-1)!)), 3000, 'all done');
    expect(stream.of(String(none['id']))).toEqual(['new', 'canceled']);
    // Every fill is partial here (rate 1): the ioc gets one, then the rest is canceled.
    expect(stream.of(String(part['id']))).toEqual(['new', 'partial_fill', 'canceled']);
    expect(Number((await get(part['id']))['filled_qty'])).toBeLessThan(50);
    expect(stream.of(String(all['id']))).toEqual(['new', 'fill']);
    expect(fills(all['id'])[0]!['qty']).toBe('40');
    expect(stream.of(String(kill['id']))).toEqual(['new', 'canceled']);
    t.emulator.step(10 * MINUTE);
    await settle();
    expect(stream.updates.filter((u) => (u['order'] as Json)['id'] === part['id']).length).toBe(3);
  });

  it('opg trades in the opening auction at the first minute’s open (market, and limit if the open allows); refused from 9:28', async () => {
    await start({ start: OPEN_0211 - 31 * MINUTE });
    const moo = await order({ type: 'market', qty: '10', time_in_force: 'opg' });
    const loo = await order({ type: 'limit', qty: '10', limit_price: '171.00', time_in_force: 'opg' });
    expect([moo['status'], moo['time_in_force']]).toEqual(['accepted', 'opg']);
    t.emulator.step(29 * MINUTE); // 09:28
    expect(await refused({ type: 'market', qty: '1', time_in_force: 'opg' })).toEqual([422, 'opg orders are not accepted between 9:28 and 19:00 ET']);
    t.emulator.step(3 * MINUTE);
    await until(() => fills(moo['id']).length === 1 && stream.of(String(loo['id'])).includes('canceled'), 3000, 'auction');
    expect([fills(moo['id'])[0]!['price'], fills(moo['id'])[0]!['timestamp']]).toEqual(['171.14', '2019-02-11T14:30:00.000Z']);
    expect(stream.of(String(loo['id']))).toEqual(['new', 'canceled']);
  });

  it('cls trades in the closing auction at the last minute’s close; refused from 15:50', async () => {
    await start();
    const moc = await order({ type: 'market', qty: '3', time_in_force: 'cls' });
    expect(moc['status']).toBe('new');
    t.emulator.step(Date.parse('2019-02-11T20:55:00Z') - t.emulator.clock.now());
    await settle();
    expect(fills(moc['id'])).toEqual([]);
    expect(await refused({ type: 'market', qty: '1', time_in_force: 'cls' })).toEqual([422, 'cls orders are not accepted from 10 minutes before the close to 19:00 ET']);
    t.emulator.step(6 * MINUTE);
    await until(() => fills(moc['id']).length === 1, 3000, 'auction');
    expect([fills(moc['id'])[0]!['price'], fills(moc['id'])[0]!['timestamp']]).toEqual(['169.45', '2019-02-11T20:59:59.999Z']);
  });

  it('oco: a take-profit and a stop for a position already held; one cancels the other', async () => {
    await start();
    const buy = await order({ type: 'market', qty: '10' });
    await until(() => fills(buy['id']).length === 1, 3000, 'buy');
    const oco = await order({ side: 'sell', type: 'limit', qty: '10', time_in_force: 'gtc', order_class: 'oco', take_profit: { limit_price: '175.00' }, stop_loss: { stop_price: '170.80' } });
    const legs = oco['legs'] as Json[];
    expect([oco['order_class'], oco['type'], oco['limit_price'], legs.length, legs[0]!['type'], legs[0]!['stop_price'], legs[0]!['status']]).toEqual(['oco', 'limit', '175', 1, 'stop', '170.8', 'new']);
    // A second sell of the same shares is refused: the pair holds them (once).
    expect((await refused({ side: 'sell', type: 'market', qty: '1' }))[0]).toBe(403);
    t.emulator.step(30_000); // 30 s: bid 170.69 reaches the stop.
    await until(() => fills(legs[0]!['id']).length === 1 && stream.of(String(oco['id'])).length === 2, 3000, 'stop-loss fill, take-profit canceled');
    expect(fills(legs[0]!['id'])[0]!['price']).toBe('170.69');
    expect(stream.of(String(oco['id']))).toEqual(['new', 'canceled']);
    expect((await api.get('/v2/positions/AAPL')).status).toBe(404);
    // Listed as two orders; nested, the take-profit is the parent.
    const nested = (await api.get<Json[]>('/v2/orders?status=all&nested=true')).body.find((x) => x['id'] === oco['id'])!;
    expect((nested['legs'] as Json[]).map((x) => [x['id'], x['status']])).toEqual([[legs[0]!['id'], 'filled']]);
  });

  it('oco: the take-profit filling cancels the stop; PATCH moves a leg’s price', async () => {
    await start();
    const buy = await order({ type: 'market', qty: '4' });
    await until(() => fills(buy['id']).length === 1, 3000, 'buy');
    const oco = await order({ side: 'sell', type: 'limit', qty: '4', order_class: 'oco', take_profit: { limit_price: '172.00' }, stop_loss: { stop_price: '165.00', limit_price: '164.50' } });
    const sl = (oco['legs'] as Json[])[0]!;
    expect([sl['type'], sl['stop_price'], sl['limit_price']]).toEqual(['stop_limit', '165', '164.5']);
    // 171.15 is above the bid of the minute's first quote (171.13), so the moved leg rests until the next
    // quote; a lower price would be marketable at once and fill at 171.13 whenever the venue next looks.
    const moved = (await api.patch<Json>(`/v2/orders/${String(oco['id'])}`, { limit_price: '171.15' })).body;
    expect([moved['limit_price'], moved['replaces'], moved['status']]).toEqual(['171.15', oco['id'], 'new']);
    t.emulator.step(15_000); // bid 171.19
    await until(() => fills(moved['id']).length === 1 && stream.of(String(sl['id'])).length === 2, 3000, 'take-profit fill, stop-loss canceled');
    expect(fills(moved['id'])[0]!['price']).toBe('171.19');
    expect(stream.of(String(sl['id']))).toEqual(['new', 'canceled']);
    expect(stream.of(String(oco['id']))).toEqual(['new', 'replaced']);
  });

  it('bracket with a stop-limit stop-loss: triggered at the stop, filled only within its limit', async () => {
    await start();
    const b = await order({ type: 'market', qty: '1', order_class: 'bracket', take_profit: { limit_price: '175' }, stop_loss: { stop_price: '170.80', limit_price: '170.70' } });
    const [sl] = (b['legs'] as Json[]).filter((l) => l['stop_price'] !== null);
    expect([sl!['type'], sl!['limit_price'], sl!['status']]).toEqual(['stop_limit', '170.7', 'held']);
    await until(() => fills(b['id']).length === 1, 3000, 'entry');
    // 30 s: bid 170.69 reaches the stop but is under the limit; 45 s: bid 170.96 is within it.
    t.emulator.step(40_000);
    await until(() => fills(sl!['id']).length === 1, 3000, 'stop-limit fill');
    expect([fills(sl!['id'])[0]!['price'], fills(sl!['id'])[0]!['timestamp']]).toEqual(['170.96', '2019-02-11T14:30:45.000Z']);
  });

  it('refuses what Alpaca refuses about these kinds, naming the field', async () => {
    await start();
    expect(await refused({ type: 'stop_limit', qty: '1', stop_price: '170' })).toEqual([422, 'limit_price is required for stop_limit orders']);
    expect(await refused({ type: 'market', qty: '1', extended_hours: true })).toEqual([422, 'extended hours order must be DAY or GTC limit orders']);
    expect(await refused({ type: 'stop', stop_price: '170', qty: '1', time_in_force: 'fok' })).toEqual([422, 'time_in_force fok takes market and limit orders only']);
    expect(await refused({ side: 'sell', type: 'limit', qty: '1', order_class: 'oco', take_profit: { limit_price: '175' }, stop_loss: { stop_price: '170' } })).toEqual([
      403,
      'insufficient qty available for order (requested: 1, available: 0)',
    ]);
  });
});
