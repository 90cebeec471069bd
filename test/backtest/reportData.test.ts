import { describe, expect, it } from 'vitest';
import type { BacktestResult } from '../../src/backtest/BacktestResult.js';
import { monthlyReturns } from '../../src/backtest/monthlyReturns.js';
import { priceSeries } from '../../src/backtest/priceSeries.js';
import { reportData, ruleCounts, STRATEGY_COLOURS } from '../../src/backtest/reportData.js';
import { BarTape } from '../../src/market-data/BarTape.js';

const t = (iso: string): number => Date.parse(iso);

describe('monthlyReturns', () => {
  it('compounds each New York month from its last daily close against the month before’s (the first against the start)', () => {
    const closes = [
      { time: t('2019-01-02T21:00:00Z'), equity: 104 },
      { time: t('2019-01-31T21:00:00Z'), equity: 108 },
      // 22:00 on 31 January in New York: still January.
      { time: t('2019-02-01T03:00:00Z'), equity: 110 },
      { time: t('2019-02-28T21:00:00Z'), equity: 99 },
      // No point in March: April's return is against February's end.
      { time: t('2019-04-01T20:00:00Z'), equity: 103.95 },
    ];
    const m = monthlyReturns(closes, 100);
    expect(m.map((x) => x.month)).toEqual(['2019-01', '2019-02', '2019-04']);
    expect(m.map((x) => x.endEquity)).toEqual([110, 99, 103.95]);
    // 110/100 − 1, 99/110 − 1, 103.95/99 − 1.
    expect(m[0]!.return).toBeCloseTo(0.1, 12);
    expect(m[1]!.return).toBeCloseTo(-0.1, 12);
    expect(m[2]!.return).toBeCloseTo(0.05, 12);
    expect(monthlyReturns([], 100)).toEqual([]);
  });
});

describe('priceSeries', () => {
  it('merges neighbouring bars into candles of `stride` bars and keeps each bar with a fill as its own candle', () => {
    const tape = new BarTape(['AAA', 'BBB'], 16);
    const rows: Array<[number, number, number, number, number, number]> = [];
    // Seven AAA bars a minute apart (prices 10+i), two BBB bars, interleaved in time order.
    for (let i = 0; i < 7; i++) rows.push([0, 60_000 * (i + 1), 10 + i, 10.5 + i, 9.5 + i, 10.2 + i]);
    rows.push([1, 60_000 * 2, 50, 51, 49, 50.5], [1, 60_000 * 4, 52, 53, 51, 52.5]);
    rows.sort((a, b) => a[1] - b[1] || a[0] - b[0]);
    for (const [s, time, o, h, l, c] of rows) {
      tape.push(time, o, h, l, c, 0, 0);
      tape.symbolIndex![tape.length - 1] = s;
    }
    // The file stamps bars a minute before the time the daemon uses (a start-labelled file).
    const stampOf = (time: number): number => time - 60_000;
    const series = priceSeries(tape, stampOf, new Map([['AAA', new Set([3 * 60_000])]]), 3);
    expect(series.map((s) => [s.symbol, s.bars])).toEqual([['AAA', 7], ['BBB', 2]]);
    // AAA: stride ceil(7/3) = 3; bars 0,1,2 merge; bar 3 has the fill; bars 4,5,6 merge.
    expect(series[0]!.candles).toEqual([
      [0, 10, 12.5, 9.5, 12.2],
      [180_000, 13, 13.5, 12.5, 13.2],
      [240_000, 14, 16.5, 13.5, 16.2],
    ]);
    expect(series[1]!.candles).toEqual([
      [60_000, 50, 51, 49, 50.5],
      [180_000, 52, 53, 51, 52.5],
    ]);
  });
});

/** A result with what the report's data is built from (the rest of a BacktestResult is not read). */
function result(): BacktestResult {
  return {
    startingCash: 100_000,
    metrics: { startingEquity: 30_000 },
    strategies: [
      { id: 'alpha', capital: 20_000, denials: { max_position: 2, circuit_breaker: 5 }, equity: [{ time: '2019-02-11T14:31:00.000Z', equity: 20_000 }, { time: '2019-02-11T14:31:00.500Z', equity: 20_100 }, { time: '2019-02-11T14:32:00.000Z', equity: 21_000 }] },
      { id: 'beta', capital: 10_000, denials: {}, equity: [{ time: '2019-02-11T14:31:00.000Z', equity: 10_000 }, { time: '2019-02-11T14:32:00.000Z', equity: 9_500 }] },
    ],
    equity: [
      { time: '2019-02-11T14:31:00.000Z', equity: 30_000 },
      { time: '2019-02-11T14:32:00.000Z', equity: 31_500 },
      { time: '2019-02-11T14:33:00.000Z', equity: 28_350 },
    ],
    fills: [
      { strategy: 'beta', symbol: 'SPY', signalTime: '2019-02-11T14:31:00.000Z', fillTime: '2019-02-11T14:32:00.000Z', side: 'buy', qty: 3, price: 271.5, commission: 0 },
      { strategy: 'alpha', symbol: 'QQQ', signalTime: '2019-02-11T14:31:00.000Z', fillTime: '2019-02-11T14:32:00.000Z', side: 'sell', qty: 1, price: 160.25, commission: 0 },
    ],
    breakerEvents: [
      { kind: 'tripped', scope: 'alpha', rule: 'max_trades_per_day', time: '2019-02-11T15:00:00.000Z', text: '' },
      { kind: 'resumed', scope: 'alpha', rule: 'max_trades_per_day', time: '2019-02-12T14:30:00.000Z', text: '' },
      { kind: 'tripped', scope: 'account', rule: 'max_daily_loss_pct', time: '2019-02-12T15:00:00.000Z', text: '' },
      { kind: 'tripped', scope: 'alpha', rule: 'max_trades_per_day', time: '2019-02-12T16:00:00.000Z', text: '' },
    ],
  } as unknown as BacktestResult;
}

describe('reportData', () => {
  it('draws the account from the starting cash, each strategy as its return on capital, the drawdown from the running peak, and every fill on its symbol', () => {
    const d = reportData(result(), [
      { symbol: 'QQQ', bars: 2, candles: [[t('2019-02-11T14:32:00Z'), 160, 161, 159, 160.5]] },
      { symbol: 'SPY', bars: 2, candles: [[t('2019-02-11T14:32:00Z'), 271, 272, 270, 271.5]] },
    ]);
    const s0 = t('2019-02-11T14:31:00Z') / 1000;
    expect(d.strategies).toEqual([
      { id: 'alpha', colour: STRATEGY_COLOURS[0], capital: 20_000 },
      { id: 'beta', colour: STRATEGY_COLOURS[1], capital: 10_000 },
    ]);
    // $70,000 of the $100,000 is not allocated: the account line is the strategies' equity plus it.
    expect(d.account).toEqual([[s0, 100_000], [s0 + 60, 101_500], [s0 + 120, 98_350]]);
    // The peak 31,500, then 28,350: −10 %.
    expect(d.drawdown).toEqual([[s0, 0], [s0 + 60, 0], [s0 + 120, (28_350 - 31_500) / 31_500]]);
    expect(d.drawdown[2]![1]).toBeCloseTo(-0.1, 15);
    // Two points in the same second: the later one stands (the charts need rising times).
    expect(d.strategyEquity).toEqual([
      { id: 'alpha', points: [[s0, 20_100 / 20_000 - 1], [s0 + 60, 21_000 / 20_000 - 1]] },
      { id: 'beta', points: [[s0, 0], [s0 + 60, 9_500 / 10_000 - 1]] },
    ]);
    expect(d.prices.map((p) => [p.symbol, p.candles, p.fills])).toEqual([
      ['QQQ', [[s0 + 60, 160, 161, 159, 160.5]], 1],
      ['SPY', [[s0 + 60, 271, 272, 270, 271.5]], 1],
    ]);
    expect(d.prices[0]!.markers).toEqual([{ t: s0 + 60, side: 'sell', qty: 1, price: 160.25, strategy: 'alpha', colour: STRATEGY_COLOURS[0] }]);
    expect(d.prices[1]!.markers).toEqual([{ t: s0 + 60, side: 'buy', qty: 3, price: 271.5, strategy: 'beta', colour: STRATEGY_COLOURS[1] }]);
  });

  it('counts breaker trips by breaker and rule (resumes not counted) and refusals by strategy and rule', () => {
    expect(ruleCounts(result())).toEqual({
      trips: [
        { scope: 'account', rule: 'max_daily_loss_pct', count: 1 },
        { scope: 'alpha', rule: 'max_trades_per_day', count: 2 },
      ],
      refusals: [
        { strategy: 'alpha', rule: 'max_position', count: 2 },
        { strategy: 'alpha', rule: 'circuit_breaker', count: 5 },
      ],
    });
  });
});
