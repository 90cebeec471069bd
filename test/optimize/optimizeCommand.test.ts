import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { BacktestResult } from '../../src/backtest/BacktestResult.js';
import { runBacktestCommand } from '../../src/cli/backtestCommand.js';
import { runOptimizeCommand } from '../../src/cli/optimizeCommand.js';
import { CliError } from '../../src/core/errors.js';
import { fillsDigest } from '../../src/optimize/runCombination.js';
import type { OptimizeResult } from '../../src/optimize/OptimizeResult.js';
import { MY_CROSS, strategiesFolder } from '../strategies/userStrategyFiles.js';

/**
 * The optimizer against `npm run backtest`: every combination of a sweep (run on worker threads)
 * has the fills, final value and metrics of a backtest of the config with only that strategy
 * enabled, with those parameters.
 */
const CONFIG = 'config/paper-trading.json';
/** The same strategies on daily bars: 283 trading days (2018-01-02 … 2019-02-15), enough for a Sharpe ratio. */
const DAILY = 'config/daily-strategies.json';
const dir = mkdtempSync(join(tmpdir(), 'optimize-'));

/** The config with only `id` enabled, its params overridden. */
function soloConfig(id: string, params: Record<string, unknown>, name: string, base = CONFIG): string {
  const c = JSON.parse(readFileSync(base, 'utf8')) as { strategies: Array<{ id: string; enabled: boolean; params: Record<string, unknown> }> };
  for (const s of c.strategies) {
    s.enabled = s.id === id;
    if (s.id === id) s.params = { ...s.params, ...params };
  }
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(c));
  return file;
}

async function quietly<T>(run: () => Promise<T>): Promise<T> {
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    return await run();
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

async function backtest(config: string, extra: string[] = []): Promise<BacktestResult> {
  const out = join(dir, `bt-${Math.random().toString(36).slice(2)}.json`);
  await quietly(() => runBacktestCommand(['--config', config, '--out', out, ...extra]));
  return JSON.parse(readFileSync(out, 'utf8')) as BacktestResult;
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run optimize: the backtest engine, combination by combination', () => {
  let sweep: OptimizeResult;
  beforeAll(async () => {
    const out = join(dir, 'sweep.json');
    await quietly(() => runOptimizeCommand(['--config', DAILY, '--strategy', 'sma_fast_index', '--grid', '{"fast":[5,10,20],"slow":[30,60]}', '--workers', '2', '--out', out, '--report', dir]));
    sweep = JSON.parse(readFileSync(out, 'utf8')) as OptimizeResult;
  }, 60_000);

  it('runs every combination, ranks them by the metric, best first', () => {
    expect(sweep.combinations).toBe(6);
    expect(sweep.ranking!.map((r) => r.index).sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(sweep.ranking!.map((r) => r.grid)).toContainEqual({ fast: 10, slow: 60 });
    const values = sweep.ranking!.map((r) => r.value ?? Number.NEGATIVE_INFINITY);
    expect([...values].sort((a, b) => b - a)).toEqual(values);
    expect(sweep.best).toEqual(sweep.ranking![0]);
    expect(sweep.ranOn).toBe('2 worker threads');
  });

  it('writes a self-contained HTML report: the heatmap as inline SVG with the best cell outlined, the stability, the ranking', () => {
    const html = readFileSync(join(dir, 'optimize.html'), 'utf8');
    // Nothing fetched: the only URL is the SVG namespace.
    expect(html.match(/https?:\/\/[^"\s]*/g)).toEqual(['http://www.w3.org/2000/svg']);
    expect(html.match(/<rect /g)).toHaveLength(6);
    const best = sweep.best!;
    expect(html).toContain(`<title>fast ${best.grid.fast}, slow ${best.grid.slow}: ${best.value!.toFixed(4)}</title>`);
    expect(html.match(/stroke="#000" stroke-width="3"><title>([^<]*)</)![1]).toBe(`fast ${best.grid.fast}, slow ${best.grid.slow}: ${best.value!.toFixed(4)}`);
    expect(html).toContain(`The ${sweep.stability!.neighbours} combinations one grid step or less from the best`);
    expect(html).toContain(`Deflated Sharpe ratio <b>${sweep.deflatedSharpe!.probability!.toFixed(4)}</b>`);
  });

  it("gives the best combination exactly the fills of npm run backtest with its parameters", async () => {
    const bt = await backtest(soloConfig('sma_fast_index', sweep.best!.grid, 'best.json', DAILY));
    expect(bt.fills.length).toBeGreaterThan(0);
    expect(sweep.bestFills).toEqual(bt.fills);
    expect(sweep.best!.finalValue).toBe(bt.finalValue);
    expect(sweep.best!.metrics).toEqual(bt.metrics);
  });

  it('gives every combination, run on a worker thread, the fills, final value and metrics of the backtest', async () => {
    for (const r of sweep.ranking!) {
      const bt = await backtest(soloConfig('sma_fast_index', r.grid, `c${r.index}.json`, DAILY));
      expect(r.fillsDigest).toBe(fillsDigest(bt.fills));
      expect(r.fills).toBe(bt.fills.length);
      expect(r.finalValue).toBe(bt.finalValue);
      expect(r.metrics).toEqual(bt.metrics);
    }
  });

  it('walk-forward: each test window is the backtest of those days with the parameters chosen before them, warmed up on the days they were chosen on', async () => {
    const out = join(dir, 'wf.json');
    await quietly(() => runOptimizeCommand(['--config', CONFIG, '--strategy', 'sma_fast_index', '--grid', '{"fast":[5,10,20],"slow":[30,60]}', '--walk-forward', '2/1', '--metric', 'return', '--workers', '2', '--out', out]));
    const wf = JSON.parse(readFileSync(out, 'utf8')) as OptimizeResult;
    // Five trading days (2019-02-11 … 15): train on 2, test on the next 1, three folds.
    expect(wf.ranking).toBeUndefined();
    expect(wf.walkForward!.folds.map((f) => [f.test.from!.slice(0, 10), f.test.to!.slice(0, 10), f.train.days, f.test.days])).toEqual([
      ['2019-02-13', '2019-02-13', 2, 1],
      ['2019-02-14', '2019-02-14', 2, 1],
      ['2019-02-15', '2019-02-15', 2, 1],
    ]);
    for (const f of wf.walkForward!.folds) {
      // The choice is the best of the training days' sweep …
      const train = join(dir, `train${f.fold}.json`);
      const day = (iso: string | null): string => iso!.slice(0, 10);
      await quietly(() => runOptimizeCommand(['--config', CONFIG, '--strategy', 'sma_fast_index', '--grid', '{"fast":[5,10,20],"slow":[30,60]}', '--from', day(f.train.from), '--to', day(f.train.to), '--metric', 'return', '--workers', '1', '--out', train]));
      expect(f.chosen).toEqual((JSON.parse(readFileSync(train, 'utf8')) as OptimizeResult).best!.grid);
      // … and its test day is the backtest of that day, its indicators warmed up on the training days.
      const bt = await backtest(soloConfig('sma_fast_index', f.chosen, `wf${f.fold}.json`), ['--from', day(f.test.from), '--to', day(f.test.to), '--warm-up-days', String(f.train.days)]);
      expect(f.fillsDigest).toBe(fillsDigest(bt.fills));
      expect(f.metrics).toEqual(bt.metrics);
    }
    expect(wf.walkForward!.stitched.days).toBe(3);
    // Three out-of-sample days make no Sharpe ratio, and no one-day test window has one.
    expect(wf.walkForward!.stitched.sharpe).toBeNull();
    expect(wf.walkForward!.stitched.sharpeNa).toBe('3 of 20 trading days');
    expect(wf.walkForward!.folds.every((f) => f.outOfSample === f.metrics.totalReturn && f.outOfSampleNa === null)).toBe(true);
    expect(wf.walkForward!.stitched.fills).toBe(wf.walkForward!.folds.reduce((a, f) => a + f.fills, 0));
  }, 60_000);

  it('refuses what it cannot run, naming the flag', async () => {
    const fails = async (args: string[]): Promise<string> => {
      try {
        await quietly(() => runOptimizeCommand(args));
      } catch (error) {
        expect(error).toBeInstanceOf(CliError);
        return (error as Error).message;
      }
      throw new Error('expected a failure');
    };
    expect(await fails(['--strategy', 'nope', '--grid', '{"fast":[5]}'])).toBe(
      `--strategy: ${CONFIG} has no strategy "nope" (its strategies: sma_fast_index, sma_slow_tech, sma_momentum, rsi_banks, rsi_fast_etf)`,
    );
    expect(await fails(['--strategy', 'sma_fast_index'])).toBe(`--grid is required, e.g. '{"fast":[5,10,20],"slow":[30,60]}'`);
    expect(await fails(['--strategy', 'sma_fast_index', '--grid', '{"fast":[5]}', '--metric', 'luck'])).toBe(
      '--metric: must be one of sharpe, sortino, return, cagr, drawdown, profit_factor, expectancy, win_rate, got "luck"',
    );
    expect(await fails(['--strategy', 'sma_fast_index', '--grid', '{"fast":[5]}', '--walk-forward', '60/20'])).toBe(
      '--walk-forward 60/20: the data has 5 trading days; it needs at least 80 (one training and one test window)',
    );
    expect(await fails(['--strategy', 'sma_fast_index', '--grid', '{"fast":[5]}', '--workers', '0'])).toBe('--workers: invalid value "0"');
    // A ratio of daily returns from five days ranks nothing: refused before any backtest runs.
    expect(await fails(['--strategy', 'sma_fast_index', '--grid', '{"fast":[5,10]}'])).toBe(
      '--metric sharpe: Sharpe ratios need 20 trading days (docs/metrics.md) and the data has 5; rank by --metric return, drawdown or expectancy, or give more days of data',
    );
    expect(await fails(['--strategy', 'sma_fast_index', '--grid', '{"fast":[5,10]}', '--metric', 'cagr'])).toBe(
      '--metric cagr: CAGRs need 20 trading days (docs/metrics.md) and the data has 5; rank by --metric return, drawdown or expectancy, or give more days of data',
    );
    expect(await fails(['--config', DAILY, '--strategy', 'sma_fast_index', '--grid', '{"fast":[5,10]}', '--metric', 'sortino', '--walk-forward', '10/5'])).toBe(
      '--metric sortino: Sortino ratios need 20 trading days (docs/metrics.md) and each training window of --walk-forward 10/5 has 10; rank by --metric return, drawdown or expectancy, or give more days of data',
    );
    expect(await fails(['--strategy', 'sma_fast_index', '--grid', '{"fast":[5]}', '--workers', '2', '--queue', 'redis://127.0.0.1:6379'])).toBe(
      '--workers counts local threads; with --queue each `npm run worker` has its own --workers',
    );
    expect(await fails(['--strategy', 'sma_fast_index', '--grid', '{"fast":[5]}', '--queue', 'http://x'])).toBe('--queue: must be a redis://HOST:PORT address, got "http://x"');
  });
});

describe('npm run optimize under the small-sample rules (docs/metrics.md)', () => {
  it('ranks by profit factor only the combinations with 10 closed trades; the others rank last, n/a with the count', async () => {
    const out = join(dir, 'pf.json');
    await quietly(() => runOptimizeCommand(['--config', DAILY, '--strategy', 'sma_fast_index', '--grid', '{"fast":[2,3,5],"slow":[8,10,30]}', '--metric', 'profit_factor', '--workers', '2', '--out', out]));
    const r = JSON.parse(readFileSync(out, 'utf8')) as OptimizeResult;
    const ranking = r.ranking!;
    const counted = ranking.filter((c) => c.trades >= 10);
    const few = ranking.filter((c) => c.trades < 10);
    // slow 30 makes 5 round trips over the 283 days, the others 22 to 29.
    expect(few.map((c) => c.grid)).toEqual([{ fast: 2, slow: 30 }, { fast: 3, slow: 30 }, { fast: 5, slow: 30 }]);
    expect(counted).toHaveLength(6);
    expect(r.best!.grid).toEqual({ fast: 3, slow: 8 });
    // Every combination with too few trades has no value, says why, and ranks after every one with a value.
    for (const c of few) {
      expect(c.value).toBeNull();
      expect(c.na).toBe(`${c.trades} of 10 closed trades`);
    }
    const valued = ranking.filter((c) => c.value !== null);
    expect(valued.every((c) => c.trades >= 10 && c.value === c.metrics.profitFactor)).toBe(true);
    expect(ranking.slice(0, valued.length)).toEqual(valued);
    expect(counted.filter((c) => c.metrics.profitFactor !== null)).toEqual(valued);
    // When no combination has one, there is no best, and no deflated Sharpe ratio of a choice not made.
    const none = join(dir, 'pf-none.json');
    await quietly(() => runOptimizeCommand(['--config', DAILY, '--strategy', 'sma_fast_index', '--grid', '{"fast":[5,10],"slow":[30,60]}', '--metric', 'profit_factor', '--workers', '2', '--out', none]));
    const n = JSON.parse(readFileSync(none, 'utf8')) as OptimizeResult;
    expect(n.ranking!.map((c) => [c.index, c.value, c.na])).toEqual([
      [0, null, '5 of 10 closed trades'],
      [1, null, '3 of 10 closed trades'],
      [2, null, '7 of 10 closed trades'],
      [3, null, '2 of 10 closed trades'],
    ]);
    expect(n.deflatedSharpe!.probability).toBeNull();
    expect(n.deflatedSharpe!.na).toBe('no combination has a profit_factor');
  }, 60_000);

  it('a sweep by return over five days has no deflated Sharpe ratio, and the table says why', async () => {
    const out = join(dir, 'ret.json');
    const printed: string[] = [];
    const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => (printed.push(String(s)), true));
    const e = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await runOptimizeCommand(['--config', CONFIG, '--strategy', 'sma_fast_index', '--grid', '{"fast":[5,10]}', '--metric', 'return', '--workers', '1', '--out', out]);
    } finally {
      o.mockRestore();
      e.mockRestore();
    }
    const r = JSON.parse(readFileSync(out, 'utf8')) as OptimizeResult;
    expect(r.ranking!.every((c) => c.value === c.metrics.totalReturn && c.na === null)).toBe(true);
    expect(r.deflatedSharpe!.probability).toBeNull();
    expect(r.deflatedSharpe!.na).toBe('5 of 20 trading days');
    const text = printed.join('');
    expect(text).toContain('deflated     Sharpe ratio n/a (5 of 20 trading days)');
    // The Sharpe column shows no number from five days.
    expect(text.match(/^best .*$/m)![0]).toMatch(/, Sharpe n\/a, \d+ fills$/);
  }, 60_000);
});

describe('npm run optimize with a strategy of your own', () => {
  it('sweeps a module of strategies_dir on worker threads: every combination as the built-in it copies', async () => {
    const folder = strategiesFolder({ 'my_cross.ts': MY_CROSS });
    const c = JSON.parse(readFileSync(CONFIG, 'utf8')) as { strategies_dir?: string; strategies: Array<{ id: string; type: string }> };
    c.strategies_dir = folder;
    const builtIn = join(dir, 'builtin.json');
    writeFileSync(builtIn, JSON.stringify(c));
    c.strategies.find((s) => s.id === 'sma_fast_index')!.type = 'my_cross';
    const mine = join(dir, 'mine.json');
    writeFileSync(mine, JSON.stringify(c));
    const sweep = async (config: string): Promise<OptimizeResult> => {
      const out = join(dir, `sweep-${Math.random().toString(36).slice(2)}.json`);
      await quietly(() => runOptimizeCommand(['--config', config, '--strategy', 'sma_fast_index', '--grid', '{"fast":[5,10],"slow":[30,60]}', '--metric', 'return', '--workers', '2', '--out', out]));
      return JSON.parse(readFileSync(out, 'utf8')) as OptimizeResult;
    };
    const [a, b] = [await sweep(builtIn), await sweep(mine)];
    const digests = (r: OptimizeResult) => r.ranking!.map((x) => [JSON.stringify(x.grid), x.fillsDigest, x.finalValue]).sort();
    expect(b.strategy.type).toBe('my_cross');
    expect(digests(b)).toEqual(digests(a));
    expect(b.ranking!.every((x) => x.fills > 0)).toBe(true);
    expect(b.bestFills).toEqual(a.bestFills);
  }, 90_000);
});
