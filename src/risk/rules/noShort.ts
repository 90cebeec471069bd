import type { RiskRule } from '../RiskRule.js';
import { RiskRuleName } from '../RiskRuleName.js';

/** Long-only: a sell may not take the position (with open orders) below zero. */
export const noShort: RiskRule = {
  name: RiskRuleName.NoShort,
  check(intent, view) {
    // Closing a position sells what is held when it goes out (after the strategy's other orders there are done), never more.
    if (intent.side !== 'sell' || intent.closeAll === true) return null;
    const after = view.position(intent.symbol) + view.pendingQty(intent.symbol) - intent.qty;
    return after < 0 ? `selling ${intent.qty} ${intent.symbol} would leave a short position of ${after} (short selling is off)` : null;
  },
};
