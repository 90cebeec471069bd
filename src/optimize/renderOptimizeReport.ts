import type { Heatmap } from './gridLandscape.js';
import { sharpeCell } from './formatOptimizeSummary.js';
import { formatScore } from './objectives.js';
import type { OptimizeResult } from './OptimizeResult.js';

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const pct = (x: number | null): string => (x === null ? 'n/a' : `${(x * 100).toFixed(2)}%`);
const num = (x: number | null, digits = 2): string => (x === null ? 'n/a' : x.toFixed(digits));
const cell = (v: unknown): string => esc(typeof v === 'string' ? v : JSON.stringify(v));

/** Red (worst) through yellow to green (best), for a share 0…1 of the way from worst to best. */
function colour(share: number): string {
  const s = Math.max(0, Math.min(1, share));
  const hue = Math.round(s * 120);
  return `hsl(${hue}, 65%, ${Math.round(48 + 10 * (1 - Math.abs(s - 0.5) * 2))}%)`;
}

const CELL_W = 64;
const CELL_H = 34;
const LEFT = 90;
const TOP = 40;

/** The heatmap as inline SVG: each cell the best value over the other parameters, the best cell outlined. */
function heatmapSvg(h: Heatmap, higherIsBetter: boolean, bestGrid: Readonly<Record<string, unknown>> | undefined): string {
  const values = h.cells.flat().filter((v): v is number => v !== null);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const share = (v: number): number => (hi === lo ? 1 : higherIsBetter ? (v - lo) / (hi - lo) : (hi - v) / (hi - lo));
  const width = LEFT + h.xValues.length * CELL_W + 10;
  const height = TOP + h.yValues.length * CELL_H + 40;
  const parts: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`];
  parts.push(`<text x="${LEFT + (h.xValues.length * CELL_W) / 2}" y="${height - 8}" text-anchor="middle" font-weight="bold">${esc(h.x)}</text>`);
  parts.push(`<text x="14" y="${TOP + (h.yValues.length * CELL_H) / 2}" text-anchor="middle" font-weight="bold" transform="rotate(-90 14 ${TOP + (h.yValues.length * CELL_H) / 2})">${esc(h.y)}</text>`);
  h.xValues.forEach((x, c) => parts.push(`<text x="${LEFT + c * CELL_W + CELL_W / 2}" y="${TOP - 8}" text-anchor="middle">${cell(x)}</text>`));
  h.yValues.forEach((y, r) => {
    parts.push(`<text x="${LEFT - 8}" y="${TOP + r * CELL_H + CELL_H / 2 + 4}" text-anchor="end">${cell(y)}</text>`);
    h.xValues.forEach((x, c) => {
      const v = h.cells[r]![c]!;
      const isBest = bestGrid !== undefined && JSON.stringify(bestGrid[h.x]) === JSON.stringify(x) && JSON.stringify(bestGrid[h.y]) === JSON.stringify(y);
      const fill = v === null ? '#ddd' : colour(share(v));
      const stroke = isBest ? ' stroke="#000" stroke-width="3"' : ' stroke="#fff"';
      parts.push(`<rect x="${LEFT + c * CELL_W}" y="${TOP + r * CELL_H}" width="${CELL_W}" height="${CELL_H}" fill="${fill}"${stroke}><title>${esc(h.x)} ${cell(x)}, ${esc(h.y)} ${cell(y)}: ${num(v, 4)}</title></rect>`);
      parts.push(`<text x="${LEFT + c * CELL_W + CELL_W / 2}" y="${TOP + r * CELL_H + CELL_H / 2 + 4}" text-anchor="middle">${num(v, 2)}</text>`);
    });
  });
  parts.push('</svg>');
  return parts.join('');
}

/**
 * A self-contained HTML page (inline SVG and CSS, nothing fetched) of a sweep: the best combination
 * with its deflated Sharpe ratio, the heatmap over the first two parameters that vary, the stability
 * of the best region, and the ranking; or a walk-forward's folds and stitched record.
 */
export function renderOptimizeReport(r: OptimizeResult, top = 50): string {
  const body: string[] = [];
  body.push(`<h1>Optimization: ${esc(r.strategy.id)} (${esc(r.strategy.type)})</h1>`);
  body.push(
    `<p>${esc(r.strategy.symbols.join(', '))}, ${r.bars.toLocaleString('en-US')} bars, ${esc(r.from ?? '')} → ${esc(r.to ?? '')}. Grid: ${r.grid.keys.map((k, i) => `${esc(k)} ${cell(r.grid.values[i])}`).join(', ')} — ${r.combinations} combinations${r.skipped.length > 0 ? ` (${r.skipped.length} refused by the strategy)` : ''}, ranked by <b>${esc(r.metric)}</b>; ${r.backtests} backtests on ${esc(r.ranOn)} in ${(r.elapsedMs / 1000).toFixed(1)} s.</p>`,
  );
  if (r.best !== undefined && r.ranking !== undefined) {
    const d = r.deflatedSharpe!;
    body.push('<h2>Best combination</h2>');
    body.push(
      r.best.value === null
        ? `<p><b>None</b>: no combination has a ${esc(r.metric)} (${esc(r.best.na ?? '')}; docs/metrics.md); the ranking below is the grid's order.</p>`
        : `<p><b>${cell(r.best.grid)}</b>: ${esc(r.metric)} ${esc(formatScore(r.best))}, return ${pct(r.best.metrics.totalReturn)}, Sharpe ${esc(sharpeCell(r.best.metrics))}, max drawdown ${pct(r.best.metrics.maxDrawdown.depth)}, ${r.best.trades} trades.</p>`,
    );
    body.push(
      d.probability === null
        ? `<p class="box">Deflated Sharpe ratio <b>n/a</b> (${esc(d.na ?? 'undefined')}).</p>`
        : `<p class="box">Deflated Sharpe ratio <b>${d.probability.toFixed(4)}</b>: the probability that the best combination's true Sharpe ratio beats ${num(d.benchmarkAnnualized)} (annualized), the best Sharpe ratio ${d.trials} tries of a strategy with no edge would be expected to show, given how much the tries' Sharpe ratios vary (${d.returns.count} daily returns, skewness ${num(d.returns.skewness)}, kurtosis ${num(d.returns.kurtosis)}). Below 0.95 the best result is not distinguishable from the luck of trying many.</p>`,
    );
    body.push('<h2>Heatmap</h2>');
    if (r.heatmap === null || r.heatmap === undefined) body.push('<p>Fewer than two parameters vary: no heatmap.</p>');
    else {
      body.push(`<p>${esc(r.metric)} over ${esc(r.heatmap.x)} and ${esc(r.heatmap.y)}${r.grid.keys.length > 2 ? ' (each cell: the best over the other parameters)' : ''}; green best, red worst, the best combination outlined.</p>`);
      body.push(heatmapSvg(r.heatmap, !(r.metric === 'drawdown'), r.best.grid));
    }
    const s = r.stability!;
    body.push('<h2>Stability of the best region</h2>');
    body.push(
      s.neighbours === 0
        ? '<p>The best combination has no neighbour in the grid.</p>'
        : `<p>The ${s.neighbours} combinations one grid step or less from the best in every parameter: mean ${esc(r.metric)} ${num(s.mean, 4)}, worst ${num(s.min, 4)}, against ${num(s.best, 4)} for the best${s.meanOverBest === null ? '' : ` (<b>${(s.meanOverBest * 100).toFixed(0)}%</b> of it)`}. A plateau (near 100%) survives parameters a little off; a lone peak is more likely noise that the grid found.</p>`,
    );
    body.push('<h2>Ranking</h2><table><tr><th>rank</th>' + r.grid.keys.map((k) => `<th>${esc(k)}</th>`).join('') + `<th>${esc(r.metric)}</th><th>return</th><th>Sharpe</th><th>max DD</th><th>trades</th><th>final value</th></tr>`);
    for (const c of r.ranking.slice(0, top)) {
      body.push(`<tr><td>${c.rank}</td>${r.grid.keys.map((k) => `<td>${cell(c.grid[k])}</td>`).join('')}<td>${esc(formatScore(c))}</td><td>${pct(c.metrics.totalReturn)}</td><td>${esc(sharpeCell(c.metrics))}</td><td>${pct(c.metrics.maxDrawdown.depth)}</td><td>${c.trades}</td><td>${c.finalValue.toFixed(2)}</td></tr>`);
    }
    body.push('</table>');
    if (r.ranking.length > top) body.push(`<p>… ${r.ranking.length - top} more in the JSON (--out).</p>`);
  }
  if (r.walkForward !== undefined) {
    const w = r.walkForward;
    const s = w.stitched;
    body.push(`<h2>Walk-forward: out of sample only</h2><p>Chosen on ${w.train} trading days, tested on the next ${w.test}, rolled on by ${w.test}. Stitched: ${s.days} days, return <b>${pct(s.totalReturn)}</b>, Sharpe <b>${s.sharpe === null ? `n/a (${esc(s.sharpeNa ?? '')})` : num(s.sharpe)}</b>, max drawdown ${pct(s.maxDrawdown)}, ${s.trades} trades.</p>`);
    body.push('<table><tr><th>fold</th><th>test from</th><th>test to</th><th>chosen</th><th>in-sample</th><th>out-of-sample</th><th>return</th><th>trades</th></tr>');
    for (const f of w.folds) {
      body.push(`<tr><td>${f.fold}</td><td>${esc(f.test.from ?? '')}</td><td>${esc(f.test.to ?? '')}</td><td>${cell(f.chosen)}</td><td>${esc(formatScore({ value: f.inSample, na: f.inSampleNa, flat: false }))}</td><td>${esc(formatScore({ value: f.outOfSample, na: f.outOfSampleNa, flat: false }))}</td><td>${pct(f.metrics.totalReturn)}</td><td>${f.trades}</td></tr>`);
    }
    body.push('</table>');
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Optimization: ${esc(r.strategy.id)}</title>
<style>body{font-family:sans-serif;margin:24px;max-width:1100px;color:#222}table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f3f3f3}.box{background:#f6f8fa;border-left:4px solid #888;padding:8px 12px}</style>
</head><body>
${body.join('\n')}
</body></html>
`;
}
