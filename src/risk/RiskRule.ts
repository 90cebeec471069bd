import type { OrderIntent } from '../core/Order.js';
import type { RiskRuleName } from './RiskRuleName.js';
import type { RiskView } from './RiskView.js';

/** One check of the RiskGate: null when the intent passes, else the reason it is refused. */
export interface RiskRule {
  readonly name: RiskRuleName;
  check(intent: OrderIntent, view: RiskView): string | null;
  /** The rule reads `view.priceCeiling` (runners keep each symbol's daily highs only when a rule does). */
  readonly readsPriceCeiling?: boolean;
  /** Hears an intent that every rule let through, before it is sent (a rule that counts what it let go). */
  allowed?(intent: OrderIntent, view: RiskView): void;
}

/** An order that adds to the absolute exposure in its symbol (exits and reductions do not). */
export function increasesExposure(intent: OrderIntent, view: RiskView): boolean {
  // Closing a position sells what is held when it goes out, never more.
  if (intent.closeAll === true) return false;
  const before = view.position(intent.symbol) + view.pendingQty(intent.symbol);
  const after = before + (intent.side === 'buy' ? intent.qty : -intent.qty);
  return Math.abs(after) > Math.abs(before);
}

/** The price an intent is expected to execute at: its limit, else its stop, else the last price. */
export function referencePrice(intent: OrderIntent, view: RiskView): number | undefined {
  return intent.limitPrice ?? intent.stopPrice ?? view.price(intent.symbol);
}
