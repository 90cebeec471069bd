import { describe, expect, it } from 'vitest';
import { describeChange, strategyFingerprint } from '../../src/engine/strategyFingerprint.js';
import type { RunRecord } from '../../src/persistence/RunRegistry.js';
import { paperClock } from '../../src/readiness/paperClock.js';

const sma = { type: 'sma_cross', params: { fast: 10, slow: 30, fraction: 0.2 }, symbols: ['SPY', 'QQQ'] };
const strategy = (s: typeof sma, capital = 20_000): NonNullable<RunRecord['strategies']>[string] => ({ ...s, capital, fingerprint: strategyFingerprint(s) });
const run = (id: string, resumedAfter: number | null, strategies?: RunRecord['strategies']): RunRecord => ({
  id,
  startedAt: `2026-0${id.length}-01T14:00:00.000Z`,
  ...(strategies === undefined ? {} : { mode: 'alpaca' as const, resumedAfter, strategies }),
});

describe('strategyFingerprint', () => {
  it('names type, parameters and symbols, whatever their order; not the capital', () => {
    const f = strategyFingerprint(sma);
    expect(f).toMatch(/^[0-9a-f]{16}$/);
    expect(strategyFingerprint({ type: 'sma_cross', params: { slow: 30, fraction: 0.2, fast: 10 }, symbols: ['QQQ', 'SPY'] })).toBe(f);
    expect(strategyFingerprint({ ...sma, params: { ...sma.params, fast: 12 } })).not.toBe(f);
    expect(strategyFingerprint({ ...sma, symbols: ['SPY'] })).not.toBe(f);
    expect(strategyFingerprint({ ...sma, type: 'rsi_reversion' })).not.toBe(f);
  });

  it('says what changed', () => {
    expect(describeChange(sma, { ...sma, params: { fast: 12, slow: 30, qty: 5 }, symbols: ['SPY', 'NVDA'] })).toBe('params.fast 10 → 12; params.fraction 0.2 → (none); params.qty (none) → 5; symbols +NVDA −QQQ');
    expect(describeChange(sma, { ...sma, type: 'macd_trend' })).toBe('type sma_cross → macd_trend');
    expect(describeChange(sma, { ...sma, symbols: ['QQQ', 'SPY'] })).toBe('no change');
  });
});

describe('paperClock', () => {
  it('runs from the first run while the fingerprint stays the same (a capital change is a deposit, not a change)', () => {
    const c = paperClock([run('a', null, { s: strategy(sma) }), run('bb', 1_000, { s: strategy(sma, 25_000) })], 's');
    expect(c.run?.id).toBe('a');
    expect(c.after).toBeNull();
    expect(c.change).toBeNull();
    expect(c.current?.capital).toBe(25_000);
    expect(c.latest?.id).toBe('bb');
  });

  it('restarts at a run whose fingerprint differs, after the bar the restored state had reached, and says which change', () => {
    const changed = { ...sma, params: { ...sma.params, slow: 40 } };
    const c = paperClock([run('a', null, { s: strategy(sma) }), run('bb', 1_000, { s: strategy(sma) }), run('ccc', 5_000, { s: strategy(changed) }), run('dddd', 9_000, { s: strategy(changed) })], 's');
    expect(c.run?.id).toBe('ccc');
    expect(c.after).toBe(5_000);
    expect(c.change).toBe('params.slow 30 → 40');
    expect(c.current?.fingerprint).toBe(strategyFingerprint(changed));
  });

  it('restarts after a run that did not trade the strategy, and after runs of an older version that recorded nothing', () => {
    const gap = paperClock([run('a', null, { s: strategy(sma) }), run('bb', 1_000, { other: strategy(sma) }), run('ccc', 2_000, { s: strategy(sma) })], 's');
    expect(gap.run?.id).toBe('ccc');
    expect(gap.change).toBe('not traded in run bb (2026-02-01T14:00:00.000Z)');
    const old = paperClock([run('a', null), run('bb', 3_000, { s: strategy(sma) })], 's');
    expect(old.run?.id).toBe('bb');
    expect(old.after).toBe(3_000);
    expect(old.change).toBe('run a (2026-01-01T14:00:00.000Z) recorded no fingerprint (runs.json of an older version)');
    // Nothing recorded at all: no clock.
    expect(paperClock([run('a', null)], 's')).toEqual({ run: null, after: null, change: null, current: null, latest: null });
  });

  it('starts a strategy added later at its first run, as a record of its own', () => {
    const c = paperClock([run('a', null, { other: strategy(sma) }), run('bb', 4_000, { other: strategy(sma), s: strategy(sma) })], 's');
    expect(c.run?.id).toBe('bb');
    expect(c.after).toBe(4_000);
    expect(c.change).toBeNull();
  });
});
