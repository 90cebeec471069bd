import { describe, expect, it } from 'vitest';
import { applyConfigChange } from '../../src/engine/applyConfigChange.js';
import type { StrategySpec } from '../../src/engine/StrategySpec.js';
import { ConfigError } from '../../src/core/errors.js';
import { coreRun } from '../execution/coreHarness.js';

const spec = (id: string, capital: number, symbols = ['AAPL']): StrategySpec => ({ id, type: 'scripted', symbols, capital, params: {} });

/** Two strategies on $20,000 each: `a` buys 10 AAPL at 100 and sells at 110 (a $100 gain), `b` buys 10 at 100 and holds. */
function saved(hold: boolean) {
  const run = coreRun({
    strategies: {
      a: (i, bar, ctx) => {
        if (i === 0) ctx.buy(bar.symbol, 10);
        if (i === 2) ctx.closePosition(bar.symbol);
      },
      b: (i, bar, ctx) => i === 0 && hold && ctx.buy(bar.symbol, 10),
    },
    breakers: { maxDrawdownPct: 0.01 },
    account: { maxDrawdownPct: 0.01 },
  });
  run.bar(0, { AAPL: 100 });
  run.bar(1, { AAPL: [100, 110, 100, 110] });
  run.bar(2, { AAPL: 110 });
  run.bar(3, { AAPL: 110 });
  return { ...run.state(), unallocatedCash: 60_000 };
}

describe('a restore against a changed configuration', () => {
  it('nothing changed: the state as it was', () => {
    const s = saved(true);
    const fitted = applyConfigChange(s, [spec('a', 20_000), spec('b', 20_000)], 1, 'config.json');
    expect(fitted.changes).toEqual([]);
    expect(fitted.state).toEqual(s);
  });

  it('a changed capital_allocation is a deposit: cash and capital move, P&L does not, breakers and curves shift by the same amount', () => {
    const s = saved(true);
    const before = s.runners['a']!.ledger;
    expect([before.capital, before.cash]).toEqual([20_000, 20_100]);
    const fitted = applyConfigChange(s, [spec('a', 25_000), spec('b', 20_000)], 7, 'config.json');
    const after = fitted.state.runners['a']!.ledger;
    expect([after.capital, after.cash, after.cash - after.capital]).toEqual([25_000, 25_100, 100]);
    expect(fitted.changes).toEqual(['strategy a: capital_allocation $20000.00 → $25000.00: deposit of $5000.00 to its cash (its P&L is unchanged)']);
    expect(fitted.state.capitalFlows).toEqual([{ time: 7, strategyId: 'a', amount: 5000, why: 'capital_allocation $20000.00 → $25000.00' }]);
    expect(fitted.state.unallocatedCash).toBe(55_000);
    const shifted = (k: 'highWater' | 'dayStart' | 'lastEquity', scope: 'account' | 'a') =>
      (scope === 'account' ? fitted.state.breakers!.account : fitted.state.breakers!.strategies['a']!)[k]! - (scope === 'account' ? s.breakers!.account : s.breakers!.strategies['a']!)[k]!;
    expect([shifted('highWater', 'a'), shifted('dayStart', 'a'), shifted('lastEquity', 'a'), shifted('highWater', 'account')]).toEqual([5000, 5000, 5000, 5000]);
    expect(fitted.state.curves.strategies['a']!.close - s.curves.strategies['a']!.close).toBe(5000);
    expect(fitted.state.curves.total!.peak - s.curves.total!.peak).toBe(5000);
  });

  it('a withdrawal restores into a core whose breakers do not trip on it', () => {
    const s = saved(true);
    const fitted = applyConfigChange(s, [spec('a', 10_000), spec('b', 20_000)], 7, 'config.json');
    const run = coreRun({ strategies: { a: () => {}, b: () => {} }, capitals: { a: 10_000 }, breakers: { maxDrawdownPct: 0.01 }, account: { maxDrawdownPct: 0.01 }, restoreFrom: fitted.state });
    // Ledger a was built with the new capital; a drawdown rule measured on the old base would see −25 %.
    expect(run.core.runner.get('a')!.ledger.startingCash).toBe(10_000);
    run.bar(4, { AAPL: 110 });
    expect(run.core.breakers!.get('a')!.trip).toBeNull();
    expect(run.core.breakers!.account.trip).toBeNull();
    expect(run.core.runner.get('a')!.ledger.equity() - 10_000).toBe(100);
  });

  it('a removed strategy that holds only cash leaves; its cash goes back to the account and the account breaker is not tripped by it', () => {
    const s = saved(true);
    const fitted = applyConfigChange(s, [spec('b', 20_000)], 7, 'config.json');
    expect(Object.keys(fitted.state.runners)).toEqual(['b']);
    expect(fitted.changes).toEqual(['strategy a removed: its cash $20100.00 (P&L $100.00) goes back to the account']);
    expect(fitted.state.unallocatedCash).toBe(80_100);
    const run = coreRun({ strategies: { b: () => {} }, account: { maxDrawdownPct: 0.01 }, restoreFrom: fitted.state });
    run.bar(4, { AAPL: 110 });
    expect(run.core.breakers!.account.trip).toBeNull();
  });

  it('a removed strategy that holds shares or orders stops the start, naming them and saying how to go on', () => {
    const s = saved(true);
    expect(() => applyConfigChange(s, [spec('a', 20_000)], 7, 'config.json')).toThrow(ConfigError);
    expect(() => applyConfigChange(s, [spec('a', 20_000)], 7, 'config.json')).toThrow(
      'strategy "b" is no longer run by config.json (removed or disabled), but the saved state says it holds 10 AAPL: they would belong to no strategy. Nothing was changed. To go on, run the old configuration again (restore it, start with --restore); to retire a strategy, close it first while the daemon runs (`npm run ctl -- flatten <strategy>`), wait until its orders are done, then remove it and restart with --restore.',
    );
  });

  it('a strategy that holds shares of a symbol it no longer trades stops the start too', () => {
    expect(() => applyConfigChange(saved(true), [spec('a', 20_000), spec('b', 20_000, ['MSFT'])], 7, 'config.json')).toThrow('strategy "b" holds 10 AAPL, no longer among its symbols in config.json');
  });

  it('a strategy with an order open in a symbol it no longer trades stops the start too (the fill would be a position it never sees a price for)', () => {
    const run = coreRun({ strategies: { b: (i, bar, ctx) => i === 0 && ctx.buy(bar.symbol, 10) } });
    run.bar(0, { AAPL: 100 });
    const s = { ...run.state(), unallocatedCash: 80_000 };
    expect(s.runners['b']!.ledger.lots).toEqual([]);
    expect(() => applyConfigChange(s, [spec('b', 20_000, ['MSFT'])], 7, 'config.json')).toThrow(
      'strategy "b" has 1 open order(s) in symbols no longer among its symbols in config.json (b-r-1 buy 10 AAPL): its fills would be positions it never sees a price for',
    );
  });

  it('a withdrawal larger than the strategy\'s cash stops the start: the rest of its capital is in its positions', () => {
    const run = coreRun({ strategies: { b: (i, bar, ctx) => i === 0 && ctx.buy(bar.symbol, 180) } });
    run.bar(0, { AAPL: 100 });
    run.bar(1, { AAPL: 100 });
    const s = { ...run.state(), unallocatedCash: 80_000 };
    expect(s.runners['b']!.ledger.cash).toBe(2000);
    expect(() => applyConfigChange(s, [spec('b', 1_000)], 7, 'config.json')).toThrow(
      'strategy "b": capital_allocation $20000.00 → $1000.00 in config.json would withdraw $19000.00, more than its cash $2000.00 (the rest is in its positions): give it at least $18000.00, or close its positions first',
    );
    // Down to the cash it has is a withdrawal like any other.
    expect(applyConfigChange(s, [spec('b', 18_000)], 7, 'config.json').state.runners['b']!.ledger.cash).toBe(0);
  });

  it('offline, capital moved into the strategies must be in the restored account: sim.starting_cash does not refill it', () => {
    // $60,000 outside the strategies: a new strategy of $40,000 and $30,000 more for a is $10,000 too much.
    expect(() => applyConfigChange(saved(false), [spec('a', 50_000), spec('b', 20_000), spec('c', 40_000)], 7, 'config.json')).toThrow(
      'strategies: the capital_allocation changes in config.json move $70000.00 into the strategies, $10000.00 more than the $60000.00 the restored simulated account has outside them (a restored account keeps its own cash; sim.starting_cash sets only a new account\'s): lower capital_allocation, or start without --restore for a new account',
    );
    expect(applyConfigChange(saved(false), [spec('a', 50_000), spec('b', 20_000), spec('c', 30_000)], 7, 'config.json').state.unallocatedCash).toBe(0);
    // On Alpaca (no unallocated cash in the state) the account's own check applies.
    expect(applyConfigChange({ ...saved(false), unallocatedCash: null }, [spec('a', 50_000), spec('b', 20_000), spec('c', 40_000)], 7, 'config.json').state.unallocatedCash).toBeNull();
  });

  it('a new strategy is a deposit of its capital', () => {
    const fitted = applyConfigChange(saved(false), [spec('a', 20_000), spec('b', 20_000), spec('c', 15_000)], 7, 'config.json');
    expect(fitted.changes).toEqual(['strategy c added with $15000.00']);
    expect(fitted.state.unallocatedCash).toBe(45_000);
    expect(fitted.state.capitalFlows.map((f) => [f.strategyId, f.amount])).toEqual([['c', 15_000]]);
  });
});
