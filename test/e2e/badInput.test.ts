import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { root, runCli, scratchDir, writeConfig, type CliResult } from './cli.js';

/** A user error: exit 2, one message naming the field or file:line, no stack trace, nothing written. */
function expectUserError(r: CliResult, ...parts: string[]): void {
  expectUserErrorAfterStart(r, ...parts);
  // Configuration is checked before anything starts.
  expect(r.stdout).not.toContain('OFFLINE SIMULATION');
}

/** Data files are read as the engine starts: the banner may be out, the exit is the same. */
function expectUserErrorAfterStart(r: CliResult, ...parts: string[]): void {
  expect(r.code).toBe(2);
  for (const p of parts) expect(r.stderr).toContain(p);
  expect(r.stderr).toMatch(/^error: /);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('bad input stops with a clear message', () => {
  let dir: string;
  beforeAll(() => {
    dir = scratchDir();
  });

  it('an unknown strategy type names the field and the known types', async () => {
    const file = writeConfig(dir, (c) => (c.strategies[1]!.type = 'sma_crossover'));
    expectUserError(await runCli(['start', '--config', file, '--duration', '1'], dir), `${file}: strategies[1].type: unknown strategy type "sma_crossover" (known: bollinger_reversion, donchian_breakout, macd_trend, rs_rotation, rsi_reversion, sma_cross)`);
  });

  it('a dashboard other machines could reach needs DASHBOARD_TOKEN: refused before anything starts, the token never echoed', async () => {
    const file = writeConfig(dir, (c) => (c['dashboard'] = { host: '0.0.0.0', port: 0 }));
    const r = await runCli(['start', '--config', file, '--duration', '1'], dir);
    expectUserError(r, 'dashboard.host: 0.0.0.0 is reachable from other machines: set DASHBOARD_TOKEN in .env (at least 16 characters, e.g. openssl rand -hex 24), or listen on 127.0.0.1');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    const short = await runCli(['start', '--config', file, '--duration', '1'], dir, { DASHBOARD_TOKEN: 'tooshort123' });
    expectUserError(short, 'DASHBOARD_TOKEN: must be at least 16 characters (e.g. openssl rand -hex 24), got 11');
    expect(short.stderr).not.toContain('tooshort123');
  });

  it('a negative allocation names the field', async () => {
    const file = writeConfig(dir, (c) => (c.strategies[0]!.capital_allocation = -5000));
    expectUserError(await runCli(['start', '--config', file, '--duration', '1'], dir), `${file}: strategies[0].capital_allocation: must be > 0`);
  });

  it('a missing required field names the field', async () => {
    const file = writeConfig(dir, (c) => delete c.strategies[2]!.symbols);
    expectUserError(await runCli(['start', '--config', file, '--duration', '1'], dir), `${file}: strategies[2].symbols: is required`);
  });

  it('allocations above the account name the strategies and the account', async () => {
    const file = writeConfig(dir, (c) => (c.sim.starting_cash = 50_000));
    expectUserError(
      await runCli(['start', '--config', file, '--duration', '1'], dir),
      `${file}: strategies: capital_allocation of the enabled strategies adds up to $90000.00`,
      "more than the account's $50000.00 (sim.starting_cash)",
    );
  });

  it('a malformed CSV row in the replayed data names the file and line', async () => {
    const data = join(dir, 'data');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(data, { recursive: true });
    const csv = join(data, 'SPY_1min.csv');
    writeFileSync(csv, 'datetime,open,high,low,close,volume\n2019-02-11 09:31:00,270,271,269,270.5,100\n2019-02-11 09:32:00,270,271,269,abc,100\n');
    const file = writeConfig(dir, (c) => {
      c.sim.data_dir = data;
      c.strategies = [c.strategies[0]!];
      c.strategies[0]!.symbols = ['SPY'];
    });
    expectUserErrorAfterStart(await runCli(['start', '--config', file, '--duration', '1'], dir), `${csv}:3: close "abc" is not a finite number`);
  });

  it('a malformed CSV row given to a backtest names the file and line', async () => {
    const csv = join(dir, 'AAPL_1min.csv');
    writeFileSync(csv, 'datetime,open,high,low,close,volume\n2019-02-11 09:31:00,170,171,169,170.5,100\n2019-02-11 09:32\n');
    expectUserError(await runCli(['backtest', '--data', csv, '--strategy', 'sma_cross', '--params', '{"qty":1}'], dir), `${csv}:3: expected 6 fields`);
  });

  it('bad backtest flags name the flag', async () => {
    const csv = join(root, 'test', 'fixtures', 'backtrader', 'SPY_1min.csv');
    expectUserError(await runCli(['backtest', '--data', csv, '--strategy', 'macd'], dir), '--strategy: unknown strategy "macd" (known: bollinger_reversion, donchian_breakout, macd_trend, rs_rotation, rsi_reversion, sma_cross; your own: a module strategies/macd.ts)');
    expectUserError(await runCli(['backtest', '--data', csv, '--strategy', 'sma_cross', '--params', '{"fast":30,"slow":10,"qty":1}'], dir), '--params: params.fast: must be less than slow (10)');
    expectUserError(await runCli(['backtest', '--data', csv, '--strategy', 'sma_cross', '--params', '{"qty":1}', '--cash=-1'], dir), '--cash: invalid value "-1"');
  });

  it('a .env still holding the example placeholder names the variable', async () => {
    writeFileSync(join(dir, '.env'), 'ALPACA_API_KEY=your-alpaca-key-id\nALPACA_SECRET_KEY=your-alpaca-secret-key\n');
    const file = writeConfig(dir);
    try {
      expectUserError(await runCli(['start', '--config', file, '--duration', '1'], dir), 'ALPACA_API_KEY: still holds the placeholder');
    } finally {
      const { rmSync } = await import('node:fs');
      rmSync(join(dir, '.env'));
    }
  });

  it('real money needs the live URL, --live and a live section: any one missing is refused before connecting', async () => {
    const file = writeConfig(dir);
    const keys = { ALPACA_API_KEY: 'PKLIVE0000000001', ALPACA_SECRET_KEY: 'secret-of-the-test' };
    const live = { ...keys, ALPACA_BASE_URL: 'https://api.alpaca.markets' };
    expectUserError(await runCli(['start', '--config', file, '--duration', '1'], dir, live), 'trades real money: start with --live, and add a "live" section');
    expectUserError(await runCli(['start', '--config', file, '--duration', '1', '--live'], dir, live), 'add a "live" section to the configuration');
    const withLive = writeConfig(dir, (c) => (c['live'] = { max_drawdown_pct: 0.05, max_daily_loss_pct: 0.02 }));
    expectUserError(await runCli(['start', '--config', withLive, '--duration', '1'], dir, live), 'trades real money: start with --live');
    expectUserError(await runCli(['start', '--config', withLive, '--duration', '1', '--live'], dir, keys), '--live: ALPACA_BASE_URL is not the live URL');
    const loose = writeConfig(dir, (c) => (c['live'] = { max_drawdown_pct: 0.2 }));
    expectUserError(await runCli(['start', '--config', loose, '--duration', '1', '--live'], dir, live), 'live.max_drawdown_pct: must be ≤ 0.1 for live trading');
  });
});
