/**
 * The example strategy, loaded as the daemon loads it (compiled from this folder) and backtested on
 * the sample data with the daemon's own runners, RiskGate and simulated venue. `npm test` runs it.
 */
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { noCommission } from '../src/broker/sim/CommissionModel.js';
import { noSlippage } from '../src/broker/sim/SlippageModel.js';
import { runBacktest } from '../src/backtest/runBacktest.js';
import { loadCsvBars } from '../src/market-data/loadCsvBars.js';
import { loadStrategyModule } from '../src/strategies/loadStrategyCatalog.js';

const file = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

describe('three_down_bounce (strategies/three_down_bounce.ts)', () => {
  it('loads as the daemon loads it, with its defaults', async () => {
    const strategy = await loadStrategyModule(file('./three_down_bounce.ts'));
    expect([strategy.type, strategy.params.parse({})]).toEqual(['three_down_bounce', { falls: 3, qty: 10, stopLoss: 0.01, takeProfit: 0.02 }]);
  });

  it('backtests on the sample data: an entry after three lower closes, each closed at its stop or its target', async () => {
    const strategy = await loadStrategyModule(file('./three_down_bounce.ts'));
    const bars = await loadCsvBars(file('../data/eqker/AAPL_daily.csv'), { symbol: 'AAPL' });
    const params = { stopLoss: 0.02, takeProfit: 0.03 };
    const result = runBacktest({
      strategies: [{ id: 'bounce', type: strategy.type, symbols: ['AAPL'], capital: 10_000, params }],
      bars,
      startingCash: 10_000,
      slippage: noSlippage,
      commission: noCommission,
      maxPositionPct: 1,
      logger: pino({ level: 'silent' }),
      stopwatch: () => performance.now(),
      createStrategy: (spec) => strategy.create(spec.params, spec.symbols),
    });
    expect(result.trades.length).toBeGreaterThan(3);
    const cents = (x: number): number => Math.round(x * 100) / 100;
    const closes = new Map(bars.map((b, i) => [new Date(b.time).toISOString(), { i, close: b.close }]));
    for (const buy of result.fills.filter((f) => f.side === 'buy')) {
      // The signal bar closed lower than each of the three closes before it, and the entry filled at the next bar's open.
      const { i } = closes.get(buy.signalTime)!;
      const last4 = bars.slice(i - 3, i + 1).map((b) => b.close);
      expect([buy.qty, last4[0]! > last4[1]! && last4[1]! > last4[2]! && last4[2]! > last4[3]!, buy.price]).toEqual([10, true, bars[i + 1]!.open]);
    }
    // Each trade closed at its stop or its target, or at an open that gapped through one of them.
    const outside = result.trades.filter((t) => {
      const entry = result.fills.find((f) => f.side === 'buy' && f.fillTime === t.entryTime)!;
      const signal = closes.get(entry.signalTime)!.close;
      const stop = cents(signal * 0.98);
      const target = cents(signal * 1.03);
      const exit = cents(t.exitPrice);
      return !(exit === stop || exit === target || exit < stop || exit > target);
    });
    expect(outside).toEqual([]);
  });
});
