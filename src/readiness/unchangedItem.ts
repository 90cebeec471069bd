import { describeChange, strategyFingerprint, type StrategyIdentity } from '../engine/strategyFingerprint.js';
import type { PaperClock } from './paperClock.js';
import { ITEM_NAMES, type ReadinessItem } from './ReadinessItem.js';
import { READINESS_RULES as R } from './readinessRules.js';

const at = (t: number | null): string => (t === null ? 'the record’s start' : `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`);

/**
 * 4. The strategy unchanged: its fingerprint known since the clock started, no change in the last
 * 63 trading days (a change restarts the clock: says which and when), and the strategy the
 * configuration would start the same as the one paper-traded.
 */
export function unchangedItem(clock: PaperClock, days: number, judged: StrategyIdentity): ReadinessItem {
  if (clock.run === null || clock.current === null) {
    return {
      item: 4,
      name: ITEM_NAMES[4],
      pass: false,
      measured: 'no run of the paper record says what the strategy traded (no fingerprint in runs.json)',
      missing: ['runs that record the strategy’s fingerprint: each start of this version records it, and the clock starts there'],
    };
  }
  const since = `run ${clock.run.id} (started ${clock.run.startedAt}, trading after ${at(clock.after)})`;
  const missing: string[] = [];
  let measured = `fingerprint ${clock.current.fingerprint} (${clock.current.type} ${JSON.stringify(clock.current.params)} on ${clock.current.symbols.join(', ')})`;
  if (clock.change === null) measured += `, unchanged since ${since}`;
  else {
    measured += `; changed with ${since}: ${clock.change}; ${days} trading days since`;
    if (days < R.minTradingDays) missing.push(`${R.minTradingDays} trading days without a change (${days} since ${clock.change})`);
  }
  const mine = strategyFingerprint(judged);
  if (mine !== clock.current.fingerprint) missing.push(`the strategy this configuration starts to be the one paper-traded: ${describeChange(clock.current, judged)}`);
  return { item: 4, name: ITEM_NAMES[4], pass: missing.length === 0, measured, missing };
}
