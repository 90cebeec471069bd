import { describe, expect, it } from 'vitest';
import { liveBreakerLimits } from '../../src/config/breakerLimits.js';
import { configSchema } from '../../src/config/configSchema.js';

describe('live breaker limits', () => {
  it('caps every drawdown and daily-loss limit at the live section’s, switched-off rules included', () => {
    const config = configSchema.parse({
      strategies: [
        { id: 'a', type: 'sma_cross', symbols: ['SPY'], capital_allocation: 1000, params: {}, circuit_breakers: { max_drawdown_pct: 0.3 } },
        { id: 'b', type: 'sma_cross', symbols: ['SPY'], capital_allocation: 1000, params: {}, circuit_breakers: { max_drawdown_pct: 0.01 } },
      ],
      live: {},
    });
    const l = liveBreakerLimits(config, config.live!);
    expect([...l.strategies].map(([id, x]) => [id, x.maxDrawdownPct, x.maxDailyLossPct])).toEqual([
      ['a', 0.05, 0.02],
      ['b', 0.01, 0.02],
    ]);
    expect([l.account.maxDrawdownPct, l.account.maxDailyLossPct]).toEqual([0.05, 0.02]);
  });
});
