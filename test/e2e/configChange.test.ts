import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, scratchDir, writeConfig, type ConfigJson } from './cli.js';

interface Saved {
  strategies: Record<string, { capital: number; equity: number; circuitBreaker: { state: string } | null; ledger: { cash: number; realizedPnl: number; positions: Array<{ symbol: string; qty: number }> } }>;
  circuitBreaker: { state: string } | null;
  engine: { capitalFlows: Array<{ strategyId: string; amount: number }>; unallocatedCash: number | null };
}

const readSaved = (dir: string): Saved => JSON.parse(readFileSync(join(dir, 'state', 'latest_state.json'), 'utf8')) as Saved;

/**
 * The offline daemon, fast, with tight account breakers that a change of capital read as a loss
 * would trip, and a sixth strategy that never trades (RSI under 1), so one surely holds only cash.
 */
const base = (c: ConfigJson): void => {
  c.sim.speed = 30_000;
  c.strategies.push({ id: 'never', type: 'rsi_reversion', symbols: ['SPY'], capital_allocation: 5000, params: { period: 14, lower: 1, upper: 99, qty: 1 } });
  c['circuit_breakers'] = { max_drawdown_pct: 0.2, max_daily_loss_pct: 0.05, max_consecutive_losses: 50, max_trades_per_day: 500, action: 'flatten', account: { max_drawdown_pct: 0.02, max_daily_loss_pct: 0.02 } };
};

describe('--restore after the configuration changed', () => {
  it('a new capital is a deposit (P&L unchanged), a removed strategy with only cash leaves, and no breaker trips on the change', async () => {
    const dir = scratchDir();
    const config = writeConfig(dir, base);
    expect((await runCli(['start', '--config', config, '--duration', '3'], dir)).code).toBe(0);
    const before = readSaved(dir);
    // A strategy with shares cannot leave (next test): this one holds only cash.
    const idle = 'never';
    expect(before.strategies[idle]!.ledger.positions).toEqual([]);
    const grown = 'sma_fast_index';
    const pnl = (s: Saved, id: string): number => s.strategies[id]!.equity - s.strategies[id]!.capital;
    writeConfig(dir, (c) => {
      base(c);
      c.strategies = c.strategies.filter((s) => s['id'] !== idle);
      const g = c.strategies.find((s) => s['id'] === grown)!;
      g['capital_allocation'] = (g['capital_allocation'] as number) + 5000;
      // Another strategy for the paper record (its fingerprint changes): said at the start too.
      const tuned = c.strategies.find((s) => s['id'] === 'rsi_banks')!;
      tuned['params'] = { ...(tuned['params'] as object), upper: 75 };
      tuned['symbols'] = [...(tuned['symbols'] as string[]), 'XLP'];
    });
    const r = await runCli(['start', '--config', config, '--restore', '--duration', '3'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`configuration changed since the state was saved: strategy ${idle} removed`);
    expect(r.stdout).toContain(`strategy ${grown}: capital_allocation`);
    expect(r.stdout).toContain(
      'configuration changed since the state was saved: strategy rsi_banks: params.upper 70 → 75; symbols +XLP: another strategy for the live checklist, its clock starts again (docs/readiness.md)',
    );
    const after = readSaved(dir);
    expect(Object.keys(after.strategies)).not.toContain(idle);
    expect(after.engine.capitalFlows.map((f) => [f.strategyId, f.amount]).sort()).toEqual(
      [
        [idle, -before.strategies[idle]!.ledger.cash],
        [grown, 5000],
      ].sort(),
    );
    expect(after.strategies[grown]!.capital).toBe(before.strategies[grown]!.capital + 5000);
    // The restart traded on: its P&L moved from where it was, not by the $5,000.
    expect(Math.abs(pnl(after, grown) - pnl(before, grown))).toBeLessThan(1000);
    expect(after.circuitBreaker?.state).toBe('ARMED');
  }, 120_000);

  it('a removed strategy that holds shares stops the start, naming them; the state stays as it was', async () => {
    const dir = scratchDir();
    const config = writeConfig(dir, base);
    expect((await runCli(['start', '--config', config, '--duration', '3'], dir)).code).toBe(0);
    const file = join(dir, 'state', 'latest_state.json');
    const before = readFileSync(file, 'utf8');
    // The runs of this directory (the paper record's configuration history): a start refused never ran.
    const runs = readFileSync(join(dir, 'state', 'runs.json'), 'utf8');
    const saved = JSON.parse(before) as Saved;
    const [holder, s] = Object.entries(saved.strategies).find(([, x]) => x.ledger.positions.length > 0)!;
    writeConfig(dir, (c) => {
      base(c);
      c.strategies = c.strategies.map((x) => (x['id'] === holder ? { ...x, enabled: false } : x));
    });
    const r = await runCli(['start', '--config', config, '--restore', '--duration', '3'], dir);
    // A configuration error (the user's to fix): exit 2, one message, no stack trace.
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`strategy "${holder}" is no longer run by ${config} (removed or disabled), but the saved state says it holds `);
    for (const p of s.ledger.positions) expect(r.stderr).toContain(`${p.qty} ${p.symbol}`);
    expect(r.stderr).toContain('npm run ctl -- flatten');
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(readFileSync(join(dir, 'state', 'runs.json'), 'utf8')).toBe(runs);
  }, 120_000);
});
