import { increasesExposure, type RiskRule } from '../RiskRule.js';
import { RiskRuleName } from '../RiskRuleName.js';

/** A paused strategy may still reduce risk (exits), never add to it. */
export const notPaused: RiskRule = {
  name: RiskRuleName.StrategyPaused,
  check(intent, view) {
    return view.paused && increasesExposure(intent, view) ? `strategy ${view.strategyId} is paused: entries are blocked` : null;
  },
};
