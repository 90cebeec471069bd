import { nyDateOf } from '../market-data/zonedTime.js';
import { probabilisticSharpe, sharpeEvidence, type SharpeEvidence } from '../portfolio/probabilisticSharpe.js';
import { SAMPLE_RULES } from '../portfolio/sampleRules.js';
import type { PaperBreakerTrip, PaperDay, StrategyPaperRecord } from './PaperRecord.js';
import { ITEM_NAMES, pctText, signedPct, type ReadinessItem } from './ReadinessItem.js';
import { READINESS_RULES as R } from './readinessRules.js';

/** The figures of the period judged (the days since the clock started). */
export interface PeriodFigures {
  readonly days: number;
  readonly from: string | null;
  readonly to: string | null;
  /** Compounded daily returns over the period. */
  readonly totalReturn: number;
  readonly sharpe: SharpeEvidence | null;
  /** Probability that the true Sharpe is above 0 (an edge) and above the 2.0 target. */
  readonly edgeProbability: number | null;
  readonly targetProbability: number | null;
  /** Days of track record at this Sharpe that would show an edge at 95 % (minimum track record length); null without an edge to show. */
  readonly minTrackRecord: number | null;
  readonly maxDrawdown: { readonly depth: number; readonly peak: string | null; readonly trough: string | null };
  readonly trips: readonly PaperBreakerTrip[];
  readonly exposure: number;
}

/** Φ⁻¹(0.95). */
const Z95 = 1.6448536269514722;

/**
 * The period's figures: returns from the daily closes (net of capital moved in or out); the worst
 * drawdown from the daily closes, and from every equity point when the period is the whole record;
 * the breaker trips after the clock started.
 */
export function periodFigures(record: StrategyPaperRecord, days: readonly PaperDay[], after: number | null): PeriodFigures {
  const returns = days.map((d) => d.return);
  let index = 1;
  let peak = 1;
  let peakDate: string | null = null;
  let worst = { depth: 0, peak: null as string | null, trough: null as string | null };
  for (const d of days) {
    index *= 1 + d.return;
    if (index >= peak) {
      peak = index;
      peakDate = d.date;
    } else if ((peak - index) / peak > worst.depth) worst = { depth: (peak - index) / peak, peak: peakDate ?? 'the start', trough: d.date };
  }
  const whole = after === null && record.drawdown.depth > worst.depth;
  const dd = whole ? { depth: record.drawdown.depth, peak: record.drawdown.peakTime === null ? null : nyDateOf(record.drawdown.peakTime), trough: record.drawdown.troughTime === null ? null : nyDateOf(record.drawdown.troughTime) } : worst;
  const evidence = returns.length >= SAMPLE_RULES.minTradingDays ? sharpeEvidence(returns) : null;
  let minTrackRecord: number | null = null;
  if (evidence !== null && evidence.dailySharpe > 0) {
    const sr = evidence.dailySharpe;
    minTrackRecord = Math.ceil(1 + (1 - evidence.skewness * sr + ((evidence.kurtosis - 1) / 4) * sr * sr) * (Z95 / sr) ** 2);
  }
  return {
    days: days.length,
    from: days[0]?.date ?? null,
    to: days[days.length - 1]?.date ?? null,
    totalReturn: index - 1,
    sharpe: evidence,
    edgeProbability: evidence === null ? null : probabilisticSharpe(evidence, 0),
    targetProbability: evidence === null ? null : probabilisticSharpe(evidence, R.minSharpe),
    minTrackRecord,
    maxDrawdown: dd,
    trips: record.breakerTrips.filter((t) => after === null || t.time > after),
    exposure: record.exposure,
  };
}

/** 1. At least 63 trading days of paper trading since the clock started, and a profit over them. */
export function durationItem(p: PeriodFigures): ReadinessItem {
  const missing: string[] = [];
  if (p.days < R.minTradingDays) missing.push(`${R.minTradingDays - p.days} more trading days (${p.days} of ${R.minTradingDays})`);
  if (!(p.totalReturn > 0)) missing.push(`a profit over the period (return ${signedPct(p.totalReturn)})`);
  const measured = p.days === 0 ? 'no trading day since the clock started' : `${p.days} trading days (${p.from} → ${p.to}), return ${signedPct(p.totalReturn)}`;
  return { item: 1, name: ITEM_NAMES[1], pass: missing.length === 0, measured, missing };
}

/** 2. Sharpe above 2.0, and enough evidence that the edge is real (PSR against 0 at least 95 %). */
export function sharpeItem(p: PeriodFigures): ReadinessItem {
  const e = p.sharpe;
  if (e === null) {
    const why = p.days < SAMPLE_RULES.minTradingDays ? `${p.days} of ${SAMPLE_RULES.minTradingDays} trading days` : 'no variation';
    return { item: 2, name: ITEM_NAMES[2], pass: false, measured: `Sharpe n/a (${why})`, missing: [p.days < SAMPLE_RULES.minTradingDays ? `at least ${SAMPLE_RULES.minTradingDays} trading days for a Sharpe ratio` : 'returns that vary'] };
  }
  const edge = p.edgeProbability!;
  const flat = p.exposure < SAMPLE_RULES.flatExposure ? `; in the market ${pctText(p.exposure, 1)} of the time: a Sharpe of mostly idle days` : '';
  const measured =
    `Sharpe ${e.sharpe.toFixed(2)} (95 % interval ${e.low95.toFixed(2)} to ${e.high95.toFixed(2)}; skew ${e.skewness.toFixed(2)}, kurtosis ${e.kurtosis.toFixed(2)}, ${e.n} days); ` +
    `probability the true Sharpe is above 0: ${pctText(edge, 1)}, above ${R.minSharpe.toFixed(1)}: ${pctText(p.targetProbability!, 1)}${flat}`;
  const missing: string[] = [];
  if (!(e.sharpe > R.minSharpe)) missing.push(`a Sharpe above ${R.minSharpe.toFixed(1)} (${e.sharpe.toFixed(2)})`);
  if (edge < R.minEdgeProbability) {
    const more = p.minTrackRecord === null ? 'no positive Sharpe to confirm' : `at this Sharpe about ${p.minTrackRecord} trading days would show it`;
    missing.push(`evidence of an edge: ${pctText(edge, 1)} < ${pctText(R.minEdgeProbability, 0)} that the true Sharpe is above 0 (${more})`);
  }
  return { item: 2, name: ITEM_NAMES[2], pass: missing.length === 0, measured, missing };
}

/** Breaker rules the live caps make stricter: a paper trip of one of them would have stopped live trading too. */
const CAPPED_RULES: readonly string[] = ['max_drawdown', 'max_daily_loss'];

/** 3. Worst drawdown under 10 % over the period, and no trip of the drawdown or daily-loss breaker in it. */
export function drawdownItem(p: PeriodFigures): ReadinessItem {
  const d = p.maxDrawdown;
  const where = d.peak === null || d.trough === null ? '' : ` (peak ${d.peak}, trough ${d.trough})`;
  const trips = p.trips.length === 0 ? 'none' : `${p.trips.length}: ${p.trips.map((t) => `${t.rule} ${nyDateOf(t.time)}`).join(', ')}`;
  const missing: string[] = [];
  if (!(d.depth < R.maxDrawdown)) missing.push(`a max drawdown under ${pctText(R.maxDrawdown, 0)} (${pctText(d.depth)})`);
  const capped = p.trips.filter((t) => CAPPED_RULES.includes(t.rule));
  if (capped.length > 0) missing.push(`no trip of the drawdown or daily-loss breaker (the live caps are stricter still): ${capped.map((t) => `${t.rule} ${nyDateOf(t.time)}`).join(', ')}`);
  return { item: 3, name: ITEM_NAMES[3], pass: missing.length === 0, measured: `max drawdown ${pctText(d.depth)}${where}; breaker trips in the period: ${trips}`, missing };
}
