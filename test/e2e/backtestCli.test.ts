import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chartLibrary } from '../../src/backtest/chartLibrary.js';
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
      strategies: Array<{ id: string; capital: number; fills: number; finalValue: number; metrics: { trades: number; sharpe: number | null }; equity: Array<{ time: string; equity: number }> }>;
      fills: Array<{ strategy: string }>;
      metrics: { trades: number; fills: number };
      equity: Array<{ time: string; equity: number }>;
      finalValue: number;
      breakerEvents: Array<{ kind: string }>;
      rejections: number;
      monthly: Array<{ month: string; return: number; endEquity: number }>;
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
    // Each strategy's own curve (for the report's per-strategy pane) starts at its capital and ends at its final value.
    for (const s of result.strategies) {
      expect(s.equity.length).toBe(result.equity.length);
      expect(s.equity[0]!.equity).toBe(s.capital);
      expect(s.equity.at(-1)!.equity).toBeCloseTo(s.finalValue, 6);
    }

    // The report: the charting library inline with its licence, the data as JSON; nothing that would fetch.
    const html = read('report/backtest.html');
    const library = chartLibrary();
    expect(library.version).toBe('5.2.1');
    expect(html).toContain(`<script>\n${library.script}\n</script>`);
    expect(html).toContain(library.licence);
    expect(html).toContain('TradingView Lightweight Charts™ v5.2.1');
    const own = html.replace(library.script, '').replace(library.licence, '');
    expect(own).not.toMatch(/<link|src=|url\(|https?:\/\/|@import/i);
    expect(own.match(/<script[^>]*>/g)).toEqual(['<script>', '<script type="application/json" id="report-data">', '<script>']);
    expect(own).toContain('sma_momentum');
    // Trips and refusals by rule add up to the run's own counts.
    const counts = (table: string): number[] => [...(own.match(new RegExp(`<table class="${table}">[\\s\\S]*?</table>`))?.[0] ?? '').matchAll(/<td>(\d+)<\/td><\/tr>/g)].map((m) => Number(m[1]));
    const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
    expect(sum(counts('trips'))).toBe(result.breakerEvents.filter((e) => e.kind === 'tripped').length);
    expect(sum(counts('refusals'))).toBe(result.rejections);
    expect(result.rejections).toBeGreaterThan(0);
    // One month (February 2019): its return is the total's over the week.
    expect(result.monthly).toEqual([{ month: '2019-02', return: result.equity.at(-1)!.equity / 90_000 - 1, endEquity: result.equity.at(-1)!.equity }]);
    expect(own).toContain(`<tr><th>2019</th><td></td><td class="${result.monthly[0]!.return > 0 ? 'pos' : 'neg'}">${(result.monthly[0]!.return * 100).toFixed(2)}%</td>`);
  });

  it('reads a start-labelled file (every stamp a minute earlier) as such, says so, and reports the file’s own stamps', async () => {
    const dir = scratchDir();
    const fixtures = join(root, 'test', 'fixtures', 'backtrader');
    // The SPY reference file, each bar stamped at its start (09:30 … 15:59), oldest first.
    const [head, ...rows] = readFileSync(join(fixtures, 'SPY_1min.csv'), 'utf8').trim().split('\n');
    const earlier = rows.map((r) => {
      const [stamp, ...rest] = r.split(',');
      const t = new Date(`${stamp!.replace(' ', 'T')}Z`);
      t.setUTCMinutes(t.getUTCMinutes() - 1);
      return [t.toISOString().slice(0, 19).replace('T', ' '), ...rest].join(',');
    });
    writeFileSync(join(dir, 'SPY_1min.csv'), `${head}\n${earlier.reverse().join('\n')}\n`);
    const out = join(dir, 'r.json');
    const r = await runCli(['backtest', '--data', join(dir, 'SPY_1min.csv'), '--strategy', 'sma_cross', '--params', '{"fast":10,"slow":30,"qty":10}', '--out', out], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^bar times\s+SPY: 1-minute bars stamped at their start \(auto: bars stamped 09:30, the open \(5 days\)\)$/m);
    const ref = JSON.parse(readFileSync(join(fixtures, 'SPY_1min_sma_cross_10_30.json'), 'utf8')) as Reference;
    const result = JSON.parse(readFileSync(out, 'utf8')) as { fills: Array<{ signalTime: string; fillTime: string; price: number }>; finalValue: number; barTime: unknown };
    const minuteEarlier = (t: string): string => new Date(Date.parse(t) - 60_000).toISOString();
    expect(result.fills.map((f) => [f.signalTime, f.fillTime, f.price])).toEqual(ref.fills.map((f) => [minuteEarlier(f.signal_time), minuteEarlier(f.fill_time), f.price]));
    expect(Math.abs(result.finalValue - ref.final_value)).toBeLessThanOrEqual(1e-6);
    expect(result.barTime).toEqual([{ symbol: 'SPY', file: join(dir, 'SPY_1min.csv'), stamps: 'start', barSeconds: 60, reason: 'auto: bars stamped 09:30, the open (5 days)' }]);
  });

  it('asks for --bar-time when the data cannot tell, and refuses a wrong value', async () => {
    const dir = scratchDir();
    const file = join(dir, 'SPY_1hour.csv');
    writeFileSync(file, `datetime,open,high,low,close\n${[10, 11, 12, 13, 14, 15].map((h) => `2019-02-11 ${h}:00:00,1,2,1,1.5`).join('\n')}\n`);
    const args = ['backtest', '--data', file, '--strategy', 'sma_cross', '--params', '{"fast":2,"slow":3,"qty":1}'];
    const unclear = await runCli(args, dir);
    expect(unclear.code).toBe(2);
    expect(unclear.stderr).toBe(
      `error: ${file}: cannot tell whether the bars are stamped at their start or at their end: no bar is stamped at 09:30 (the open: start-labelled) or at the close (16:00: end-labelled); say which with --bar-time start or --bar-time end\n`,
    );
    const told = await runCli([...args, '--bar-time', 'start'], dir);
    expect(told.stderr).toBe('');
    expect(told.stdout).toContain('SPY: 1-hour bars stamped at their start (--bar-time start)');
    const wrong = await runCli([...args, '--bar-time', 'begin'], dir);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toBe('error: --bar-time: must be start (bars stamped at their start, as Alpaca does), end (at their end) or auto (told from each file), got "begin"\n');
  });
});
