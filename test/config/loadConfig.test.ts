import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkAllocations, parseConfig } from '../../src/config/loadConfig.js';
import { ConfigError } from '../../src/core/errors.js';
import { strategyParamSchemas } from '../../src/strategies/builtInStrategies.js';

const shipped = readFileSync(join(import.meta.dirname, '..', '..', 'config', 'paper-trading.json'), 'utf8');
const options = { strategyParams: strategyParamSchemas() };
const strategy = { id: 's1', type: 'sma_cross', symbols: ['SPY'], capital_allocation: 10_000, params: { qty: 1 } };

function errorOf(config: unknown): string {
  try {
    parseConfig(typeof config === 'string' ? config : JSON.stringify(config), 'cfg.json', options);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('loads the shipped file, frozen, with five strategies on one-minute bars', () => {
    const c = parseConfig(shipped, 'paper-trading.json', options);
    expect(c.strategies.filter((s) => s.enabled).map((s) => s.id)).toEqual(['sma_fast_index', 'sma_slow_tech', 'sma_momentum', 'rsi_banks', 'rsi_fast_etf']);
    expect(c.data.timeframe.label).toBe('1Min');
    expect(c.strategies[3]!.params).toEqual({ period: 14, lower: 30, upper: 70, fraction: 0.2 });
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.strategies[0]!.symbols)).toBe(true);
    expect(Object.isFrozen(c.sim)).toBe(true);
  });

  it('fills defaults for everything but the strategies', () => {
    const c = parseConfig(JSON.stringify({ strategies: [strategy] }), 'cfg.json', options);
    expect(c.data).toEqual({ timeframe: { amount: 1, unit: 'Hour', ms: 3_600_000, label: '1Hour' }, history_days: 100, max_bar_move_pct: 0.25, silence_minutes: 3 });
    expect(c.circuit_breakers).toEqual({ max_drawdown_pct: 0.2, max_daily_loss_pct: 0.05, max_consecutive_losses: 5, max_trades_per_day: 50, action: 'block_entries', account: {} });
    expect(c.risk).toEqual({ max_position_pct: 0.25, max_order_pct: 1 });
    expect(c.state).toEqual({ dir: 'data_cache/portfolio_states', snapshot_interval_s: 300, max_backups: 100, daily_backups_days: 31, max_archives: 10, trades_segment_mb: 4, trades_keep_days: 730 });
    expect(c.strategies_dir).toBe('strategies');
    expect(c.strategies[0]).toEqual({ ...strategy, enabled: true, params: { fast: 10, slow: 30, qty: 1 } });
  });

  it('names the field of every problem', () => {
    expect(errorOf({ strategies: [{ ...strategy, type: 'foo' }] })).toBe('cfg.json: strategies[0].type: unknown strategy type "foo" (known: bollinger_reversion, donchian_breakout, macd_trend, rs_rotation, rsi_reversion, sma_cross)');
    expect(errorOf({ strategies: [{ ...strategy, capital_allocation: -1 }] })).toBe(
      'cfg.json: strategies[0].capital_allocation: must be > 0 (dollars of the account given to this strategy)',
    );
    const { capital_allocation: _, ...missing } = strategy;
    expect(errorOf({ strategies: [missing] })).toBe('cfg.json: strategies[0].capital_allocation: is required');
    expect(errorOf({ strategies: [strategy], risk: { max_postion_pct: 0.1 } })).toBe('cfg.json: risk: unknown key "max_postion_pct"');
    expect(errorOf({ strategies: [strategy], extra: 1 })).toBe('cfg.json: (top level): unknown key "extra"');
    expect(errorOf({ strategies: [{ ...strategy, params: { fast: 'ten', qty: 1 } }] })).toBe(
      'cfg.json: strategies[0].params.fast: Invalid input: expected number, received string',
    );
    expect(errorOf({ strategies: [{ ...strategy, params: { fast: 30, slow: 10, qty: 1 } }] })).toBe('cfg.json: strategies[0].params.fast: must be less than slow (10)');
    expect(errorOf({ strategies: [{ ...strategy, params: { qty: 1, fraction: 0.1 } }] })).toBe(
      'cfg.json: strategies[0].params.qty: give exactly one of qty (shares) or fraction (of capital)',
    );
    expect(errorOf({ strategies: [strategy, strategy] })).toBe('cfg.json: strategies[1].id: duplicate strategy id "s1"');
    expect(errorOf({ strategies: [{ ...strategy, id: 'My-Strategy' }] })).toMatch(/^cfg\.json: strategies\[0\]\.id: must be 1–40 lower-case/);
    expect(errorOf({ strategies: [strategy], data: { timeframe: '90M' } })).toBe(
      'cfg.json: data.timeframe: "90M" is not a timeframe: use 1M…59M, 1H…23H or 1D (or 1Min, 15Min, 1Hour, 1Day)',
    );
    expect(errorOf({ strategies: [strategy], circuit_breakers: { max_drawdown_pct: 20 } })).toBe(
      'cfg.json: circuit_breakers.max_drawdown_pct: must be ≤ 1 (a fraction: 0.05 = 5 %)',
    );
    expect(errorOf({ strategies: [] })).toBe('cfg.json: strategies: must list at least one strategy');
  });

  it('names the retention field that is wrong', () => {
    expect(errorOf({ strategies: [strategy], state: { daily_backups_days: -1 } })).toBe('cfg.json: state.daily_backups_days: must be ≥ 0 (0: no daily backups)');
    expect(errorOf({ strategies: [strategy], state: { daily_backups_days: 1.5 } })).toBe('cfg.json: state.daily_backups_days: must be a whole number');
    expect(errorOf({ strategies: [strategy], state: { max_backups: 0 } })).toBe('cfg.json: state.max_backups: must be > 0');
    expect(errorOf({ strategies: [strategy], state: { max_archives: 0 } })).toBe('cfg.json: state.max_archives: must be > 0');
    expect(errorOf({ strategies: [strategy], state: { trades_segment_mb: 0 } })).toBe('cfg.json: state.trades_segment_mb: must be > 0 (MB)');
    expect(errorOf({ strategies: [strategy], state: { trades_keep_days: 'forever' } })).toBe('cfg.json: state.trades_keep_days: Invalid input: expected number, received string');
  });

  it('reports every problem at once, one per line', () => {
    const message = errorOf({ strategies: [{ ...strategy, symbols: [] }], sim: { speed: 0 } });
    expect(message.split('\n')).toEqual(['cfg.json: strategies[0].symbols: must list at least one symbol', 'cfg.json: sim.speed: must be > 0']);
  });

  it('reads a file saved with a byte order mark (Windows Notepad) and CRLF line ends as the same configuration', () => {
    const windows = `\uFEFF${shipped.replace(/\n/g, '\r\n')}`;
    expect(parseConfig(windows, 'paper-trading.json', options)).toEqual(parseConfig(shipped, 'paper-trading.json', options));
  });

  it('says where JSON is broken', () => {
    expect(errorOf('{\n  "strategies": [\n    {"id": "a",}\n  ]\n}')).toMatch(/^cfg\.json: not valid JSON at line 3, column \d+/);
  });

  it('refuses allocations the account cannot cover, counting enabled strategies only', () => {
    const c = parseConfig(
      JSON.stringify({
        strategies: [strategy, { ...strategy, id: 's2', capital_allocation: 45_000 }, { ...strategy, id: 's3', enabled: false, capital_allocation: 1e6 }],
      }),
      'cfg.json',
      options,
    );
    expect(() => checkAllocations(c, 55_000, 'sim.starting_cash')).not.toThrow();
    expect(() => checkAllocations(c, 50_000, 'sim.starting_cash')).toThrow(
      "strategies: capital_allocation of the enabled strategies adds up to $55000.00 (s1 $10000, s2 $45000), more than the account's $50000.00 (sim.starting_cash)",
    );
  });
});

describe('durations', () => {
  it('a snapshot interval over a day is refused (Node fires longer timers every millisecond)', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { loadConfig } = await import('../../src/config/loadConfig.js');
    const { strategyParamSchemas } = await import('../../src/strategies/builtInStrategies.js');
    const file = join(mkdtempSync(join(tmpdir(), 'cfg-')), 'c.json');
    writeFileSync(file, JSON.stringify({ strategies: [{ id: 's', type: 'sma_cross', symbols: ['SPY'], capital_allocation: 1000, params: { qty: 1 } }], state: { snapshot_interval_s: 3_000_000 } }));
    expect(() => loadConfig(file, { strategyParams: strategyParamSchemas() })).toThrow('state.snapshot_interval_s: must be ≤ 86400 (a day)');
  });
});
