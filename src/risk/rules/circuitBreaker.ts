import type { CircuitBreakers } from '../CircuitBreakers.js';
import { increasesExposure, type RiskRule } from '../RiskRule.js';
import { RiskRuleName } from '../RiskRuleName.js';

/** Asks the strategy's and the account's circuit breakers: entries wait while either is paused. */
export function circuitBreaker(breakers: CircuitBreakers): RiskRule {
  return {
    name: RiskRuleName.CircuitBreaker,
    check(intent, view) {
      return breakers.check(view.strategyId, view.now, increasesExposure(intent, view));
    },
  };
}
