import { formatMoney } from '../../core/formatMoney.js';
import { referencePrice, type RiskRule } from '../RiskRule.js';
import { RiskRuleName } from '../RiskRuleName.js';

/**
 * No single buy may cost more than `maxPct` of the strategy's capital, valued at the highest price
 * the symbol traded at since the previous session (or its own price if higher): a price that fell
 * to a fraction of itself in bad data cannot size an order a thousand times too big.
 */
export function maxOrderValue(maxPct: number): RiskRule {
  return {
    name: RiskRuleName.MaxOrderValue,
    readsPriceCeiling: true,
    check(intent, view) {
      if (intent.side !== 'buy') return null;
      const price = Math.max(referencePrice(intent, view) ?? 0, view.priceCeiling(intent.symbol) ?? 0);
      const value = intent.qty * price;
      const limit = maxPct * view.capital;
      return value > limit
        ? `buying ${intent.qty} ${intent.symbol} is worth ${formatMoney(value)} at $${price} (its highest price since yesterday), over the limit of ${(maxPct * 100).toFixed(1)}% of capital (${formatMoney(limit)}) for one order`
        : null;
    },
  };
}
