import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, runCli, scratchDir, writeConfig } from './cli.js';

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

  it('runs every enabled strategy of a config over a data directory, the same way twice, and writes an offline report', async () => {
    const dir = scratchDir();
    const config = writeConfig(dir);
    const args = (out: string): string[] => ['backtest', '--config', config, '--data-dir', join(root, 'data', 'eqker'), '--out', join(dir, out)];
    const first = await runCli([...args('a.json'), '--report', join(dir, 'report')], dir);
    const second = await runCli(args('b.json'), dir);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(second.code).toBe(0);
    const ids = ['sma_fast_index', 'sma_slow_tech', 'sma_momentum', 'rsi_banks', 'rsi_fast_etf'];
    // The terminal table has a row per strategy and a total.
    for (const id of [...ids, 'total']) expect(first.stdout).toMatch(new RegExp(`^${id}\\s+-?\\d`, 'm'));
    expect(first.stdout).toContain('costs          slippage none; commission none');

    // Same input, same output: byte for byte once the two timing fields are taken out.
    const read = (f: string): string => readFileSync(join(dir, f), 'utf8');
    const untimed = (text: string): string => text.replace(/\n\s*"(elapsedMs|barsPerSecond)": [0-9.e+]+,/g, '');
    expect(untimed(read('a.json'))).toBe(untimed(read('b.json')));
    expect(untimed(read('a.json'))).not.toContain('elapsedMs');

    const result = JSON.parse(read('a.json')) as {
      strategy: string;
      strategies: Array<{ id: string; capital: number; fills: number; metrics: { trades: number; sharpe: number | null } }>;
      fills: Array<{ strategy: string }>;
      metrics: { trades: number; fills: number };
      equity: Array<{ time: string; equity: number }>;
      finalValue: number;
    };
    expect(result.strategy).toBe('portfolio');
    expect(result.strategies.map((s) => s.id)).toEqual(ids);
    expect(result.strategies.map((s) => s.capital)).toEqual([20000, 20000, 15000, 20000, 15000]);
    // Each strategy traded, and the per-strategy figures add up to the total.
    for (const s of result.strategies) expect(s.fills).toBeGreaterThan(0);
    expect(result.strategies.reduce((a, s) => a + s.fills, 0)).toBe(result.fills.length);
    expect(result.metrics.fills).toBe(result.fills.length);
    expect(result.strategies.reduce((a, s) => a + s.metrics.trades, 0)).toBe(result.metrics.trades);
    expect(result.equity.length).toBeGreaterThan(100);
    // The last equity point is the strategies' final equity; the account adds the unallocated $10,000.
    expect(result.equity.at(-1)!.equity + 10_000).toBeCloseTo(result.finalValue, 6);

    const html = read('report/backtest.html');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script|<link|src=|url\(/i);
    expect(html).toContain('sma_momentum');
  });
});
