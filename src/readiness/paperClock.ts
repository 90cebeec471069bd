import { describeChange } from '../engine/strategyFingerprint.js';
import type { RunRecord, StrategyRun } from '../persistence/RunRegistry.js';

/**
 * Since when a strategy's paper trading counts: the checklist judges only days traded by the
 * strategy as it is now. Every run records each strategy's fingerprint (type, params, symbols);
 * the clock starts at the first run that traded it, and starts again at a run whose fingerprint
 * differs from the run before, at a run after one that did not trade it (disabled, removed), and at
 * the first recorded run after runs that recorded no fingerprint (an older version: what they
 * traded is not known).
 */
export interface PaperClock {
  /** The run the clock started with; null when no run recorded the strategy. */
  readonly run: RunRecord | null;
  /** Market time after which days count (the restored state's last bar: that run's first bar comes after it); null: from the record's start. */
  readonly after: number | null;
  /** What restarted the clock at `run` (null: the record began with the strategy as it is). */
  readonly change: string | null;
  /** The strategy as the newest run recorded it, and that run (its risk settings). */
  readonly current: StrategyRun | null;
  readonly latest: RunRecord | null;
}

export function paperClock(runs: readonly RunRecord[], id: string): PaperClock {
  let run: RunRecord | null = null;
  let change: string | null = null;
  let previous: StrategyRun | null = null;
  let latest: RunRecord | null = null;
  // Why the run before the next one tells nothing of the strategy (null: nothing happened yet).
  let gap: string | null = null;
  let seen = false;
  for (const r of runs) {
    if (r.strategies === undefined) {
      gap = `run ${r.id} (${r.startedAt}) recorded no fingerprint (runs.json of an older version)`;
      previous = null;
      latest = null;
      seen = true;
      continue;
    }
    const f = r.strategies[id];
    if (f === undefined) {
      if (previous !== null) gap = `not traded in run ${r.id} (${r.startedAt})`;
      previous = null;
      latest = null;
      seen = true;
      continue;
    }
    if (previous === null) {
      run = r;
      change = seen && gap !== null ? gap : null;
    } else if (previous.fingerprint !== f.fingerprint) {
      run = r;
      change = describeChange(previous, f);
    }
    previous = f;
    latest = r;
    gap = null;
    seen = true;
  }
  return { run, after: run?.resumedAfter ?? null, change, current: previous, latest };
}
