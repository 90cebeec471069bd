import type { OrderSide } from '../core/Order.js';
import type { MarketCalendar } from './calendar/MarketCalendar.js';
import type { CircuitBreakers } from './CircuitBreakers.js';
import type { RiskRule } from './RiskRule.js';
import { accountBuyingPower, type BuyingPowerReading } from './rules/accountBuyingPower.js';
import { circuitBreaker } from './rules/circuitBreaker.js';
import { marketHours } from './rules/marketHours.js';
import { maxOrderValue } from './rules/maxOrderValue.js';
import { maxPosition } from './rules/maxPosition.js';
import { noShort } from './rules/noShort.js';
import { notPaused } from './rules/notPaused.js';
import { noWashTrade, type OpenOrderRef } from './rules/noWashTrade.js';
import { strategyCash } from './rules/strategyCash.js';
import { validIntent } from './rules/validIntent.js';
import { venueReady } from './rules/venueReady.js';

export interface OrderValidatorOptions {
  readonly maxPositionPct: number;
  /** Largest buy as a fraction of capital at the symbol's highest recent price; omitted: not checked. */
  readonly maxOrderPct?: number;
  readonly estimateCommission: (qty: number, price: number) => number;
  /** Regular sessions; omitted: no market-hours rule (unit tests on epoch-zero times). */
  readonly calendar?: MarketCalendar;
  readonly breakers: CircuitBreakers | null;
  /** The account's buying power as last read from the broker (a new object at each reading), null while unknown; omitted: not checked. */
  readonly accountBuyingPower?: () => BuyingPowerReading | null;
  /** Why the broker cannot take entries now (its stream is down, books not reconciled), null when it can; omitted: always ready. */
  readonly venueNotReady?: () => string | null;
  /** An order of any strategy open on the other side of a symbol (for the wash-trade rule). */
  readonly opposite: (symbol: string, side: OrderSide) => OpenOrderRef | undefined;
}

/**
 * Every check an order passes before it reaches a broker, in the order the RiskGate runs them:
 * first whether the intent is well formed (quantity, prices; the RiskGate put them on the tick grid), then whether the strategy may
 * trade now (market hours, faulted, circuit breakers), then whether the order fits (no short, position
 * limit, strategy cash, account buying power, no opposite order at the broker). The first that
 * fails names the denial.
 */
export function orderValidator(o: OrderValidatorOptions): RiskRule[] {
  const rules: RiskRule[] = [validIntent];
  if (o.calendar !== undefined) rules.push(marketHours(o.calendar));
  if (o.venueNotReady !== undefined) rules.push(venueReady(o.venueNotReady));
  rules.push(notPaused);
  if (o.breakers !== null) rules.push(circuitBreaker(o.breakers));
  rules.push(noShort, maxPosition(o.maxPositionPct));
  if (o.maxOrderPct !== undefined) rules.push(maxOrderValue(o.maxOrderPct));
  rules.push(strategyCash(o.estimateCommission));
  if (o.accountBuyingPower !== undefined) rules.push(accountBuyingPower(o.accountBuyingPower, o.estimateCommission));
  rules.push(noWashTrade(o.opposite));
  return rules;
}
