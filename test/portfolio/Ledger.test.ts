import { describe, expect, it } from 'vitest';
import type { Fill } from '../../src/core/Fill.js';
import { InvariantError } from '../../src/core/errors.js';
import { Ledger } from '../../src/portfolio/Ledger.js';

let seq = 0;
function fill(side: 'buy' | 'sell', qty: number, price: number, time: number, commission = 0, symbol = 'AAPL'): Fill {
  seq++;
  return { executionId: `e${seq}`, orderId: `o${seq}`, clientOrderId: `s-r-${seq}`, symbol, side, qty, price, commission, time };
}

describe('Ledger', () => {
  it('books a buy: cash down, position at its price, no realised P&L', () => {
    const l = new Ledger(10_000);
    const b = l.applyFill(fill('buy', 10, 150.25, 1));
    expect(b).toEqual({ realizedPnl: 0, closedTrade: null });
    expect(l.cash).toBe(10_000 - 1502.5);
    expect(l.positions()).toEqual([{ symbol: 'AAPL', qty: 10, avgPrice: 150.25 }]);
    l.mark('AAPL', 151);
    expect(l.unrealizedPnl()).toBe(7.5);
    expect(l.equity()).toBe(10_000 - 1502.5 + 1510);
  });

  it('averages entries, realises P&L on partial and full exits, and closes one round trip', () => {
    const l = new Ledger(10_000);
    l.applyFill(fill('buy', 10, 100, 1));
    l.applyFill(fill('buy', 10, 110, 2));
    expect(l.positions()[0]!.avgPrice).toBe(105);
    const partial = l.applyFill(fill('sell', 5, 120, 3));
    expect(partial.realizedPnl).toBe(75);
    expect(partial.closedTrade).toBeNull();
    const last = l.applyFill(fill('sell', 15, 100, 4));
    expect(last.realizedPnl).toBe(-75);
    expect(last.closedTrade).toEqual({
      symbol: 'AAPL',
      direction: 'long',
      qty: 20,
      entryTime: 1,
      exitTime: 4,
      entryPrice: 105,
      exitPrice: (5 * 120 + 15 * 100) / 20,
      grossPnl: 0,
      commission: 0,
      netPnl: 0,
    });
    expect(l.realizedPnl).toBe(0);
    expect(l.cash).toBe(10_000);
    expect(l.positions()).toEqual([]);
  });

  it('charges commissions: realised P&L of a round trip equals its net P&L', () => {
    const l = new Ledger(10_000);
    l.applyFill(fill('buy', 100, 10, 1, 1));
    const exit = l.applyFill(fill('sell', 100, 11, 2, 1));
    expect(exit.closedTrade!.grossPnl).toBe(100);
    expect(exit.closedTrade!.commission).toBe(2);
    expect(exit.closedTrade!.netPnl).toBe(98);
    expect(exit.realizedPnl).toBe(98);
    expect(l.commissions).toBe(2);
    expect(l.cash).toBe(10_098);
  });

  it('a flip closes the long and opens a short with the remainder', () => {
    const l = new Ledger(10_000);
    l.applyFill(fill('buy', 10, 100, 1));
    const flip = l.applyFill(fill('sell', 15, 110, 2));
    expect(flip.realizedPnl).toBe(100);
    expect(flip.closedTrade?.direction).toBe('long');
    expect(l.positions()).toEqual([{ symbol: 'AAPL', qty: -5, avgPrice: 110 }]);
    const cover = l.applyFill(fill('buy', 5, 100, 3));
    expect(cover.realizedPnl).toBe(50);
    expect(cover.closedTrade?.direction).toBe('short');
  });

  it('books a fill that overdraws the strategy (a gap up) as it happened', () => {
    const l = new Ledger(1000);
    l.applyFill(fill('buy', 10, 101, 1));
    expect(l.cash).toBe(-10);
    expect(l.positionQty('AAPL')).toBe(10);
  });

  it('stops loudly on a fill that is not a number', () => {
    const l = new Ledger(1000);
    expect(() => l.applyFill(fill('buy', 1, Number.NaN, 1))).toThrow(InvariantError);
    expect(l.cash).toBe(1000);
  });
});
