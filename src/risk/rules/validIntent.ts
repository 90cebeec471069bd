import type { RiskRule } from '../RiskRule.js';
import { RiskRuleName } from '../RiskRuleName.js';

/**
 * Quantities are whole shares, prices finite and positive, and the symbol must have a known price.
 * Fractional shares are refused: Alpaca takes them only on market and limit day orders without
 * protective exits, and whole shares keep every ledger, rule and venue exact (no 0.1 + 0.2 lots).
 */
export const validIntent: RiskRule = {
  name: RiskRuleName.ValidIntent,
  check(intent, view) {
    if (!(Number.isFinite(intent.qty) && intent.qty > 0)) return `quantity must be finite and positive, got ${intent.qty}`;
    if (!Number.isInteger(intent.qty)) return `quantity must be a whole number of shares, got ${intent.qty} (fractional shares are not traded: use Math.floor)`;
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
