import type { Alpaca, streaming } from '@alpacahq/alpaca-trade-api';
import { afterEach, describe, expect, it } from 'vitest';
import { KEY, OPEN_0211, SECRET, sdkClient, startEmulator, until, type TestEmulator } from './harness.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** 09:30:20 New York: AAPL's quote of 09:30:15 stands (ask 171.21); at 09:30:30 the bid falls to 170.69. */
const AT_0930_20 = OPEN_0211 + 20_000;

/**
 * Bracket and OTO orders as Alpaca runs them: the exits are created with the entry (ids and client
 * order ids of their own, `held`), become `new` once the entry is completely filled, one filling
 * cancels the other, and canceling one order of the group cancels the rest.
 */
describe('bracket and OTO orders on the emulated venue', () => {
  let t: TestEmulator;
  let alpaca: Alpaca;
  let stream: streaming.TradingStream | null = null;
  const updates: streaming.TradeUpdate[] = [];
  const seen = (): string[] => updates.map((u) => `${u.event} ${u.order.id}`);

  const start = async (over: Parameters<typeof startEmulator>[0] = {}): Promise<void> => {
    t = await startEmulator({ partialFillRate: 0, ...over });
    alpaca = sdkClient(t.urls);
    updates.length = 0;
    stream = alpaca.trading.stream({ url: t.urls.tradeStreamUrl, reconnect: false });
    stream.onTradeUpdate((u) => updates.push(u));
    const listening = new Promise<unknown>((resolve) => stream!.once('subscription', resolve));
    stream.connect();
    stream.subscribeTradeUpdates();
    await listening;
  };
  /** The raw JSON of a trading GET (the SDK's models drop nulls). */
  const get = async (path: string): Promise<Record<string, unknown> & Array<Record<string, unknown>>> => {
    const res = await fetch(`${t.urls.baseUrl}${path}`, { headers: { 'APCA-API-KEY-ID': KEY, 'APCA-API-SECRET-KEY': SECRET } });
    expect(res.status).toBe(200);
    return (await res.json()) as Record<string, unknown> & Array<Record<string, unknown>>;
  };
  const legsOf = (o: Record<string, unknown>): Array<Record<string, unknown>> => o['legs'] as Array<Record<string, unknown>>;

  afterEach(async () => {
    stream?.disconnect();
    await t.stop();
    expect(t.contract.failures).toEqual([]);
  });

  it('answers the POST with both exits under `legs`: orders of their own, held, sells of the entry’s quantity with its time in force', async () => {
    await start();
    const day = await alpaca.trading.orders.bracket({ symbol: 'AAPL', qty: 4, side: 'buy', limitPrice: 170, takeProfit: { limitPrice: 175 }, stopLoss: { stopPrice: 165 }, clientOrderId: 'entry-1' });
    expect([day.status, day.orderClass, day.clientOrderId]).toEqual(['accepted', 'bracket', 'entry-1']);
    expect(day.legs?.map((l) => [l.side, l.type, l.qty, l.status, l.orderClass, l.timeInForce, l.stopPrice ?? null, l.limitPrice ?? null])).toEqual([
      ['sell', 'stop', '4', 'held', 'bracket', 'day', '165', null],
      ['sell', 'limit', '4', 'held', 'bracket', 'day', null, '175'],
    ]);
    for (const l of day.legs!) {
      expect(l.id).toMatch(UUID);
      expect(l.clientOrderId).toMatch(UUID);
    }
    expect(new Set([day.id, ...day.legs!.map((l) => l.id)]).size).toBe(3);
    // Alpaca's legs take the entry's time in force; an OTO has its one exit.
    const gtc = await alpaca.trading.orders.bracket({ symbol: 'AAPL', qty: 2, side: 'buy', limitPrice: 170, takeProfit: { limitPrice: 175 }, stopLoss: { stopPrice: 165 }, timeInForce: 'gtc' });
    expect(gtc.legs?.map((l) => l.timeInForce)).toEqual(['gtc', 'gtc']);
    const oto = await alpaca.trading.orders.oto({ symbol: 'AAPL', qty: 3, side: 'buy', limitPrice: 170, stopLoss: { stopPrice: 165 } });
    expect([oto.orderClass, oto.legs?.map((l) => [l.type, l.qty, l.status, l.orderClass])]).toEqual(['oto', [['stop', '3', 'held', 'oto']]]);
    // The stream says nothing of held exits (nor of the entries: the market is closed).
    await new Promise((r) => setTimeout(r, 50));
    expect(updates).toEqual([]);
    // Held exits neither count in buying power nor trade: only the entries' 9 × 170 are reserved.
    expect((await alpaca.trading.account.getAccount()).buyingPower).toBe(String(100_000 - 9 * 170));
    t.emulator.step(10 * 60_000);
    await until(() => updates.length === 3, 5000, 'the entries routed');
    expect(updates.map((u) => [u.event, u.order.id])).toEqual([day.id, gtc.id, oto.id].map((id) => ['new', id]));
    expect((await alpaca.trading.orders.getOrderByOrderID({ orderId: day.legs![0]!.id! })).status).toBe('held');
  });

  it('activates the exits when the entry is completely filled (`new` on the stream, the ids of the POST answer); one filling cancels the other', async () => {
    await start({ start: AT_0930_20 });
    const entry = await alpaca.trading.orders.bracket({ symbol: 'AAPL', qty: 1, side: 'buy', takeProfit: { limitPrice: 171.8 }, stopLoss: { stopPrice: 170.8 } });
    const [sl, tp] = entry.legs!.map((l) => l.id!);
    await until(() => updates.length === 4, 5000, 'entry new + fill, exits new');
    expect(seen()).toEqual([`new ${entry.id}`, `fill ${entry.id}`, `new ${sl}`, `new ${tp}`]);
    expect(updates.slice(2).map((u) => [u.order.status, u.order.side, u.order.qty, u.order.timeInForce])).toEqual([
      ['new', 'sell', '1', 'day'],
      ['new', 'sell', '1', 'day'],
    ]);
    // Both exits are open: each is counted against the position (Alpaca shows qty_available -1 for a 1-share bracket).
    const position = await get('/v2/positions/AAPL');
    expect([position['qty'], position['qty_available']]).toEqual(['1', '-1']);
    t.emulator.step(15_000);
    await until(() => updates.length === 6, 5000, 'the stop fills, the target is canceled');
    expect(seen().slice(4)).toEqual([`fill ${sl}`, `canceled ${tp}`]);
    expect(updates[4]!.price).toBe('170.69');
    const after = await alpaca.trading.orders.getOrderByOrderID({ orderId: entry.id!, nested: true });
    expect(after.legs?.map((l) => [l.id, l.status])).toEqual([
      [sl, 'filled'],
      [tp, 'canceled'],
    ]);
  });

  it('lists the exits as orders of their own; nested=true also nests them under the entry; a held exit is not open', async () => {
    await start();
    const entry = await alpaca.trading.orders.bracket({ symbol: 'AAPL', qty: 4, side: 'buy', limitPrice: 170, takeProfit: { limitPrice: 175 }, stopLoss: { stopPrice: 165 }, clientOrderId: 'entry-1' });
    const legIds = entry.legs!.map((l) => l.id);
    const ids = (list: Array<Record<string, unknown>>): unknown[] => list.map((o) => o['id']);

    const flat = await get('/v2/orders?status=all&direction=asc');
    expect(ids(flat)).toEqual([entry.id, ...legIds]);
    expect(flat.map((o) => o['legs'])).toEqual([null, null, null]);
    const nested = await get('/v2/orders?status=all&direction=asc&nested=true');
    expect(ids(nested)).toEqual([entry.id, ...legIds]);
    expect(ids(legsOf(nested[0]!))).toEqual(legIds);
    expect(legsOf(nested[0]!).map((l) => [l['status'], l['legs']])).toEqual([
      ['held', null],
      ['held', null],
    ]);
    // "One is opened at a time. The other orders are held": open lists the entry, closed the held exits.
    expect(ids(await get('/v2/orders?status=open&nested=true'))).toEqual([entry.id]);
    expect(ids(await get('/v2/orders?status=closed&direction=asc'))).toEqual(legIds);

    // One order, by id (nested or not) or by client order id: the exits under the entry.
    for (const path of [`/v2/orders/${entry.id}`, `/v2/orders/${entry.id}?nested=true`, '/v2/orders:by_client_order_id?client_order_id=entry-1']) {
      const one = await get(path);
      expect([one['id'], ids(legsOf(one))]).toEqual([entry.id, legIds]);
    }
    const byCid = await alpaca.trading.orders.getOrderByClientOrderId({ clientOrderId: 'entry-1' });
    expect(byCid.legs?.map((l) => l.status)).toEqual(['held', 'held']);
  });

  it('counts the two exits of a bracket once when it checks a new sell, though each shows in qty_available', async () => {
    await start({ start: AT_0930_20 });
    // Strategy A: 10 shares with both exits open. Strategy B: 50 more shares of the same symbol.
    const entry = await alpaca.trading.orders.bracket({ symbol: 'AAPL', qty: 10, side: 'buy', takeProfit: { limitPrice: 175 }, stopLoss: { stopPrice: 160 } });
    await until(() => updates.filter((u) => u.event === 'new').length === 3, 5000, 'the exits active');
    await alpaca.trading.orders.market({ symbol: 'AAPL', qty: 50, side: 'buy' });
    await until(() => updates.filter((u) => u.event === 'fill').length === 2, 5000, 'the second buy filled');
    const position = await get('/v2/positions/AAPL');
    expect([position['qty'], position['qty_available']]).toEqual(['60', '40']);
    // B sells its 50: the pair holds 10 shares, not 20.
    const sell = await alpaca.trading.orders.market({ symbol: 'AAPL', qty: 50, side: 'sell' });
    expect(sell.status).toBe('new');
    await until(() => updates.some((u) => u.event === 'fill' && u.order.id === sell.id), 5000, 'the sell filled');
    await expect(alpaca.trading.orders.market({ symbol: 'AAPL', qty: 1, side: 'sell' })).rejects.toMatchObject({
      status: 403,
      code: 40310000,
      message: 'insufficient qty available for order (requested: 1, available: 0)',
    });
    expect(entry.legs?.length).toBe(2);
  });

  it('cancels the held exits with the entry; canceling a held exit cancels its entry and the other exit', async () => {
    await start({ start: AT_0930_20 });
    const a = await alpaca.trading.orders.bracket({ symbol: 'AAPL', qty: 4, side: 'buy', limitPrice: 150, takeProfit: { limitPrice: 175 }, stopLoss: { stopPrice: 145 } });
    const b = await alpaca.trading.orders.bracket({ symbol: 'AAPL', qty: 4, side: 'buy', limitPrice: 150, takeProfit: { limitPrice: 175 }, stopLoss: { stopPrice: 145 } });
    await until(() => updates.length === 2, 5000, 'both entries new');
    await alpaca.trading.orders.deleteOrderByOrderID({ orderId: a.id! });
    await until(() => updates.length === 5, 5000, 'the entry and its exits canceled');
    expect(seen().slice(2)).toEqual([a.id, ...a.legs!.map((l) => l.id)].map((id) => `canceled ${id}`));
    // DELETE on an exit still held: the whole group goes.
    await alpaca.trading.orders.deleteOrderByOrderID({ orderId: b.legs![1]!.id! });
    await until(() => updates.length === 8, 5000, 'the group canceled');
    expect(seen().slice(5)).toEqual([b.id, ...b.legs!.map((l) => l.id)].map((id) => `canceled ${id}`));
    const legs = (await alpaca.trading.orders.getOrderByOrderID({ orderId: b.id!, nested: true })).legs!;
    expect(legs.map((l) => [l.status, l.canceledAt instanceof Date])).toEqual([
      ['canceled', true],
      ['canceled', true],
    ]);
    expect((await alpaca.trading.account.getAccount()).buyingPower).toBe('100000');
  });

  it('an entry canceled after a partial fill takes its held exits with it: its shares stay without exits (Alpaca activates them only on a complete fill)', async () => {
    // Every fill partial: the first quote fills part of the entry, the clock is paused, the rest waits.
    await start({ start: AT_0930_20, partialFillRate: 1 });
    const entry = await alpaca.trading.orders.bracket({ symbol: 'AAPL', qty: 50, side: 'buy', takeProfit: { limitPrice: 175 }, stopLoss: { stopPrice: 165 } });
    await until(() => updates.some((u) => u.event === 'partial_fill'), 5000, 'a partial fill');
    await alpaca.trading.orders.deleteOrderByOrderID({ orderId: entry.id! });
    await until(() => updates.length === 5, 5000, 'the entry and its exits canceled');
    expect(seen()).toEqual([`new ${entry.id}`, `partial_fill ${entry.id}`, ...[entry.id, ...entry.legs!.map((l) => l.id)].map((id) => `canceled ${id}`)]);
    const filled = Number(updates[1]!.qty);
    expect(filled).toBeGreaterThan(0);
    expect(filled).toBeLessThan(50);
    const position = await get('/v2/positions/AAPL');
    expect([position['qty'], position['qty_available']]).toEqual([String(filled), String(filled)]);
  });

  it('a day entry still working at the close expires with its held exits', async () => {
    await start({ start: AT_0930_20 });
    const entry = await alpaca.trading.orders.bracket({ symbol: 'AAPL', qty: 4, side: 'buy', limitPrice: 150, takeProfit: { limitPrice: 175 }, stopLoss: { stopPrice: 145 } });
    t.emulator.step(Date.parse('2019-02-11T21:00:00Z') - t.emulator.clock.now());
    await until(() => updates.length === 4, 5000, 'expired');
    expect(seen()).toEqual([`new ${entry.id}`, ...[entry.id, ...entry.legs!.map((l) => l.id)].map((id) => `expired ${id}`)]);
    const after = await alpaca.trading.orders.getOrderByOrderID({ orderId: entry.id! });
    expect(after.legs?.map((l) => [l.status, l.expiredAt?.toISOString()])).toEqual([
      ['expired', '2019-02-11T21:00:00.000Z'],
      ['expired', '2019-02-11T21:00:00.000Z'],
    ]);
  });
});
