import type { BacktestResult } from './BacktestResult.js';
import type { Metrics } from '../portfolio/metrics.js';
import { honestRatio, sampleNotes, type Ratio } from '../portfolio/sampleRules.js';
import { nyDateOf } from '../market-data/zonedTime.js';

const W = 1000;
const H = 260;
const PAD = { left: 70, right: 10, top: 10, bottom: 24 };
/** At most this many dates under a chart. */
const MAX_DATE_LABELS = 8;

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const pct = (x: number | null): string => (x === null ? 'n/a' : `${(x * 100).toFixed(2)}%`);
const num = (x: number | null): string => (x === null ? 'n/a' : x.toFixed(2));
const usd = (x: number | null): string => (x === null ? 'n/a' : `${x < 0 ? '−' : ''}$${Math.abs(x).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`);

/**
 * A self-contained HTML page (inline SVG and CSS, no script, nothing fetched) with the equity curve
 * and its trade markers, the drawdown curve and the metrics table. Points are spaced by bar, not by
 * clock time, so nights and weekends do not stretch the curves.
 */
export function renderHtmlReport(r: BacktestResult): string {
  const times = r.equity.map((p) => Date.parse(p.time));
  const equity = r.equity.map((p) => p.equity);
  let peak = r.metrics.startingEquity;
  const drawdown = equity.map((e) => {
    peak = Math.max(peak, e);
    return peak > 0 ? -(peak - e) / peak : 0;
  });
  const indexOf = (iso: string): number => {
    const t = Date.parse(iso);
    let lo = 0;
    let hi = times.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (times[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const markers = r.fills.map((f) => ({ i: indexOf(f.fillTime), side: f.side, label: `${f.side} ${f.qty} ${f.symbol} @ ${f.price} (${f.fillTime}, ${f.strategy})` }));
  const title = r.strategy === 'portfolio' ? `Portfolio backtest (${r.strategies.length} strategies)` : `Backtest: ${r.strategy} ${JSON.stringify(r.params)}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${esc(title)}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #1b1f24; }
h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 28px; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-size: 13px; } th, td { padding: 4px 8px; border-bottom: 1px solid #d0d7de; text-align: right; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
svg { background: #fafbfc; border: 1px solid #d0d7de; }
.muted { color: #57606a; }
</style>
</head>
<body>
<h1>${esc(title)}</h1>
<p class="muted">${esc(r.from ?? '')} → ${esc(r.to ?? '')} · ${r.bars.toLocaleString('en-US')} bars · starting cash ${usd(r.startingCash)} · final value ${usd(r.finalValue)} · costs: slippage ${esc(r.costs.slippage)}, commission ${esc(r.costs.commission)} · ${r.fills.length} fills, ${r.rejections} refused or rejected orders</p>
<h2>Equity (strategies' capital) with fills: ▲ buy, ▼ sell</h2>
${chart(equity, times, (v) => usd(v), markers, '#0969da')}
<h2>Drawdown</h2>
${chart(drawdown, times, (v) => pct(v), [], '#cf222e')}
<p class="muted">${esc(drawdownLine(r.metrics))}</p>
<h2>Metrics</h2>
<div class="scroll">${metricsTable(r)}</div>
<p class="muted">Daily returns over New York trading days, annualized with 252 days; risk-free rate ${pct(r.metrics.riskFreeRate)}. Sharpe = mean excess daily return / sample σ × √252; Sortino uses the downside deviation.</p>
${notes(r)}
<h2>Targets before real money</h2>
<ul>
${r.strategies.map((s) => `<li>${esc(s.id)}: ${esc(s.targets.text)}</li>`).join('\n')}
</ul>
<p class="muted">A backtest is not the live checklist: <code>npm run readiness</code> judges the paper record.</p>
</body>
</html>
`;
}

/** The worst drawdown in words, from the exact metrics (the charts use thinned points). */
function drawdownLine(m: Metrics): string {
  const d = m.maxDrawdown;
  if (d.peakTime === null || d.troughTime === null) return 'No drawdown.';
  const iso = (t: number): string => new Date(t).toISOString().slice(0, 16).replace('T', ' ');
  const recovered = d.recoveryTime === null ? 'not recovered by the end' : `recovered ${iso(d.recoveryTime)} UTC`;
  return `Max drawdown ${pct(d.depth)}: peak ${iso(d.peakTime)} UTC, trough ${iso(d.troughTime)} UTC, ${recovered}.`;
}

/** Index and New York date of the first point of each day, thinned to at most MAX_DATE_LABELS. */
function dateLabels(times: readonly number[]): Array<{ i: number; date: string }> {
  const days: Array<{ i: number; date: string }> = [];
  let last = '';
  times.forEach((t, i) => {
    const date = nyDateOf(t);
    if (date !== last) days.push({ i, date });
    last = date;
  });
  const step = Math.ceil(days.length / MAX_DATE_LABELS);
  return days.filter((_, k) => k % step === 0);
}

function chart(values: readonly number[], times: readonly number[], label: (v: number) => string, markers: ReadonlyArray<{ i: number; side: string; label: string }>, colour: string): string {
  if (values.length === 0) return '<p>No data.</p>';
  let min = Math.min(...values);
  let max = Math.max(...values);
  if (min === max) {
    min -= 1;
    max += 1;
  }
  const x = (i: number): number => PAD.left + (values.length === 1 ? 0 : (i / (values.length - 1)) * (W - PAD.left - PAD.right));
  const y = (v: number): number => PAD.top + ((max - v) / (max - min)) * (H - PAD.top - PAD.bottom);
  const path = values.map((v, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join('');
  const ticks = [max, (max + min) / 2, min]
    .map((v) => `<text x="${PAD.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" font-size="11" fill="#57606a">${esc(label(v))}</text>`)
    .join('');
  const marks = markers
    .map((m) => {
      const cx = x(m.i);
      const cy = y(values[m.i]!);
      const shape = m.side === 'buy' ? `M${cx - 4},${cy + 9}L${cx + 4},${cy + 9}L${cx},${cy + 2}Z` : `M${cx - 4},${cy - 9}L${cx + 4},${cy - 9}L${cx},${cy - 2}Z`;
      return `<path d="${shape}" fill="${m.side === 'buy' ? '#1a7f37' : '#cf222e'}"><title>${esc(m.label)}</title></path>`;
    })
    .join('');
  const dates = dateLabels(times)
    .map((d) => `<line x1="${x(d.i).toFixed(1)}" y1="${PAD.top}" x2="${x(d.i).toFixed(1)}" y2="${H - PAD.bottom}" stroke="#eaeef2"/><text x="${x(d.i).toFixed(1)}" y="${H - 8}" font-size="11" fill="#57606a">${esc(d.date)}</text>`)
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img">
<line x1="${PAD.left}" y1="${H - PAD.bottom}" x2="${W - PAD.right}" y2="${H - PAD.bottom}" stroke="#d0d7de"/>${dates}${ticks}
<path d="${path}" fill="none" stroke="${colour}" stroke-width="1.5"/>${marks}
</svg>`;
}

/** The rows of the metrics table, the total last when there are several strategies. */
const tableRows = (r: BacktestResult): Array<readonly [string, Metrics]> => [...r.strategies.map((s) => [s.id, s.metrics] as const), ...(r.strategies.length > 1 ? [['total', r.metrics] as const] : [])];

/** Why cells say n/a and which ratios are flagged (the same notes as the terminal summary). */
function notes(r: BacktestResult): string {
  const lines = sampleNotes(tableRows(r));
  return lines.length === 0 ? '' : `<p class="muted">${lines.map((l) => esc(l.trim())).join('<br>')}</p>`;
}

/** A ratio cell: n/a (the reason on hover) from too small a sample, `*` on a Sharpe or Sortino of mostly idle days. */
const ratio =
  (name: Ratio, format: (x: number | null) => string) =>
  (m: Metrics): string => {
    const h = honestRatio(m, name);
    return h.value === null ? `<span title="${esc(h.na ?? '')}">n/a</span>` : `${esc(format(h.value))}${h.flat ? '*' : ''}`;
  };

function metricsTable(r: BacktestResult): string {
  const plain =
    (f: (m: Metrics) => string) =>
    (m: Metrics): string =>
      esc(f(m));
  const cols: ReadonlyArray<[string, (m: Metrics) => string]> = [
    ['Return', plain((m) => pct(m.totalReturn))],
    ['CAGR', ratio('cagr', pct)],
    ['Volatility', ratio('annualizedVolatility', pct)],
    ['Sharpe', ratio('sharpe', num)],
    ['Sortino', ratio('sortino', num)],
    ['Max drawdown', plain((m) => pct(m.maxDrawdown.depth))],
    ['Trades', plain((m) => String(m.trades))],
    ['Win rate', ratio('winRate', pct)],
    ['Profit factor', ratio('profitFactor', num)],
    ['Avg win', plain((m) => usd(m.averageWin))],
    ['Avg loss', plain((m) => usd(m.averageLoss))],
    ['Expectancy', plain((m) => usd(m.expectancy))],
    ['Trades/day', plain((m) => num(m.tradesPerDay))],
    ['Exposure', plain((m) => pct(m.exposure))],
  ];
  return `<table>
<tr><th>Strategy</th>${cols.map(([c]) => `<th>${c}</th>`).join('')}</tr>
${tableRows(r).map(([id, m]) => `<tr><td>${esc(id)}</td>${cols.map(([, f]) => `<td>${f(m)}</td>`).join('')}</tr>`).join('\n')}
</table>`;
}
