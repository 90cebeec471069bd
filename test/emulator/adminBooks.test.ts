import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OPEN_0211, sdkClient, startEmulator, type TestEmulator } from './harness.js';

interface BookOrder {
  client_order_id: string;
  parent_client_order_id: string | null;
  side: string;
  status: string;
  filled_qty: number;
}

/** GET /admin/books: every order with what filled, for the drills; a bracket's exits name their entry. */
describe('admin books', () => {
  let t: TestEmulator;
  beforeEach(async () => {
    t = await startEmulator({ partialFillRate: 0, start: OPEN_0211 + 20_000 });
  });
  afterEach(async () => {
    await t.stop();
  });

  const books = async (): Promise<{ orders: BookOrder[]; positions: Array<{ symbol: string; qty: number }>; cash: number }> => {
    const res = await fetch(`${t.urls.adminUrl}/books`);
    expect(res.status).toBe(200);
    return (await res.json()) as { orders: BookOrder[]; positions: Array<{ symbol: string; qty: number }>; cash: number };
  };

  it('gives a bracket’s exits the entry’s client order id as parent_client_order_id, and null to every other order', async () => {
    const alpaca = sdkClient(t.urls);
    // A limit under the ask: the entry works, its exits are held.
    const resting = await alpaca.trading.orders.bracket({ symbol: 'AAPL', qty: 3, side: 'buy', limitPrice: 160, takeProfit: { limitPrice: 200 }, stopLoss: { stopPrice: 150 }, clientOrderId: 'e-r1-1' });
    await alpaca.trading.orders.market({ symbol: 'SPY', qty: 1, side: 'buy', clientOrderId: 'plain-r1-2' });
    // Filled at once: its exits are working.
    const filled = await alpaca.trading.orders.bracket({ symbol: 'AAPL', qty: 2, side: 'buy', takeProfit: { limitPrice: 200 }, stopLoss: { stopPrice: 150 }, clientOrderId: 'e-r1-3' });
    const legIds = new Set([...resting.legs!, ...filled.legs!].map((l) => l.clientOrderId));
    const b = await books();
    expect(b.orders.map((o) => [legIds.has(o.client_order_id) ? 'a leg' : o.client_order_id, o.parent_client_order_id, o.side, o.status])).toEqual([
      ['e-r1-1', null, 'buy', 'new'],
      ['a leg', 'e-r1-1', 'sell', 'held'],
      ['a leg', 'e-r1-1', 'sell', 'held'],
      ['plain-r1-2', null, 'buy', 'filled'],
      ['e-r1-3', null, 'buy', 'filled'],
      ['a leg', 'e-r1-3', 'sell', 'new'],
      ['a leg', 'e-r1-3', 'sell', 'new'],
    ]);
    expect(b.positions).toEqual([
      { symbol: 'AAPL', qty: 2 },
      { symbol: 'SPY', qty: 1 },
    ]);
  });
});
