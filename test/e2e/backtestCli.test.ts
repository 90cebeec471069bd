import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, runCli, scratchDir } from './cli.js';

interface Reference {
  final_value: number;
  bars: number;
  fills: Array<{ signal_time: string; fill_time: string; side: string; qty: number; price: number }>;
}

describe('npm run backtest', () => {
  it('reproduces the backtrader reference through the command line and writes the JSON contract', async () => {
    const dir = scratchDir();
    const fixtures = join(root, 'test', 'fixtures', 'backtrader');
    const out = join(dir, 'r.json');
    const r = await runCli(
      ['backtest', '--data', join(fixtures, 'SPY_1min.csv'), '--strategy', 'sma_cross', '--params', '{"fast":10,"slow":30,"qty":10}', '--cash', '100000', '--out', out],
      dir,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const ref = JSON.parse(readFileSync(join(fixtures, 'SPY_1min_sma_cross_10_30.json'), 'utf8')) as Reference;
    const result = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown> & {
      fills: Array<{ symbol: string; signalTime: string; fillTime: string; side: string; qty: number; price: number }>;
      finalValue: number;
    };
    expect(Object.keys(result)).toEqual(
      expect.arrayContaining(['strategy', 'params', 'startingCash', 'finalValue', 'bars', 'elapsedMs', 'barsPerSecond', 'fills', 'trades', 'metrics']),
    );
    expect(result.strategy).toBe('sma_cross');
    expect(result.params).toEqual({ fast: 10, slow: 30, qty: 10 });
    expect(result.bars).toBe(ref.bars);
    expect(result.fills.map((f) => [f.symbol, f.signalTime, f.fillTime, f.side, f.qty, f.price])).toEqual(
      ref.fills.map((f) => ['SPY', new Date(f.signal_time).toISOString(), new Date(f.fill_time).toISOString(), f.side, f.qty, f.price]),
    );
    expect(Math.abs(result.finalValue - ref.final_value)).toBeLessThanOrEqual(1e-6);
    expect(r.stdout).toContain(`wrote ${out}`);
  });
});
