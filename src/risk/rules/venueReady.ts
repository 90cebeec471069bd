import { increasesExposure, type RiskRule } from '../RiskRule.js';
import { RiskRuleName } from '../RiskRuleName.js';

/**
 * No new risk while the daemon cannot hear the broker (the trade-updates stream is down, or the
 * books are not reconciled yet): a fill it would not hear of could not be booked. Exits still go.
 * `why` says what is wrong, null when the venue is ready.
 */
export function venueReady(why: () => string | null): RiskRule {
  return {
    name: RiskRuleName.VenueReady,
    check(intent, view) {
      if (!increasesExposure(intent, view)) return null;
      const reason = why();
      return reason === null ? null : `entries wait: ${reason}`;
    },
  };
}
