import type { FillLeg } from './fillDrift.js';
import type { DriftOutcome } from './measureDrift.js';
import { ITEM_NAMES, pctText, type ReadinessItem } from './ReadinessItem.js';
import { READINESS_RULES as R } from './readinessRules.js';

const bps = (x: number): string => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(1)} bps`;
const leg = (l: FillLeg): string => `${l.side} ${l.symbol} ${new Date(l.time).toISOString().slice(0, 16).replace('T', ' ')}`;
const some = (legs: readonly FillLeg[]): string => `${legs.slice(0, 3).map(leg).join(', ')}${legs.length > 3 ? ` and ${legs.length - 3} more` : ''}`;

/**
 * 6. Paper trading's blind spots, measured: the paper fills against a backtest of the same code over
 * the same bars. Passes when every day of the period has bars, the two agree on at least 90 % of
 * the fills (same signals), and paper's prices are on average at most 10 bps worse; the mean
 * difference is what the backtests' slippage should be set to.
 */
export function driftItem(o: DriftOutcome): ReadinessItem {
  if (!o.measured) return { item: 6, name: ITEM_NAMES[6], pass: false, measured: `not measured: ${o.reason}`, missing: [`the comparison: ${o.reason}`] };
  const d = o.drift;
  const prices =
    d.meanAdverseBps === null
      ? 'no fill on both sides to compare prices'
      : `price difference per matched fill ${bps(d.meanAdverseBps)} on average against paper (median |${d.medianAbsBps!.toFixed(1)}| bps, worst ${d.worstAbsBps!.toFixed(1)} bps)`;
  const measured =
    `backtest of the same code (${o.costs}) on ${o.source}, ${o.from} → ${o.to}: ${d.paper} paper fills, ${d.backtest} backtest fills, ${d.matched} matched` +
    `${d.agreement === null ? '' : ` (${pctText(d.agreement, 1)} agree)`}; ${d.missed.length} missed by paper, ${d.extra.length} extra; ${prices}` +
    `${d.meanAdverseBps === null ? '' : `; calibrates sim.slippage_bps to about ${Math.max(0, d.meanAdverseBps).toFixed(1)}`}`;
  const missing: string[] = [];
  if (o.uncovered.length > 0) missing.push(`bars for every day of the period: none on ${o.uncovered.length} days (${o.uncovered.slice(0, 3).join(', ')}${o.uncovered.length > 3 ? ' …' : ''}) in ${o.source}`);
  if (d.paper === 0) missing.push('paper fills to compare (none in the period)');
  else if (d.agreement !== null && d.agreement < R.minFillAgreement) {
    const what = [d.missed.length > 0 ? `missed ${some(d.missed)}` : '', d.extra.length > 0 ? `extra ${some(d.extra)}` : ''].filter((x) => x !== '').join('; ');
    missing.push(`the backtest to agree on ${pctText(R.minFillAgreement, 0)} of the fills (${pctText(d.agreement, 1)}): ${what}`);
  }
  if (d.meanAdverseBps !== null && d.meanAdverseBps > R.maxMeanAdverseBps) {
    missing.push(`paper prices within ${R.maxMeanAdverseBps} bps of the backtest's on average (${bps(d.meanAdverseBps)}): backtests with sim.slippage_bps ${Math.ceil(d.meanAdverseBps)} would cost what paper costs`);
  }
  return { item: 6, name: ITEM_NAMES[6], pass: missing.length === 0, measured, missing };
}
