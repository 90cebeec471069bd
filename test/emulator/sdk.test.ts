import type { Alpaca } from '@alpacahq/alpaca-trade-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { streaming } from '@alpacahq/alpaca-trade-api';
import { OPEN_0211, sdkClient, startEmulator, until, type TestEmulator } from './harness.js';

const MINUTE = 60_000;

describe('the official SDK (v4) against the emulator', () => {
  let t: TestEmulator;
  let alpaca: Alpaca;

  beforeAll(async () => {
    t = await startEmulator();
    alpaca = sdkClient(t.urls);
  });
  afterAll(async () => {
    await t.stop();
    expect(t.contract.failures).toEqual([]);
  });

  it('reads the account of a fresh paper account', async () => {
    const a = await alpaca.trading.account.getAccount();
    expect(a.cash).toBe('100000');
    expect(a.equity).toBe('100000');
    expect(a.buyingPower).toBe('100000');
    expect(a.status).toBe('ACTIVE');
  });

  it('reads the clock before and after the open', async () => {
    const before = await alpaca.trading.clock.legacyClock();
    expect(before.isOpen).toBe(false);
    expect(before.nextOpen.toISOString()).toBe('2019-02-11T14:30:00.000Z');
    t.emulator.step(2 * MINUTE);
    const after = await alpaca.trading.clock.legacyClock();
    expect(after.isOpen).toBe(true);
    expect(after.timestamp.toISOString()).toBe('2019-02-11T14:31:00.000Z');
    expect(after.nextClose.toISOString()).toBe('2019-02-11T21:00:00.000Z');
  });

  it('reads the calendar: Presidents Day 2019-02-18 is a holiday', async () => {
    const days = await alpaca.trading.calendar.legacyCalendar({ start: new Date('2019-02-11T00:00:00Z'), end: new Date('2019-02-22T00:00:00Z') });
    expect(days.map((d) => String(d.date instanceof Date ? d.date.toISOString().slice(0, 10) : d.date))).toEqual([
      '2019-02-11', '2019-02-12', '2019-02-13', '2019-02-14', '2019-02-15', '2019-02-19', '2019-02-20', '2019-02-21', '2019-02-22',
    ]);
    expect(days[0]!.open).toBe('09:30');
    expect(days[0]!.close).toBe('16:00');
  });
});

describe('orders, positions and trade updates through the official SDK', () => {
  let t: TestEmulator;
  let alpaca: Alpaca;
  const updates: streaming.TradeUpdate[] = [];
  let stream: ReturnType<Alpaca['trading']['stream']>;

  beforeAll(async () => {
    // No random partial fills here: every fill below has an exact expected price.
    t = await startEmulator({ partialFillRate: 0 });
    alpaca = sdkClient(t.urls);
    stream = alpaca.trading.stream({ url: t.urls.tradeStreamUrl, reconnect: false });
    stream.onTradeUpdate((u) => updates.push(u));
    const listening = new Promise<unknown>((resolve) => stream.once('subscription', resolve));
    stream.connect();
    stream.subscribeTradeUpdates();
    expect(await stream.waitForAuthentication(5000)).toBe(true);
    await listening;
    // 09:30:30 New York: the AAPL path has quoted its open (171.14), high (171.20) and now its low (170.70).
    t.emulator.step(OPEN_0211 + 30_000 - t.emulator.clock.now());
  });
  afterAll(async () => {
    stream.disconnect();
    await t.stop();
    expect(t.contract.failures).toEqual([]);
  });

  it('fills a market buy at the ask and reports new then fill on the stream', async () => {
    const order = await alpaca.trading.orders.market({ symbol: 'AAPL', qty: 10, side: 'buy', clientOrderId: 'sma-run1-1' });
    expect(order.status).toBe('new');
    expect(order.clientOrderId).toBe('sma-run1-1');
    await until(() => updates.some((u) => u.event === 'fill'), 5000, 'the fill');
    const mine = updates.filter((u) => u.order.clientOrderId === 'sma-run1-1');
    expect(mine.map((u) => u.event)).toEqual(['new', 'fill']);
    const fill = mine[1]!;
    // NBBO around 170.70: bid 170.69, ask 170.71 (half a basis point each side, whole cents).
    expect([fill.price, fill.qty, fill.positionQty]).toEqual(['170.71', '10', '10']);
    expect(fill.executionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(fill.order.filledQty).toBe('10');
    expect(fill.order.filledAvgPrice).toBe('170.71');
  });

  it('values the position at the last trade and the account adds up', async () => {
    const [p] = await alpaca.trading.positions.getAllOpenPositions();
    // The last print is the 09:30:15 high (171.20): the low's print comes a millisecond after its quote.
    expect([p!.symbol, p!.qty, p!.avgEntryPrice, p!.currentPrice, p!.marketValue, p!.costBasis, p!.unrealizedPl]).toEqual(['AAPL', '10', '170.71', '171.2', '1712', '1707.1', '4.9']);
    const a = await alpaca.trading.account.getAccount();
    expect([a.cash, a.longMarketValue, a.equity, a.portfolioValue]).toEqual(['98292.9', '1712', '100004.9', '100004.9']);
  });

  it('refuses a duplicate client order id with 422', async () => {
    await expect(alpaca.trading.orders.market({ symbol: 'AAPL', qty: 1, side: 'buy', clientOrderId: 'sma-run1-1' })).rejects.toMatchObject({ status: 422, message: expect.stringContaining('client_order_id must be unique') });
  });

  it('lists, replaces, finds by client id and cancels a resting limit order', async () => {
    const resting = await alpaca.trading.orders.limit({ symbol: 'SPY', qty: 5, side: 'buy', limitPrice: 200, timeInForce: 'gtc', clientOrderId: 'rsi-run1-1' });
    const open = await alpaca.trading.orders.getAllOrders({ status: 'open' });
    expect(open.map((o) => o.id)).toEqual([resting.id]);
    const replaced = await alpaca.trading.orders.patchOrderByOrderId({ orderId: resting.id!, patchOrderRequest: { limitPrice: '201.5', clientOrderId: 'rsi-run1-2' } });
    expect(replaced.id).not.toBe(resting.id);
    expect(replaced.replaces).toBe(resting.id);
    expect(replaced.limitPrice).toBe('201.5');
    const old = await alpaca.trading.orders.getOrderByOrderID({ orderId: resting.id! });
    expect([old.status, old.replacedBy]).toEqual(['replaced', replaced.id]);
    const byClient = await alpaca.trading.orders.getOrderByClientOrderId({ clientOrderId: 'rsi-run1-2' });
    expect(byClient.id).toBe(replaced.id);
    await alpaca.trading.orders.deleteOrderByOrderID({ orderId: replaced.id! });
    await until(() => updates.some((u) => u.event === 'canceled'), 5000, 'the cancel');
    expect(updates.filter((u) => u.order.symbol === 'SPY').map((u) => `${u.event} ${u.order.clientOrderId}`)).toEqual([
      'new rsi-run1-1',
      'replaced rsi-run1-1',
      'new rsi-run1-2',
      'canceled rsi-run1-2',
    ]);
    expect(await alpaca.trading.orders.getAllOrders({ status: 'open' })).toEqual([]);
    const closed = await alpaca.trading.orders.getAllOrders({ status: 'closed', direction: 'asc' });
    expect(closed.map((o) => `${o.clientOrderId} ${o.status}`)).toEqual(['sma-run1-1 filled', 'rsi-run1-1 replaced', 'rsi-run1-2 canceled']);
  });

  it('closes part of a position, then all positions', async () => {
    const part = await alpaca.trading.positions.deleteOpenPosition({ symbolOrAssetId: 'AAPL', qty: 4 });
    expect([part.side, part.qty, part.type]).toEqual(['sell', '4', 'market']);
    await until(() => updates.some((u) => u.event === 'fill' && u.order.id === part.id), 5000, 'the partial close');
    const sold = updates.find((u) => u.event === 'fill' && u.order.id === part.id)!;
    expect([sold.price, sold.qty, sold.positionQty]).toEqual(['170.69', '4', '6']);
    const [p] = await alpaca.trading.positions.getAllOpenPositions();
    expect(p!.qty).toBe('6');
    const all = await alpaca.trading.positions.deleteAllOpenPositions({ cancelOrders: true });
    expect(all.map((x) => [x.symbol, x.status])).toEqual([['AAPL', 200]]);
    await until(() => updates.filter((u) => u.event === 'fill').length === 3, 5000, 'the final close');
    expect(await alpaca.trading.positions.getAllOpenPositions()).toEqual([]);
    await expect(alpaca.trading.positions.getOpenPosition({ symbolOrAssetId: 'AAPL' })).rejects.toMatchObject({ status: 404, code: 40410000 });
    const a = await alpaca.trading.account.getAccount();
    // Bought 10 at 170.71, sold 4 + 6 at the bid 170.69: 0.02 × 10 lost to the spread.
    expect([a.cash, a.equity]).toEqual(['99999.8', '99999.8']);
  });
});
