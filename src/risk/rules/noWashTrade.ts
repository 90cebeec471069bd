import type { OrderSide } from '../../core/Order.js';
import { increasesExposure, type RiskRule } from '../RiskRule.js';
import { RiskRuleName } from '../RiskRuleName.js';

/** An order at the broker, as the wash-trade rule needs to see it. */
export interface OpenOrderRef {
  readonly clientOrderId: string;
  readonly strategyId: string;
  readonly side: OrderSide;
  readonly qty: number;
}

/**
 * Alpaca refuses an order with an opposite-side order of the same account open on the symbol
 * ("potential wash trade detected"), whichever strategy sent it. An entry facing one is denied (the
 * strategy may try again when it is done); an exit is let through and held back by the
 * ExecutionService until the opposite order is done, because exits must not be lost.
 */
export function noWashTrade(opposite: (symbol: string, side: OrderSide) => OpenOrderRef | undefined): RiskRule {
  return {
    name: RiskRuleName.WashTrade,
    check(intent, view) {
      const other = opposite(intent.symbol, intent.side);
      if (other === undefined || !increasesExposure(intent, view)) return null;
      return `an opposite order is open at the broker (${other.side} ${other.qty} ${intent.symbol}, ${other.clientOrderId} of ${other.strategyId}): Alpaca refuses potential wash trades; try again when it is done`;
    },
  };
}
