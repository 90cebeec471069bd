import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { noCommission } from '../../src/broker/sim/CommissionModel.js';
import { noSlippage } from '../../src/broker/sim/SlippageModel.js';
import { runBacktest } from '../../src/backtest/runBacktest.js';
import { loadCsvBars } from '../../src/market-data/loadCsvBars.js';

/** The six backtrader references: every fill (times, side, qty, price) and the final value to 1e-6. */
const dir = join(import.meta.dirname, '..', 'fixtures', 'backtrader');

interface Reference {
  strategy: string;
  params: Record<string, number>;
  starting_cash: number;
  bars: number;
  final_value: number;
  fills: Array<{ signal_time: string; fill_time: string; side: string; qty: number; price: number }>;
}

const cases = ['SPY', 'AAPL', 'TSLA'].flatMap((symbol) => [
  { symbol, file: `${symbol}_1min_sma_cross_10_30.json` },
  { symbol, file: `${symbol}_1min_rsi_14_30_70.json` },
]);

const normalise = (t: string): string => new Date(t).toISOString();

describe('backtest parity with backtrader', () => {
  for (const c of cases) {
    it(c.file, async () => {
      const ref = JSON.parse(readFileSync(join(dir, c.file), 'utf8')) as Reference;
      const bars = await loadCsvBars(join(dir, `${c.symbol}_1min.csv`), { timeZone: 'America/New_York' });
      const result = runBacktest({
        strategies: [{ id: ref.strategy, type: ref.strategy, symbols: [c.symbol], capital: ref.starting_cash, params: ref.params }],
        bars,
        startingCash: ref.starting_cash,
        slippage: noSlippage,
        commission: noCommission,
        maxPositionPct: 0.25,
        logger: pino({ level: 'silent' }),
        stopwatch: () => 0,
      });
      expect(result.bars).toBe(ref.bars);
      expect(result.fills.map((f) => ({ signal_time: f.signalTime, fill_time: f.fillTime, side: f.side, qty: f.qty, price: f.price }))).toEqual(
        ref.fills.map((f) => ({ ...f, signal_time: normalise(f.signal_time), fill_time: normalise(f.fill_time) })),
      );
      expect(Math.abs(result.finalValue - ref.final_value)).toBeLessThanOrEqual(1e-6);
      expect(result.rejections).toBe(0);
    });
  }
});
