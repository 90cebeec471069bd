import { formatMoney } from '../../core/formatMoney.js';
import { increasesExposure, referencePrice, type RiskRule } from '../RiskRule.js';
import { RiskRuleName } from '../RiskRuleName.js';

/**
 * The position after the order (counting open orders) may be worth at most `maxPct` of the
 * strategy's allocated capital. Orders that reduce exposure always pass.
 */
export function maxPosition(maxPct: number): RiskRule {
  return {
    name: RiskRuleName.MaxPosition,
    check(intent, view) {
      if (!increasesExposure(intent, view)) return null;
      const price = referencePrice(intent, view) ?? 0;
      const after = view.position(intent.symbol) + view.pendingQty(intent.symbol) + (intent.side === 'buy' ? intent.qty : -intent.qty);
      const value = Math.abs(after) * price;
      const limit = maxPct * view.capital;
      return value > limit
        ? `position in ${intent.symbol} would be ${formatMoney(value)}, ${formatMoney(value - limit)} over the limit of ${(maxPct * 100).toFixed(1)}% of capital (${formatMoney(limit)})`
        : null;
    },
  };
}
