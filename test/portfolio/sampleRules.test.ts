import { describe, expect, it } from 'vitest';
import type { ClosedTrade } from '../../src/portfolio/ClosedTrade.js';
import { EquityCurve } from '../../src/portfolio/EquityCurve.js';
import { computeMetrics } from '../../src/portfolio/metrics.js';
import { formatHonestRatio, honestRatio, honestRatios, sampleNotes } from '../../src/portfolio/sampleRules.js';
import { judgeTargets } from '../../src/portfolio/validationTargets.js';

/** One equity point at 20:00 UTC (15:00 New York) on each of `days` weekdays from 2024-01-02, in the market when `exposed(i)`. */
function daily(equity: readonly number[], exposed: (i: number) => boolean): EquityCurve {
  const c = new EquityCurve(1000);
  const d = new Date('2024-01-02T20:00:00Z');
  equity.forEach((e, i) => {
    while (d.getUTCDay() === 0 || d.getUTCDay() === 6) d.setUTCDate(d.getUTCDate() + 1);
    c.push(d.getTime(), e, exposed(i));
    d.setUTCDate(d.getUTCDate() + 1);
  });
  return c;
}

const trade = (netPnl: number): ClosedTrade => ({ symbol: 'X', direction: 'long', qty: 1, entryTime: 0, exitTime: 1, entryPrice: 100, exitPrice: 100 + netPnl, grossPnl: netPnl, commission: 0, netPnl });
/** Lose 1 % on day 1, then sit flat (a breaker paused it). */
const loseThenSit = (days: number): number[] => Array.from({ length: days }, () => 990);

describe('honest ratios', () => {
  it('gives no Sharpe from 5 days: the −7.10 of "lose on day 1, then sit paused" is n/a with its reason', () => {
    const m = computeMetrics(daily(loseThenSit(5), (i) => i === 0), []);
    // Returns −0.01, 0, 0, 0, 0: mean −0.002, sample σ 0.01/√5 = 0.0044721; −0.002/0.0044721·√252 = −√(252/5) = −7.0993.
    expect(m.sharpe).toBeCloseTo(-Math.sqrt(252 / 5), 12);
    expect(m.sharpe!.toFixed(2)).toBe('-7.10');
    expect(honestRatio(m, 'sharpe')).toEqual({ value: null, na: '5 of 20 trading days', flat: false });
    expect(honestRatio(m, 'sortino')).toEqual({ value: null, na: '5 of 20 trading days', flat: false });
    expect(honestRatio(m, 'cagr').na).toBe('5 of 20 trading days');
    expect(honestRatio(m, 'annualizedVolatility').na).toBe('5 of 20 trading days');
    expect(formatHonestRatio(honestRatio(m, 'sharpe'), (x) => x.toFixed(2), m)).toBe('n/a (5 of 20 trading days)');
  });

  it('shows a Sharpe from 20 days on, flagged when the strategy was in the market less than half of the time', () => {
    const m = computeMetrics(daily(loseThenSit(25), (i) => i === 0), []);
    // 25 returns: −0.01 then 24 zeros: Sharpe −√(252/25) = −3.1749; in the market at 1 point of 25 (4 %).
    const s = honestRatio(m, 'sharpe');
    expect(s.value).toBeCloseTo(-Math.sqrt(252 / 25), 12);
    expect(s).toMatchObject({ na: null, flat: true });
    expect(m.exposure).toBe(0.04);
    expect(formatHonestRatio(s, (x) => x.toFixed(2), m)).toBe('-3.17 (in the market 4.0 % of the time)');
    // Invested every day: not flagged.
    const busy = computeMetrics(daily(Array.from({ length: 20 }, (_, i) => 1000 + (i % 2 === 0 ? 5 : -3) * (i + 1)), () => true), []);
    expect(honestRatio(busy, 'sharpe')).toMatchObject({ na: null, flat: false });
  });

  it('gives trade ratios from 10 closed trades on, and says why a ratio has no value', () => {
    const curve = daily(Array.from({ length: 20 }, (_, i) => 1000 + i), () => true);
    const nine = computeMetrics(curve, Array.from({ length: 9 }, () => trade(5)));
    expect(honestRatio(nine, 'winRate')).toEqual({ value: null, na: '9 of 10 closed trades', flat: false });
    const ten = computeMetrics(curve, Array.from({ length: 10 }, (_, i) => trade(i < 7 ? 5 : -2)));
    expect(honestRatio(ten, 'winRate')).toEqual({ value: 0.7, na: null, flat: false });
    // Profit factor 35 / 6.
    expect(honestRatio(ten, 'profitFactor').value).toBeCloseTo(35 / 6, 12);
    const noLoss = computeMetrics(curve, Array.from({ length: 10 }, () => trade(5)));
    expect(honestRatio(noLoss, 'profitFactor')).toEqual({ value: null, na: 'no losing trade', flat: false });
    // A curve rising every day: no losing day, no Sortino.
    expect(honestRatio(ten, 'sortino')).toEqual({ value: null, na: 'no losing day', flat: false });
    expect(Object.keys(honestRatios(ten))).toEqual(['cagr', 'annualizedVolatility', 'sharpe', 'sortino', 'winRate', 'profitFactor']);
  });

  it('explains the n/a cells and the flags under a table, one line per row concerned', () => {
    const few = computeMetrics(daily(loseThenSit(5), (i) => i === 0), [trade(1)]);
    const flat = computeMetrics(daily(loseThenSit(25), (i) => i === 0), Array.from({ length: 10 }, (_, i) => trade(i < 5 ? 2 : -1)));
    expect(sampleNotes([['a', few], ['b', flat]])).toEqual([
      'n/a: CAGR, vol, Sharpe and Sortino need 20 trading days, win rate and PF 10 closed trades (docs/metrics.md):',
      '  a: 5 of 20 trading days, 1 of 10 closed trades',
      '*: Sharpe and Sortino on mostly idle days: b in the market 4.0 % of the time',
    ]);
  });
});

describe('judgeTargets', () => {
  const good = (): ReturnType<typeof computeMetrics> =>
    computeMetrics(
      daily(Array.from({ length: 22 }, (_, i) => 1000 + 10 * i + (i % 3 === 0 ? -4 : 0)), () => true),
      Array.from({ length: 12 }, (_, i) => trade(i < 8 ? 20 : -10)),
    );

  it('meets all four only with 20 days, 10 trades and no breaker trip', () => {
    const m = good();
    expect(m.sharpe).toBeGreaterThan(1.5);
    expect(judgeTargets(m, [])).toEqual({ verdict: 'meets', missed: [], tooSmall: [], trips: 0, text: 'meets all four (22 trading days, 12 trades, no breaker trip)' });
  });

  it('misses when the breaker tripped, whatever the ratios', () => {
    expect(judgeTargets(good(), [{ rule: 'max_trades_per_day' }, { rule: 'max_consecutive_losses' }])).toEqual({
      verdict: 'misses',
      missed: [],
      tooSmall: [],
      trips: 2,
      text: 'circuit breaker tripped 2 times (max_trades_per_day, max_consecutive_losses)',
    });
  });

  it('does not judge five trading days, and still says what is known', () => {
    const m = computeMetrics(daily(loseThenSit(5), (i) => i === 0), Array.from({ length: 12 }, (_, i) => trade(i < 3 ? 1 : -1)));
    expect(judgeTargets(m, [{ rule: 'max_consecutive_losses' }])).toEqual({
      verdict: 'not judged',
      missed: ['win rate > 50%'],
      tooSmall: ['5 of 20 trading days'],
      trips: 1,
      text: 'not judged (too small a sample): 5 of 20 trading days; misses win rate > 50%; circuit breaker tripped once (max_consecutive_losses)',
    });
  });
});
