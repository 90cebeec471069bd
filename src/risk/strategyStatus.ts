/** The one word that says whether a strategy may trade, the same in the log, the summary, `npm run status` and Telegram. */
export const TradingStatus = { Active: 'active', Paused: 'PAUSED', Halted: 'HALTED', Faulted: 'FAULTED' } as const;
export type TradingStatus = (typeof TradingStatus)[keyof typeof TradingStatus];

/** What a breaker's saved or live status says of it (BreakerStatus has these). */
export interface BreakerView {
  /** Non-null while the breaker is PAUSED. */
  readonly trip: { readonly rule: string; readonly message: string; readonly time: number } | null;
}

export interface StrategyStatus {
  readonly word: TradingStatus;
  /** The word and, when not active, the rule or cause in brackets: `PAUSED (max_drawdown)`, `PAUSED (account: max_daily_loss)`. */
  readonly label: string;
  /** Why, in full (the trip's message, the fault), or null when active. */
  readonly reason: string | null;
  /** When its breaker tripped (market time), when one did. */
  readonly since: number | null;
}

/**
 * A strategy's trading status from its runner and the circuit breakers, most serious first:
 * FAULTED (its code threw: paused until restarted), HALTED (the daemon stopped all trading on a
 * broken invariant), PAUSED (its own breaker, or the account's: entries blocked), else active.
 * The runner alone says `active` for a strategy whose breaker is paused; this never does.
 */
export function strategyStatus(runner: { readonly status: string; readonly pauseReason: string | null }, breaker: BreakerView | null, account: BreakerView | null): StrategyStatus {
  if (runner.status === 'faulted') return { word: TradingStatus.Faulted, label: TradingStatus.Faulted, reason: runner.pauseReason, since: null };
  if (runner.status === 'paused') return { word: TradingStatus.Halted, label: TradingStatus.Halted, reason: runner.pauseReason, since: null };
  const own = breaker?.trip ?? null;
  if (own !== null) return { word: TradingStatus.Paused, label: `${TradingStatus.Paused} (${own.rule})`, reason: own.message, since: own.time };
  const all = account?.trip ?? null;
  if (all !== null) return { word: TradingStatus.Paused, label: `${TradingStatus.Paused} (account: ${all.rule})`, reason: `the account's breaker: ${all.message}`, since: all.time };
  return { word: TradingStatus.Active, label: TradingStatus.Active, reason: null, since: null };
}
