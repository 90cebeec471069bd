import type { RiskRule } from '../RiskRule.js';
import { RiskRuleName } from '../RiskRuleName.js';

/** Quantities and prices must be finite and positive, and the symbol must have a known price. */
export const validIntent: RiskRule = {
  name: RiskRuleName.ValidIntent,
  check(intent, view) {
    if (!(Number.isFinite(intent.qty) && intent.qty > 0)) return `quantity must be finite and positive, got ${intent.qty}`;
    if (intent.type === 'limit' && !(Number.isFinite(intent.limitPrice) && intent.limitPrice! > 0)) {
      return `a limit order needs a finite positive limit price, got ${intent.limitPrice}`;
    }
    if (intent.type === 'stop' && !(Number.isFinite(intent.stopPrice) && intent.stopPrice! > 0)) {
      return `a stop order needs a finite positive stop price, got ${intent.stopPrice}`;
    }
    const price = view.price(intent.symbol);
    if (price === undefined || !(Number.isFinite(price) && price > 0)) return `no valid price known for ${intent.symbol}`;
    return null;
  },
};
