import { formatMoney } from '../core/formatMoney.js';
import { honestRatio, SAMPLE_RULES } from '../portfolio/sampleRules.js';
import type { Metrics } from '../portfolio/metrics.js';
import { formatScore } from './objectives.js';
import type { OptimizeResult } from './OptimizeResult.js';

const pct = (x: number | null): string => (x === null ? 'n/a' : `${(x * 100).toFixed(2)}%`);
const num = (x: number | null, digits = 2): string => (x === null ? 'n/a' : x.toFixed(digits));
const cell = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));
/** A run's Sharpe ratio as it may be shown: `n/a` from too small a sample, `*` on mostly idle days. */
export function sharpeCell(m: Metrics): string {
  const s = honestRatio(m, 'sharpe');
  return s.value === null ? 'n/a' : formatScore(s, 2);
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]): string => r.map((c, i) => (i === 0 ? c.padStart(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(rows[0]!), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.slice(1).map(line)];
}

/** Under the ranking: why values are n/a, and which Sharpe ratios are flagged. */
function sampleFootnotes(r: OptimizeResult): string[] {
  const ranking = r.ranking ?? [];
  const out: string[] = [];
  const na = ranking.filter((c) => c.value === null).length;
  if (na > 0) {
    out.push(`n/a: ${na} of ${ranking.length} combinations have no ${r.metric} (ratios of daily returns need ${SAMPLE_RULES.minTradingDays} trading days, of trades ${SAMPLE_RULES.minTrades} closed trades: docs/metrics.md); they rank last`);
  }
  const flat = ranking.filter((c) => honestRatio(c.metrics, 'sharpe').flat);
  if (flat.length > 0) out.push(`*: Sharpe on mostly idle days, in the market less than ${SAMPLE_RULES.flatExposure * 100} % of the time (${flat.length} combination${flat.length === 1 ? '' : 's'})`);
  return out;
}

/** What `npm run optimize` prints: the sweep, the ranking (the first `top` rows), the best with its deflated Sharpe ratio; or a walk-forward's folds. */
export function formatOptimizeSummary(r: OptimizeResult, top = 20): string {
  const lines = [
    `strategy     ${r.strategy.id} (${r.strategy.type}) on ${r.strategy.symbols.join(', ')}`,
    `grid         ${r.grid.keys.map((k, i) => `${k} ${cell(r.grid.values[i])}`).join(', ')}: ${r.combinations} combinations${r.skipped.length > 0 ? ` (${r.skipped.length} refused by the strategy, skipped)` : ''}`,
    `bars         ${r.bars.toLocaleString('en-US')}, ${r.from ?? '…'} → ${r.to ?? '…'}`,
    `backtests    ${r.backtests} on ${r.ranOn} in ${(r.elapsedMs / 1000).toFixed(1)} s (${Math.round((r.backtests * r.bars) / Math.max(r.elapsedMs / 1000, 1e-9)).toLocaleString('en-US')} strategy-bars/s)`,
  ];
  if (r.ranking !== undefined && r.best !== undefined) {
    const rows = [['rank', ...r.grid.keys, `${r.metric} ▼`, 'return', 'Sharpe', 'max DD', 'trades', 'final value']];
    for (const c of r.ranking.slice(0, top)) {
      rows.push([String(c.rank), ...r.grid.keys.map((k) => cell(c.grid[k])), formatScore(c), pct(c.metrics.totalReturn), sharpeCell(c.metrics), pct(c.metrics.maxDrawdown.depth), String(c.trades), formatMoney(c.finalValue)]);
    }
    lines.push('', ...table(rows));
    if (r.ranking.length > top) lines.push(`… ${r.ranking.length - top} more (--out FILE has them all)`);
    lines.push(...sampleFootnotes(r));
    const d = r.deflatedSharpe!;
    const b = r.best;
    lines.push(
      '',
      b.value === null
        ? `best         none: no combination has a ${r.metric} (${b.na}); the ranking above is the grid's order`
        : `best         ${JSON.stringify(b.grid)}: ${r.metric} ${formatScore(b)}, Sharpe ${sharpeCell(b.metrics)}, ${b.fills} fills`,
    );
    lines.push(
      d.probability === null
        ? `deflated     Sharpe ratio n/a (${d.na ?? 'undefined'})`
        : `deflated     Sharpe ratio ${d.probability.toFixed(4)}: the chance the best Sharpe ${num(b.metrics.sharpe)} beats ${num(d.benchmarkAnnualized)}, the best luck alone gives in ${d.trials} tries (${d.returns.count} days, skew ${num(d.returns.skewness)}, kurtosis ${num(d.returns.kurtosis)})`,
    );
    const s = r.stability!;
    if (s.neighbours > 0 && b.value !== null) lines.push(`stability    ${s.neighbours} neighbours of the best: mean ${r.metric} ${num(s.mean, 4)}, worst ${num(s.min, 4)}${s.meanOverBest === null ? '' : ` (${(s.meanOverBest * 100).toFixed(0)}% of the best)`}`);
  }
  if (r.walkForward !== undefined) {
    const w = r.walkForward;
    const rows = [['fold', 'test from', 'test to', ...r.grid.keys, `in-sample ${r.metric}`, `out-of-sample ${r.metric}`, 'return', 'trades']];
    for (const f of w.folds) {
      rows.push([String(f.fold), f.test.from ?? '', f.test.to ?? '', ...r.grid.keys.map((k) => cell(f.chosen[k])), formatScore({ value: f.inSample, na: f.inSampleNa, flat: false }), formatScore({ value: f.outOfSample, na: f.outOfSampleNa, flat: false }), pct(f.metrics.totalReturn), String(f.trades)]);
    }
    lines.push('', `walk-forward ${w.train} trading days to choose, the next ${w.test} to test; out-of-sample only:`, '', ...table(rows));
    const s = w.stitched;
    lines.push('', `stitched     ${s.days} out-of-sample days: return ${pct(s.totalReturn)}, Sharpe ${s.sharpe === null ? `n/a (${s.sharpeNa})` : num(s.sharpe)}, max DD ${pct(s.maxDrawdown)}, ${s.trades} trades`);
  }
  return `${lines.join('\n')}\n`;
}
