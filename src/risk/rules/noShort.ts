import type { RiskRule } from '../RiskRule.js';
import { RiskRuleName } from '../RiskRuleName.js';

/** Long-only: a sell may not take the position (with open orders) below zero. */
export const noShort: RiskRule = {
  name: RiskRuleName.NoShort,
  check(intent, view) {
    if (intent.side !== 'sell') return null;
    const after = view.position(intent.symbol) + view.pendingQty(intent.symbol) - intent.qty;
    return after < 0 ? `selling ${intent.qty} ${intent.symbol} would leave a short position of ${after} (short selling is off)` : null;
  },
};
