import type { OrderIntent } from '../../core/Order.js';
import { formatMoney } from '../../core/formatMoney.js';
import { referencePrice, type RiskRule } from '../RiskRule.js';
import { RiskRuleName } from '../RiskRuleName.js';
import type { RiskView } from '../RiskView.js';

/** One reading of the account at the broker: a new object each time the account is read again. */
export interface BuyingPowerReading {
  readonly buyingPower: number;
}

/**
 * A buy must also fit the account's buying power at the broker: a safety net under the
 * per-strategy cash rule, for books that drifted from the broker. Alpaca takes an open buy's value
 * off the buying power the moment it accepts the order ("Orders at Alpaca", Buying Power: $10,000,
 * a $3,000 buy accepted, $7,000 left), while the daemon reads the account only now and then: the
 * buys let through since the reading was taken are taken off it too, until a new reading (a new
 * object) has them in it. `reading` returns null while the account is not known yet (not checked).
 */
export function accountBuyingPower(reading: () => BuyingPowerReading | null, estimateCommission: (qty: number, price: number) => number): RiskRule {
  let basis: BuyingPowerReading | null = null;
  let spent = 0;
  const current = (): BuyingPowerReading | null => {
    const r = reading();
    if (r !== basis) {
      basis = r;
      spent = 0;
    }
    return r;
  };
  const costOf = (intent: OrderIntent, view: RiskView): number => {
    const price = referencePrice(intent, view) ?? 0;
    return intent.qty * price + estimateCommission(intent.qty, price);
  };
  return {
    name: RiskRuleName.AccountBuyingPower,
    check(intent, view) {
      if (intent.side !== 'buy') return null;
      const r = current();
      if (r === null) return null;
      const power = r.buyingPower - spent;
      const cost = costOf(intent, view);
      if (!(cost > power + 1e-9)) return null;
      const read = spent > 0 ? `: ${formatMoney(r.buyingPower)} read from the account, less ${formatMoney(spent)} of buys sent since` : '';
      return `buying ${intent.qty} ${intent.symbol} costs about ${formatMoney(cost)}, ${formatMoney(cost - power)} more than the account's buying power (${formatMoney(power)}${read})`;
    },
    // The gate calls this right after every rule's check of the same intent: `basis` is the reading just checked against.
    allowed(intent, view) {
      if (intent.side === 'buy' && basis !== null) spent += costOf(intent, view);
    },
  };
}
