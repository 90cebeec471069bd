import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { noCommission } from '../../src/broker/sim/CommissionModel.js';
import { noSlippage } from '../../src/broker/sim/SlippageModel.js';
import { runBacktest } from '../../src/backtest/runBacktest.js';
import type { Bar } from '../../src/core/Bar.js';
import { loadCsvBars } from '../../src/market-data/loadCsvBars.js';
import { builtInStrategies } from '../../src/strategies/builtInStrategies.js';
import { entryOptions, protectiveExitOptions } from '../../src/strategies/protectiveExits.js';
import type { OrderOptions, StrategyContext } from '../../src/strategies/StrategyContext.js';
import { barsOf } from './recordingContext.js';

/** The options of every buy a strategy asks for over `bars` (nothing fills: it stays flat). */
function buyOptions(type: string, params: unknown, bars: readonly Bar[]): Array<OrderOptions | undefined> {
  const strategy = builtInStrategies[type]!.create(params, ['X']);
  const last = new Map<string, Bar>();
  const out: Array<OrderOptions | undefined> = [];
  const ctx: StrategyContext = {
    strategyId: 't',
    now: 0,
    warmingUp: false,
    capital: 10_000,
    cash: () => 10_000,
    equity: () => 10_000,
    position: () => 0,
    // One symbol: number 0.
    symbolIndex: () => 0,
    hasOpenOrder: () => false,
    lastBar: (s) => last.get(s),
    bars: () => [],
    submit: () => {},
    // A reason given as a function is written, as the daemon writes it when the order goes.
    buy: (_s, _q, o) => void out.push(o === undefined || typeof o.reason !== 'function' ? o : { ...o, reason: o.reason() }),
    sell: () => {},
    closePosition: () => {},
  };
  for (const b of bars) {
    last.set(b.symbol, b);
    strategy.onBar(b, ctx);
  }
  return out;
}

const parse = (type: string, params: unknown) => builtInStrategies[type]!.params.safeParse(params);

describe('protective exits of the built-in strategies', () => {
  it('prices a stop-loss down and a take-profit up to whole cents at or above $1', () => {
    // 150.37 × 0.99 = 148.8663 → 148.86; × 1.02 = 153.3774 → 153.38.
    expect(protectiveExitOptions({ stop_loss_pct: 0.01, take_profit_pct: 0.02 }, 150.37)).toEqual({ stopLoss: 148.86, takeProfit: 153.38 });
    // Exactly on a cent (100 × 0.998 is 99.79999… in binary): kept, not a cent lower.
    expect(protectiveExitOptions({ stop_loss_pct: 0.002, take_profit_pct: 0.004 }, 100)).toEqual({ stopLoss: 99.8, takeProfit: 100.4 });
    expect(protectiveExitOptions({ stop_loss_pct: 0.05 }, 270.11)).toEqual({ stopLoss: 256.6 });
    expect(protectiveExitOptions({ take_profit_pct: 0.5 }, 10.01)).toEqual({ takeProfit: 15.02 });
  });

  it('uses 4 decimals below $1, and the grid of the price it lands on', () => {
    // 0.5123 × 0.95 = 0.486685 → 0.4866; × 1.05 = 0.537915 → 0.5380.
    expect(protectiveExitOptions({ stop_loss_pct: 0.05, take_profit_pct: 0.05 }, 0.5123)).toEqual({ stopLoss: 0.4866, takeProfit: 0.538 });
    // 1.001 × 0.99 = 0.99099, under $1 → 0.9909; 0.9995 × 1.001 = 1.0004995, over $1 → 1.01.
    expect(protectiveExitOptions({ stop_loss_pct: 0.01 }, 1.001)).toEqual({ stopLoss: 0.9909 });
    expect(protectiveExitOptions({ take_profit_pct: 0.001 }, 0.9995)).toEqual({ takeProfit: 1.01 });
    // 1.005 × 0.996 = 1.00098 → 1.00 (cents at or above $1).
    expect(protectiveExitOptions({ stop_loss_pct: 0.004 }, 1.005)).toEqual({ stopLoss: 1 });
  });

  it('a trailing stop is a percent of the high-water mark; nothing asked, nothing attached', () => {
    expect(protectiveExitOptions({ trailing_stop_pct: 0.03 }, 42.5)).toEqual({ trailingStop: { percent: 0.03 } });
    expect(protectiveExitOptions({}, 42.5)).toEqual({});
  });

  it("an entry's options are its reason and protectiveExitOptions' exits, every field present (one object shape)", () => {
    const cases = [
      [{ stop_loss_pct: 0.01, take_profit_pct: 0.02 }, 150.37],
      [{ stop_loss_pct: 0.05 }, 270.11],
      [{ take_profit_pct: 0.001 }, 0.9995],
      [{ trailing_stop_pct: 0.03 }, 42.5],
      [{}, 42.5],
    ] as const;
    for (const [params, price] of cases) {
      const o = entryOptions(params, price, 'why');
      expect(Object.keys(o)).toEqual(['reason', 'stopLoss', 'takeProfit', 'trailingStop']);
      expect(o).toEqual({ reason: 'why', ...protectiveExitOptions(params, price) });
    }
    expect(entryOptions({ stop_loss_pct: 0.01, take_profit_pct: 0.02 }, 150.37, 'x')).toStrictEqual({ reason: 'x', stopLoss: 148.86, takeProfit: 153.38, trailingStop: undefined });
    expect(entryOptions({ trailing_stop_pct: 0.03 }, 10, 'x')).toStrictEqual({ reason: 'x', stopLoss: undefined, takeProfit: undefined, trailingStop: { percent: 0.03 } });
    expect(entryOptions({}, 10, 'x')).toStrictEqual({ reason: 'x', stopLoss: undefined, takeProfit: undefined, trailingStop: undefined });
  });

  it('every buying type takes them, and refuses a trailing stop with a bracket in one message', () => {
    for (const type of ['sma_cross', 'rsi_reversion', 'macd_trend', 'bollinger_reversion', 'donchian_breakout']) {
      expect(parse(type, { qty: 1, stop_loss_pct: 0.01, take_profit_pct: 0.02 }).success, type).toBe(true);
      expect(parse(type, { qty: 1, trailing_stop_pct: 0.02 }).success, type).toBe(true);
      const both = parse(type, { qty: 1, trailing_stop_pct: 0.02, stop_loss_pct: 0.01 });
      expect(both.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`), type).toEqual([
        'trailing_stop_pct: a trailing stop is the entry’s only exit: give trailing_stop_pct, or stop_loss_pct and/or take_profit_pct, not both',
      ]);
      expect(parse(type, { qty: 1, stop_loss_pct: 1 }).success, type).toBe(false);
      expect(parse(type, { qty: 1, take_profit_pct: 0 }).success, type).toBe(false);
      expect(parse(type, { qty: 1, trailing_stop_pct: -0.1 }).success, type).toBe(false);
    }
    expect(parse('rs_rotation', { stop_loss_pct: 0.01 }).success).toBe(false);
  });

  it('each strategy attaches them to its entries at the deciding bar’s close, and only when asked', () => {
    // bollinger_reversion, period 3, k 1: buys on bar 3 (close 7).
    const closes = [10, 10, 10, 7];
    expect(buyOptions('bollinger_reversion', { period: 3, k: 1, qty: 1, stop_loss_pct: 0.1, take_profit_pct: 0.05 }, barsOf('X', closes))).toEqual([
      { reason: 'close 7 under the lower band 7.59', stopLoss: 6.3, takeProfit: 7.35 },
    ]);
    expect(buyOptions('bollinger_reversion', { period: 3, k: 1, qty: 1 }, barsOf('X', closes))).toEqual([{ reason: 'close 7 under the lower band 7.59' }]);
    // donchian_breakout buys on bar 3 (close 11).
    expect(buyOptions('donchian_breakout', { entry: 3, exit: 2, atr: 2, atrStop: 1, qty: 1, trailing_stop_pct: 0.02 }, barsOf('X', [10, 10, 10, 11]))).toEqual([
      { reason: 'close 11 above the 3-bar high 10.5; stop 9.75', trailingStop: { percent: 0.02 } },
    ]);
    // macd_trend buys on bar 7 (close 8).
    const macd = buyOptions('macd_trend', { fast: 2, slow: 3, signal: 2, trend: 3, qty: 5, stop_loss_pct: 0.0125 }, barsOf('X', [10, 10, 10, 10, 9, 8, 7, 8]));
    expect(macd.map((o) => o?.stopLoss)).toEqual([7.9]);
    // sma_cross 1/2 crosses up on bar 2 (close 10.07); rsi_reversion 2 (20/80) buys on bar 4 (close 9).
    expect(buyOptions('sma_cross', { fast: 1, slow: 2, qty: 1, take_profit_pct: 0.004 }, barsOf('X', [10, 9.9, 10.07])).map((o) => o?.takeProfit)).toEqual([10.12]);
    expect(buyOptions('rsi_reversion', { period: 2, lower: 20, upper: 80, qty: 1, stop_loss_pct: 0.002 }, barsOf('X', [10, 11, 12, 11, 9])).map((o) => o?.stopLoss)).toEqual([8.98]);
  });

  it('in a backtest, sma_cross entries leave by their stop-loss or take-profit', async () => {
    const bars = await loadCsvBars(join(import.meta.dirname, '..', 'fixtures', 'backtrader', 'SPY_1min.csv'), { timeZone: 'America/New_York', symbol: 'SPY' });
    const params = { fast: 10, slow: 30, qty: 10, stop_loss_pct: 0.001, take_profit_pct: 0.002 };
    const result = runBacktest({
      strategies: [{ id: 's', type: 'sma_cross', symbols: ['SPY'], capital: 100_000, params }],
      bars,
      startingCash: 100_000,
      slippage: noSlippage,
      commission: noCommission,
      maxPositionPct: 1,
      logger: pino({ level: 'silent' }),
      stopwatch: () => 0,
    });
    const byTime = new Map(bars.map((b) => [new Date(b.time).toISOString(), b]));
    // A protective exit's fill carries its entry's signal time; the strategy's own sells their own.
    const sells = result.fills.filter((f) => f.side === 'sell');
    const legExits = sells.filter((f) => result.fills.some((b) => b.side === 'buy' && b.signalTime === f.signalTime));
    expect(legExits.length).toBeGreaterThan(10);
    for (const f of legExits) {
      const { stopLoss, takeProfit } = protectiveExitOptions(params, byTime.get(f.signalTime)!.close);
      // At the stop or beyond it (a gap), or at the target or beyond it.
      expect(f.price <= stopLoss! || f.price >= takeProfit!, `${f.fillTime} ${f.price} (stop ${stopLoss}, target ${takeProfit})`).toBe(true);
    }
  });
});
