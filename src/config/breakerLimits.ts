import type { BreakerLimits } from '../risk/CircuitBreaker.js';
import type { DaemonConfig } from './configSchema.js';

/**
 * The circuit-breaker thresholds of every enabled strategy (its own values over the top-level ones)
 * and of the account. The account's drawdown and daily loss default to the top-level fractions; its
 * loss streak and orders a day default to the top-level counts times the number of enabled
 * strategies (five strategies each allowed 50 orders a day may send 250 together).
 */
export function breakerLimits(config: DaemonConfig): { strategies: Map<string, BreakerLimits>; account: BreakerLimits } {
  const top = config.circuit_breakers;
  const enabled = config.strategies.filter((s) => s.enabled);
  const strategies = new Map<string, BreakerLimits>();
  for (const s of enabled) {
    const own = s.circuit_breakers ?? {};
    strategies.set(s.id, {
      maxDrawdownPct: own.max_drawdown_pct ?? top.max_drawdown_pct,
      maxDailyLossPct: own.max_daily_loss_pct ?? top.max_daily_loss_pct,
      maxConsecutiveLosses: own.max_consecutive_losses ?? top.max_consecutive_losses,
      maxTradesPerDay: own.max_trades_per_day ?? top.max_trades_per_day,
      action: own.action ?? top.action,
    });
  }
  const n = Math.max(1, enabled.length);
  const account: BreakerLimits = {
    maxDrawdownPct: top.account.max_drawdown_pct ?? top.max_drawdown_pct,
    maxDailyLossPct: top.account.max_daily_loss_pct ?? top.max_daily_loss_pct,
    maxConsecutiveLosses: top.account.max_consecutive_losses ?? top.max_consecutive_losses * n,
    maxTradesPerDay: top.account.max_trades_per_day ?? top.max_trades_per_day * n,
    action: top.action,
  };
  return { strategies, account };
}

/** Live trading: every drawdown and daily-loss limit capped by the configuration's `live` section. */
export function liveBreakerLimits(config: DaemonConfig, live: { max_drawdown_pct: number; max_daily_loss_pct: number }): ReturnType<typeof breakerLimits> {
  const { strategies, account } = breakerLimits(config);
  // A rule switched off (null) is switched on at the live cap.
  const capped = (v: number | null, max: number): number => Math.min(v ?? max, max);
  const cap = (l: BreakerLimits): BreakerLimits => ({ ...l, maxDrawdownPct: capped(l.maxDrawdownPct, live.max_drawdown_pct), maxDailyLossPct: capped(l.maxDailyLossPct, live.max_daily_loss_pct) });
  return { strategies: new Map([...strategies].map(([id, l]) => [id, cap(l)])), account: cap(account) };
}
