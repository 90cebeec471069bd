import { formatMoney } from '../../core/formatMoney.js';
import { referencePrice, type RiskRule } from '../RiskRule.js';
import { RiskRuleName } from '../RiskRuleName.js';

/**
 * A buy must be paid from the strategy's own cash, after what its open buys will cost, at the
 * reference price plus the estimated commission. Each strategy lives on its allocation alone.
 */
export function strategyCash(estimateCommission: (qty: number, price: number) => number): RiskRule {
  return {
    name: RiskRuleName.StrategyCash,
    check(intent, view) {
      if (intent.side !== 'buy') return null;
      const price = referencePrice(intent, view) ?? 0;
      const cost = intent.qty * price + estimateCommission(intent.qty, price);
      const available = view.availableCash();
      return cost > available
        ? `buying ${intent.qty} ${intent.symbol} costs about ${formatMoney(cost)}, ${formatMoney(cost - available)} more than the ${formatMoney(available)} strategy ${view.strategyId} has available`
        : null;
    },
  };
}
