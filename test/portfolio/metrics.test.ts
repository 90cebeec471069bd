import { describe, expect, it } from 'vitest';
import type { ClosedTrade } from '../../src/portfolio/ClosedTrade.js';
import { EquityCurve } from '../../src/portfolio/EquityCurve.js';
import { computeMetrics, TRADING_DAYS_PER_YEAR } from '../../src/portfolio/metrics.js';
import { missedTargets } from '../../src/portfolio/validationTargets.js';

const at = (iso: string): number => Date.parse(iso);

/** Four New York days closing at 1100, 1045, 1045, 1149.5 from 1000: daily returns 0.1, −0.05, 0, 0.1. */
function fourDays(): EquityCurve {
  const c = new EquityCurve(1000);
  c.push(at('2024-01-02T15:00:00Z'), 1000, false);
  c.push(at('2024-01-02T20:00:00Z'), 1100, true);
  c.push(at('2024-01-03T15:00:00Z'), 990, true);
  c.push(at('2024-01-03T20:00:00Z'), 1045, true);
  c.push(at('2024-01-04T15:00:00Z'), 1045, false);
  c.push(at('2024-01-04T20:00:00Z'), 1045, false);
  c.push(at('2024-01-05T15:00:00Z'), 1120, true);
  c.push(at('2024-01-05T20:00:00Z'), 1149.5, false);
  return c;
}

function trade(netPnl: number): ClosedTrade {
  return { symbol: 'AAPL', direction: 'long', qty: 1, entryTime: 0, exitTime: 1, entryPrice: 100, exitPrice: 100 + netPnl, grossPnl: netPnl, commission: 0, netPnl };
}

const ROOT_252 = Math.sqrt(252); // 15.874507866387544

describe('computeMetrics', () => {
  it('computes returns, risk and drawdown figures from the daily closes', () => {
    const m = computeMetrics(fourDays(), [], { fills: 8 });
    // Total return: 1149.5 / 1000 − 1 = 0.1495.
    expect(m.totalReturn).toBeCloseTo(0.1495, 12);
    expect(m.tradingDays).toBe(4);
    // CAGR over 4 trading days: 1.1495^(252/4) − 1 = 1.1495^63 − 1 = e^(63·ln 1.1495) − 1 = e^8.77763 − 1 ≈ 6486.32.
    expect(m.cagr).toBe(1.1495 ** 63 - 1);
    expect(m.cagr).toBeCloseTo(6486.32, 2);
    // Returns 0.1, −0.05, 0, 0.1: mean 0.15/4 = 0.0375; deviations 0.0625, −0.0875, −0.0375, 0.0625;
    // squares 0.00390625 + 0.00765625 + 0.00140625 + 0.00390625 = 0.016875; sample variance
    // 0.016875/3 = 0.005625; σ = 0.075. Volatility 0.075·√252 = 1.190588…
    expect(m.annualizedVolatility).toBeCloseTo(0.075 * ROOT_252, 12);
    // Sharpe (rf 0) = 0.0375/0.075·√252 = 0.5·√252 = 7.937253…
    expect(m.sharpe).toBeCloseTo(0.5 * ROOT_252, 12);
    expect(m.sharpe).toBeCloseTo(7.937254, 6);
    // Downside deviation √((0 + 0.05² + 0 + 0)/4) = √0.000625 = 0.025; Sortino 0.0375/0.025·√252 = 1.5·√252.
    expect(m.sortino).toBeCloseTo(1.5 * ROOT_252, 12);
    expect(m.maxDrawdown.depth).toBeCloseTo(0.1, 15);
    expect(m.maxDrawdown.recoveryTime).toBe(at('2024-01-05T15:00:00Z'));
    // 8 fills over 4 days.
    expect(m.fills).toBe(8);
    expect(m.fillsPerDay).toBe(2);
    // A position was open at 4 of the 8 points.
    expect(m.exposure).toBe(0.5);
    expect(m.riskFreeRate).toBe(0);
  });

  it('takes a risk-free rate as an annual fraction, compounded daily over 252 days', () => {
    const m = computeMetrics(fourDays(), [], { riskFreeRate: 0.04 });
    // rf per day = 1.04^(1/252) − 1 = 0.000155650…; mean excess 0.0375 − 0.000155650 = 0.037344350;
    // Sharpe = 0.037344350/0.075·√252 = 0.49792467·15.8745079 = 7.904310…
    const rfDaily = 1.04 ** (1 / TRADING_DAYS_PER_YEAR) - 1;
    expect(rfDaily).toBeCloseTo(0.00015565, 8);
    expect(m.sharpe).toBeCloseTo(((0.0375 - rfDaily) / 0.075) * ROOT_252, 12);
    expect(m.sharpe).toBeCloseTo(7.90431, 4);
    // Downside against rf: excess returns 0.09984435, −0.05015565, −0.00015565, 0.09984435;
    // √((0.05015565² + 0.00015565²)/4) = √(0.0025156…/4) = 0.0250779…
    const downside = Math.sqrt(((-0.05 - rfDaily) ** 2 + rfDaily ** 2) / 4);
    expect(m.sortino).toBeCloseTo(((0.0375 - rfDaily) / downside) * ROOT_252, 10);
    expect(m.riskFreeRate).toBe(0.04);
  });

  it('computes trade statistics from closed round trips after costs', () => {
    const m = computeMetrics(fourDays(), [trade(60), trade(-20), trade(30), trade(-10), trade(0)]);
    expect(m.trades).toBe(5);
    // A flat trade is neither a win nor a loss, but it is a trade: 2 wins of 5.
    expect(m.winRate).toBe(0.4);
    // Gross profit 60 + 30 = 90, gross loss 20 + 10 = 30: profit factor 3.
    expect(m.profitFactor).toBe(3);
    expect(m.averageWin).toBe(45);
    expect(m.averageLoss).toBe(-15);
    // (60 − 20 + 30 − 10 + 0) / 5 = 12.
    expect(m.expectancy).toBe(12);
    // 5 trades over 4 trading days.
    expect(m.tradesPerDay).toBe(1.25);
    expect(m.fills).toBe(0);
  });

  it('leaves undefined ratios null instead of dividing by zero', () => {
    const flat = new EquityCurve(1000);
    flat.push(at('2024-01-02T15:00:00Z'), 1000, false);
    flat.push(at('2024-01-03T15:00:00Z'), 1000, false);
    const m = computeMetrics(flat, [trade(5)]);
    // Returns 0, 0: σ = 0, no downside.
    expect(m.annualizedVolatility).toBe(0);
    expect(m.sharpe).toBeNull();
    expect(m.sortino).toBeNull();
    // One winning trade, no losing one: no profit factor, no average loss.
    expect(m.profitFactor).toBeNull();
    expect(m.averageLoss).toBeNull();
    expect(m.winRate).toBe(1);

    const none = computeMetrics(new EquityCurve(1000), []);
    expect(none).toMatchObject({ totalReturn: 0, cagr: null, tradingDays: 0, annualizedVolatility: null, sharpe: null, winRate: null, expectancy: null, exposure: 0, tradesPerDay: 0 });
  });
});

describe('missedTargets', () => {
  it("names the seed's targets a strategy misses, and not those its sample cannot tell", () => {
    // fourDays: 4 trading days, too few for a Sharpe (20): the Sharpe target is not missed, it is unknown.
    const few = computeMetrics(fourDays(), [trade(60), trade(-20), trade(30)]);
    expect(missedTargets(few)).toEqual([]);
    // The drawdown and the trades a day need no minimum sample: 5 trades over 4 days is 1.25 a day.
    expect(missedTargets(computeMetrics(fourDays(), Array.from({ length: 100 }, () => trade(1))))).toEqual(['trades/day < 20']);
  });
});
