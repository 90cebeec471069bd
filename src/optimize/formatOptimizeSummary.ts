import { formatMoney } from '../core/formatMoney.js';
import type { OptimizeResult } from './OptimizeResult.js';

const pct = (x: number | null): string => (x === null ? 'n/a' : `${(x * 100).toFixed(2)}%`);
const num = (x: number | null, digits = 2): string => (x === null ? 'n/a' : x.toFixed(digits));
const cell = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]): string => r.map((c, i) => (i === 0 ? c.padStart(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(rows[0]!), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.slice(1).map(line)];
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
      rows.push([String(c.rank), ...r.grid.keys.map((k) => cell(c.grid[k])), num(c.value, 4), pct(c.metrics.totalReturn), num(c.metrics.sharpe), pct(c.metrics.maxDrawdown.depth), String(c.trades), formatMoney(c.finalValue)]);
    }
    lines.push('', ...table(rows));
    if (r.ranking.length > top) lines.push(`… ${r.ranking.length - top} more (--out FILE has them all)`);
    const d = r.deflatedSharpe!;
    lines.push('', `best         ${JSON.stringify(r.best.grid)}: ${r.metric} ${num(r.best.value, 4)}, Sharpe ${num(r.best.metrics.sharpe)}, ${r.best.fills} fills`);
    lines.push(
      `deflated     Sharpe ratio ${d.probability === null ? 'n/a' : d.probability.toFixed(4)}: the chance the best Sharpe ${num(r.best.metrics.sharpe)} beats ${num(d.benchmarkAnnualized)}, the best luck alone gives in ${d.trials} tries (${d.returns.count} days, skew ${num(d.returns.skewness)}, kurtosis ${num(d.returns.kurtosis)})`,
    );
    const s = r.stability!;
    if (s.neighbours > 0) lines.push(`stability    ${s.neighbours} neighbours of the best: mean ${r.metric} ${num(s.mean, 4)}, worst ${num(s.min, 4)}${s.meanOverBest === null ? '' : ` (${(s.meanOverBest * 100).toFixed(0)}% of the best)`}`);
  }
  if (r.walkForward !== undefined) {
    const w = r.walkForward;
    const rows = [['fold', 'test from', 'test to', ...r.grid.keys, `in-sample ${r.metric}`, `out-of-sample ${r.metric}`, 'return', 'trades']];
    for (const f of w.folds) {
      rows.push([String(f.fold), f.test.from ?? '', f.test.to ?? '', ...r.grid.keys.map((k) => cell(f.chosen[k])), num(f.inSample, 4), num(f.outOfSample, 4), pct(f.metrics.totalReturn), String(f.trades)]);
    }
    lines.push('', `walk-forward ${w.train} trading days to choose, the next ${w.test} to test; out-of-sample only:`, '', ...table(rows));
    const s = w.stitched;
    lines.push('', `stitched     ${s.days} out-of-sample days: return ${pct(s.totalReturn)}, Sharpe ${num(s.sharpe)}, max DD ${pct(s.maxDrawdown)}, ${s.trades} trades`);
  }
  return `${lines.join('\n')}\n`;
}
