import { DRIFT_NOT_RUN, type ReadinessReport, type StrategyReadiness } from './buildReadinessReport.js';

const failed = (s: StrategyReadiness): string => s.items.filter((i) => !i.pass).map((i) => String(i.item)).join(', ');

/** The report's head: which record, how old. */
function head(r: ReadinessReport): string {
  if (!r.found) return `Live readiness: no paper record in ${r.recordDir} (start the daemon to paper-trade first)`;
  return `Live readiness of the paper record in ${r.recordDir} (${r.mode === 'sim' ? 'offline simulation' : 'Alpaca paper'}; saved ${r.savedAt}, market time ${r.marketTime ?? 'none yet'})`;
}

/** `npm run readiness`: every strategy, every item with its measure and what is missing, and the verdict. */
export function formatReadiness(r: ReadinessReport): string {
  const lines = [head(r), 'The checklist and its thresholds: docs/readiness.md', ...r.warnings.map((w) => `warning: ${w}`)];
  for (const s of r.strategies) {
    lines.push('', `${s.id}: ${s.ready ? 'READY for live trading' : `NOT READY (fails ${failed(s)})`}`);
    for (const i of s.items) {
      lines.push(`  ${i.pass ? '✓' : '✗'} ${i.item}. ${i.name}: ${i.measured}`);
      for (const m of i.missing) lines.push(`      missing: ${m}`);
    }
  }
  if (r.strategies.length > 1) {
    const ready = r.strategies.filter((s) => s.ready).map((s) => s.id);
    lines.push('', `Verdict: ${ready.length} of ${r.strategies.length} ready${ready.length === 0 ? '' : ` (${ready.join(', ')})`}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * A line per strategy: the verdict and the items that fail with the first thing missing (status, the
 * weekly summary). Without the fill comparison (item 6 left out), a strategy passing 1–5 is not
 * called ready: the line says what is left to check.
 */
export function formatReadinessBrief(r: ReadinessReport): string[] {
  const lines = [r.found ? 'Live readiness (npm run readiness for the details):' : `Live readiness: no paper record in ${r.recordDir}`];
  for (const s of r.strategies) {
    const skipped = s.drift !== null && !s.drift.measured && s.drift.reason === DRIFT_NOT_RUN;
    const failing = s.items.filter((i) => !i.pass && !(skipped && i.item === 6));
    if (s.ready) lines.push(`✅ ${s.id}: ready (all 6 items pass)`);
    else if (failing.length === 0) lines.push(`☑️ ${s.id}: items 1–5 pass; item 6 (paper fills vs backtest): run npm run readiness`);
    else lines.push(`⛔ ${s.id}: not ready: ${failing.map((i) => `${i.item}. ${i.missing[0] ?? i.name}`).join('; ')}`);
  }
  return lines;
}
