import { describe, expect, it } from 'vitest';
import type { OrderIntent } from '../../src/core/Order.js';
import { OpenOrders } from '../../src/runner/OpenOrders.js';

const intent = (symbol: string, side: 'buy' | 'sell', qty: number, limitPrice?: number): OrderIntent => ({ symbol, side, qty, type: limitPrice === undefined ? 'market' : 'limit', limitPrice });

describe('OpenOrders', () => {
  it('keeps the cash the open buys hold as closes move, fills come and orders finish', () => {
    const closes = new Map([['AAPL', 100], ['MSFT', 50]]);
    // $1 a order plus a cent a share.
    const open = new OpenOrders((s) => closes.get(s), (qty) => 1 + qty * 0.01);
    open.add({ clientOrderId: 'a-1', intent: intent('AAPL', 'buy', 10), remaining: 10 });
    open.add({ clientOrderId: 'a-2', intent: intent('MSFT', 'buy', 4, 49), remaining: 4 });
    open.add({ clientOrderId: 'a-3', intent: intent('MSFT', 'sell', 3), remaining: 3 });
    expect(open.reservedCash).toBeCloseTo(10 * 100 + 1.1 + 4 * 49 + 1.04, 9);
    expect([open.has('AAPL'), open.has('SPY'), open.pendingQty('MSFT'), open.size]).toEqual([true, false, 1, 3]);
    // A market buy holds the last close; a limit buy its limit.
    closes.set('AAPL', 102);
    closes.set('MSFT', 60);
    open.onPrice('AAPL');
    open.onPrice('MSFT');
    expect(open.reservedCash).toBeCloseTo(10 * 102 + 1.1 + 4 * 49 + 1.04, 9);
    open.filled('a-1', 4);
    expect(open.reservedCash).toBeCloseTo(6 * 102 + 1.06 + 4 * 49 + 1.04, 9);
    open.drop('a-2');
    expect(open.reservedCash).toBeCloseTo(6 * 102 + 1.06, 9);
    expect(open.list().map((o) => o.clientOrderId)).toEqual(['a-1', 'a-3']);
    open.drop('a-1');
    open.drop('a-3');
    // Nothing open: exactly zero, no rounding left over.
    expect([open.reservedCash, open.size, open.has('AAPL')]).toEqual([0, 0, false]);
  });

  it('answers by symbol across thousands of symbols numbered as their orders come', () => {
    const open = new OpenOrders(() => 10, () => 0);
    const symbols = Array.from({ length: 5000 }, (_, i) => `S${i}`);
    symbols.forEach((s, i) => open.add({ clientOrderId: `o-${i}`, intent: intent(s, i % 2 === 0 ? 'buy' : 'sell', i + 1), remaining: i + 1 }));
    expect([open.has('S0'), open.has('S4999'), open.pendingQty('S4998'), open.pendingQty('S4999'), open.has('S5000')]).toEqual([true, true, 4999, -5000, false]);
    // The buys hold 10 a share: 1 + 3 + … + 4999.
    expect(open.reservedCash).toBe(10 * 2500 * 2500);
    symbols.forEach((_, i) => open.drop(`o-${i}`));
    expect([open.size, open.has('S4999'), open.pendingQty('S0'), open.symbols()]).toEqual([0, false, 0, []]);
  });
});
