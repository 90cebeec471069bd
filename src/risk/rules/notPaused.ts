import { increasesExposure, type RiskRule } from '../RiskRule.js';

/** A paused strategy may still reduce risk (exits), never add to it. */
export const notPaused: RiskRule = {
  name: 'strategy_paused',
  check(intent, view) {
    return view.paused && increasesExposure(intent, view) ? `strategy ${view.strategyId} is paused: entries are blocked` : null;
  },
};
