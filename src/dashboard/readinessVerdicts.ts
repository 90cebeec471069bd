import { DRIFT_NOT_RUN, type ReadinessReport } from '../readiness/buildReadinessReport.js';

/** One strategy's live-checklist verdict as the dashboard shows it. */
export interface ReadinessVerdict {
  readonly id: string;
  readonly ready: boolean;
  /** The items that fail, `N. name` (docs/readiness.md). */
  readonly failing: readonly string[];
  /** Item 6 (paper fills vs backtest) when it was not measured here: `npm run readiness` measures it. */
  readonly unchecked: string | null;
}

/** The dashboard's readiness panel: not judged yet, judged (when, market-wise from the saved record), or unavailable with why. */
export type ReadinessView =
  | { readonly state: 'pending' }
  | { readonly state: 'unavailable'; readonly reason: string; readonly at: number }
  | { readonly state: 'judged'; readonly at: number; readonly found: boolean; readonly recordDir: string; readonly strategies: readonly ReadinessVerdict[] };

/**
 * Each strategy's verdict from a readiness report judged without the fill comparison (the
 * dashboard never runs a backtest): a strategy is ready only when all six items pass, so with item
 * 6 not measured it is "not yet" and the panel says item 6 is left to `npm run readiness`.
 */
export function readinessVerdicts(report: ReadinessReport, at: number): ReadinessView {
  return {
    state: 'judged',
    at,
    found: report.found,
    recordDir: report.recordDir,
    strategies: report.strategies.map((s) => {
      const skipped = s.drift !== null && !s.drift.measured && s.drift.reason === DRIFT_NOT_RUN;
      const item6 = s.items.find((i) => i.item === 6);
      return {
        id: s.id,
        ready: s.ready,
        failing: s.items.filter((i) => !i.pass && !(skipped && i.item === 6)).map((i) => `${i.item}. ${i.name}`),
        unchecked: skipped && item6 !== undefined && !item6.pass ? `6. ${item6.name} (npm run readiness)` : null,
      };
    }),
  };
}
