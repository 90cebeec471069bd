import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { noCommission } from '../../src/broker/sim/CommissionModel.js';
import { noSlippage } from '../../src/broker/sim/SlippageModel.js';
import { runBacktest } from '../../src/backtest/runBacktest.js';
import { loadCsvBars } from '../../src/market-data/loadCsvBars.js';
import { ThreeDownBounce, threeDownBounceParams } from '../../docs/examples/ThreeDownBounce.js';

const root = new URL('../../', import.meta.url);

describe('docs/strategies.md', () => {
  it('shows the example file exactly (the file the type check compiles)', () => {
    const doc = readFileSync(new URL('docs/strategies.md', root), 'utf8');
    const file = readFileSync(new URL('docs/examples/ThreeDownBounce.ts', root), 'utf8');
    expect(doc).toContain('```ts\n' + file + '```');
  });

  it('runs the example in a backtest: entries after three lower closes, each closed by its stop or its target', async () => {
    const bars = await loadCsvBars(new URL('test/fixtures/backtrader/SPY_1min.csv', root).pathname, { symbol: 'SPY' });
    let strategy: ThreeDownBounce | null = null;
    const result = runBacktest({
      strategies: [{ id: 'bounce', type: 'three_down_bounce', symbols: ['SPY'], capital: 10_000, params: {} }],
      bars,
      startingCash: 10_000,
      slippage: noSlippage,
      commission: noCommission,
      maxPositionPct: 1,
      logger: pino({ level: 'silent' }),
      stopwatch: () => performance.now(),
      // Minute bars move little: exits 0.1 % under and 0.2 % over the signal close.
      createStrategy: () => (strategy = new ThreeDownBounce(threeDownBounceParams.parse({ stopLoss: 0.001, takeProfit: 0.002 }))),
    });
    expect(result.trades.length).toBeGreaterThan(5);
    expect(strategy!.fills.length).toBe(result.fills.length);
    const cents = (x: number): number => Math.round(x * 100) / 100;
    const buys = result.fills.filter((f) => f.side === 'buy');
    for (const t of result.trades) {
      // The entry was asked at the close of its signal bar; its exits hang on that close.
      const entry = buys.find((f) => f.fillTime === t.entryTime)!;
      const signal = bars.find((b) => new Date(b.time).toISOString() === entry.signalTime)!;
      const stop = cents(signal.close * 0.999);
      const target = cents(signal.close * 1.002);
      // At the stop or the target, or at an open that gapped through one of them.
      expect([t.qty, t.exitPrice === stop || t.exitPrice === target || t.exitPrice < stop || t.exitPrice > target]).toEqual([10, true]);
    }
  });
});
