import { formatMoney } from '../../core/formatMoney.js';
import { referencePrice, type RiskRule } from '../RiskRule.js';
import { RiskRuleName } from '../RiskRuleName.js';

/**
 * A buy must also fit the account's buying power at the broker (cash less what open buys of every
 * strategy will cost): a safety net under the per-strategy cash rule, for books that drifted from
 * the broker. `buyingPower` returns null while the account is not known yet (the check is skipped).
 */
export function accountBuyingPower(buyingPower: () => number | null, estimateCommission: (qty: number, price: number) => number): RiskRule {
  return {
    name: RiskRuleName.AccountBuyingPower,
    check(intent, view) {
      if (intent.side !== 'buy') return null;
      const power = buyingPower();
      if (power === null) return null;
      const price = referencePrice(intent, view) ?? 0;
      const cost = intent.qty * price + estimateCommission(intent.qty, price);
      return cost > power + 1e-9
        ? `buying ${intent.qty} ${intent.symbol} costs about ${formatMoney(cost)}, ${formatMoney(cost - power)} more than the account's buying power (${formatMoney(power)})`
        : null;
    },
  };
}
