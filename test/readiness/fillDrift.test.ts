import { describe, expect, it } from 'vitest';
import type { ClosedTrade } from '../../src/portfolio/ClosedTrade.js';
import { compareFills, legsOf, type FillLeg } from '../../src/readiness/fillDrift.js';

const MIN = 60_000;
const leg = (symbol: string, side: 'buy' | 'sell', minute: number, price: number): FillLeg => ({ symbol, side, time: minute * MIN, price, qty: 10 });

describe('legsOf', () => {
  it('gives a round trip’s entry and exit, and an open position’s entry, for trades entered after the clock started', () => {
    const t = (symbol: string, direction: 'long' | 'short', entry: number, exit: number): ClosedTrade => ({
      symbol,
      direction,
      qty: 10,
      entryTime: entry * MIN,
      exitTime: exit * MIN,
      entryPrice: 100,
      exitPrice: 101,
      grossPnl: 10,
      commission: 0,
      netPnl: 10,
    });
    const legs = legsOf([t('SPY', 'long', 1, 5), t('QQQ', 'short', 10, 12)], [{ symbol: 'SPY', direction: 'long', qty: 3, entryTime: 20 * MIN, entryPrice: 99 }], 4 * MIN);
    expect(legs).toEqual([
      { symbol: 'QQQ', side: 'sell', time: 10 * MIN, price: 100, qty: 10 },
      { symbol: 'QQQ', side: 'buy', time: 12 * MIN, price: 101, qty: 10 },
      { symbol: 'SPY', side: 'buy', time: 20 * MIN, price: 99, qty: 3 },
    ]);
  });
});

describe('compareFills', () => {
  it('pairs fills of the same symbol and side within the tolerance and measures the price difference against paper', () => {
    const backtest = [leg('SPY', 'buy', 1, 100), leg('SPY', 'sell', 10, 110), leg('QQQ', 'buy', 20, 50), leg('QQQ', 'sell', 30, 55)];
    // Paper: bought SPY 5 bps dearer, sold it 10 bps cheaper (both worse), sold QQQ 2 bps dearer (better);
    // never bought QQQ at minute 20, bought AAPL instead.
    const paper = [leg('SPY', 'buy', 1.5, 100.05), leg('SPY', 'sell', 10.2, 109.89), leg('AAPL', 'buy', 21, 180), leg('QQQ', 'sell', 30.1, 55.011)];
    const d = compareFills(paper, backtest, 2 * MIN);
    expect(d.paper).toBe(4);
    expect(d.backtest).toBe(4);
    expect(d.matched).toBe(3);
    expect(d.missed).toEqual([leg('QQQ', 'buy', 20, 50)]);
    expect(d.extra).toEqual([leg('AAPL', 'buy', 21, 180)]);
    expect(d.adverseBps[0]).toBeCloseTo(5, 9);
    expect(d.adverseBps[1]).toBeCloseTo(10, 9);
    expect(d.adverseBps[2]).toBeCloseTo(-2, 9);
    expect(d.meanAdverseBps).toBeCloseTo(13 / 3, 9);
    expect(d.medianAbsBps).toBeCloseTo(5, 9);
    expect(d.worstAbsBps).toBeCloseTo(10, 9);
    expect(d.agreement).toBe(0.75);
  });

  it('does not pair fills further apart than the tolerance, and pairs each backtest fill once', () => {
    const d = compareFills([leg('SPY', 'buy', 1, 100), leg('SPY', 'buy', 2, 100)], [leg('SPY', 'buy', 1, 100), leg('SPY', 'buy', 9, 100)], 2 * MIN);
    expect(d.matched).toBe(1);
    expect(d.extra).toEqual([leg('SPY', 'buy', 2, 100)]);
    expect(d.missed).toEqual([leg('SPY', 'buy', 9, 100)]);
    expect(compareFills([], [], MIN)).toMatchObject({ matched: 0, agreement: null, meanAdverseBps: null });
  });
});
