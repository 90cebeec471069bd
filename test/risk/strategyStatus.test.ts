import { describe, expect, it } from 'vitest';
import { strategyStatus } from '../../src/risk/strategyStatus.js';

const active = { status: 'active', pauseReason: null };
const armed = { trip: null };
const trip = (rule: string, message: string, time: number) => ({ trip: { rule, message, time } });

describe('strategyStatus', () => {
  it('active only when the runner runs and neither its breaker nor the account’s is paused', () => {
    expect(strategyStatus(active, armed, armed)).toEqual({ word: 'active', label: 'active', reason: null, since: null });
    expect(strategyStatus(active, null, null).label).toBe('active');
  });

  it('PAUSED by its own breaker (the runner still says active), then by the account’s', () => {
    expect(strategyStatus(active, trip('max_drawdown', 'drawdown 0.51% reached the 0.50% limit', 1_000), armed)).toEqual({
      word: 'PAUSED',
      label: 'PAUSED (max_drawdown)',
      reason: 'drawdown 0.51% reached the 0.50% limit',
      since: 1_000,
    });
    expect(strategyStatus(active, armed, trip('max_daily_loss', 'loss today 5.00%', 2_000))).toEqual({
      word: 'PAUSED',
      label: 'PAUSED (account: max_daily_loss)',
      reason: "the account's breaker: loss today 5.00%",
      since: 2_000,
    });
    expect(strategyStatus(active, trip('manual', 'paused by hand (ctl)', 3_000), trip('max_daily_loss', 'loss', 2_000)).label).toBe('PAUSED (manual)');
  });

  it('FAULTED and HALTED come before any breaker', () => {
    const paused = trip('manual', 'paused by hand (ctl)', 3_000);
    expect(strategyStatus({ status: 'faulted', pauseReason: 'onBar: boom' }, paused, paused)).toEqual({ word: 'FAULTED', label: 'FAULTED', reason: 'onBar: boom', since: null });
    expect(strategyStatus({ status: 'paused', pauseReason: 'trading halted: NaN price' }, paused, armed)).toEqual({ word: 'HALTED', label: 'HALTED', reason: 'trading halted: NaN price', since: null });
  });
});
