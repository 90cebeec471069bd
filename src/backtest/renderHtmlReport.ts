import type { BacktestResult } from './BacktestResult.js';
import type { Metrics } from '../portfolio/metrics.js';
import { honestRatio, sampleNotes, type Ratio } from '../portfolio/sampleRules.js';
import { formatMoney, formatPrice } from '../core/formatMoney.js';
import { formatEt } from '../market-data/formatEt.js';
import { chartLibrary, type ChartLibrary } from './chartLibrary.js';
import type { PriceSeries } from './priceSeries.js';
import { reportData, ruleCounts, type ReportData } from './reportData.js';
import { REPORT_PAGE_SCRIPT } from './reportPageScript.js';

/** The trade list shows at most this many trades (the JSON of `--out` has them all). */
export const MAX_TRADE_ROWS = 2_000;
/** The trips listed one by one (the table counts every one). */
const MAX_TRIP_LINES = 200;

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const pct = (x: number | null): string => (x === null ? 'n/a' : `${(x * 100).toFixed(2)}%`);
const num = (x: number | null): string => (x === null ? 'n/a' : x.toFixed(2));
const usd = (x: number | null): string => (x === null ? 'n/a' : formatMoney(x));
const et = (iso: string | null): string => (iso === null ? 'n/a' : formatEt(Date.parse(iso)));

export interface HtmlReportOptions {
  /** Each symbol's prices for its chart (thinned: priceSeries); none: no price charts. */
  readonly prices?: readonly PriceSeries[];
  /** The charting library inlined (default: the installed lightweight-charts). */
  readonly library?: ChartLibrary;
}

/**
 * One self-contained HTML file that works offline and fetches nothing: the charting library, its
 * licence, the data (JSON) and the page's script are inline. Tables are plain HTML (readable
 * without script); the charts (zoom, pan, crosshair) are drawn by lightweight-charts. Every time
 * is shown in New York time.
 */
export function renderHtmlReport(r: BacktestResult, o: HtmlReportOptions = {}): string {
  const library = o.library ?? chartLibrary();
  const data = reportData(r, o.prices ?? []);
  const title = r.strategy === 'portfolio' ? `Portfolio backtest (${r.strategies.length} strategies)` : `Backtest: ${r.strategy} ${JSON.stringify(r.params)}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 0 auto; padding: 16px 24px; max-width: 1400px; color: #1b1f24; box-sizing: border-box; }
h1 { font-size: 20px; margin: 0 0 6px; } h2 { font-size: 16px; margin-top: 28px; } h3 { font-size: 14px; margin: 18px 0 4px; }
table { border-collapse: collapse; font-size: 13px; } th, td { padding: 3px 8px; border-bottom: 1px solid #d0d7de; text-align: right; white-space: nowrap; }
th:first-child, td:first-child, .trips :nth-child(2), .refusals :nth-child(2) { text-align: left; }
td.pos { color: #1a7f37; } td.neg { color: #cf222e; }
.chart { width: 100%; border: 1px solid #d0d7de; }
.muted { color: #57606a; } .hover { color: #57606a; font-size: 12px; min-height: 18px; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: 12px; margin: 4px 0; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; vertical-align: -2px; margin-right: 4px; }
.summary { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 2px 16px; margin: 8px 0; }
.wide { max-width: 100%; overflow-x: auto; }
</style>
</head>
<body>
<header>
<h1>${esc(title)}</h1>
${summary(r)}
</header>
<section id="metrics">
<h2>Metrics</h2>
${metricsTable(r)}
<p class="muted">Daily returns over New York trading days, annualized with 252 days; risk-free rate ${pct(r.metrics.riskFreeRate)}. Sharpe = mean excess daily return / sample σ × √252; Sortino uses the downside deviation.</p>
${notes(r)}
</section>
<section id="equity">
<h2>Equity</h2>
${legend(data, data.strategyEquity.length > 0)}
<div class="chart" id="chart-equity"></div>
<p class="muted">Top: the account (the strategies' equity${r.startingCash > capitalOf(r) ? ` plus the ${usd(r.startingCash - capitalOf(r))} not allocated to any` : ''}), from the starting cash ${usd(r.startingCash)} (dashed line).${data.strategyEquity.length > 0 ? ' Below: each strategy\'s return on its own capital.' : ''} ${esc(thinningNote(r))} Scroll to zoom, drag to pan; times are New York time.</p>
</section>
<section id="drawdown">
<h2>Drawdown</h2>
<div class="chart" id="chart-drawdown"></div>
<p class="muted">${esc(drawdownLine(r.metrics))}</p>
</section>
<section id="prices">
<h2>Prices and fills</h2>
${priceSections(data)}
</section>
<section id="monthly">
<h2>Monthly returns</h2>
${monthlyTable(r)}
</section>
<section id="trades">
<h2>Trades</h2>
${tradesTable(r)}
</section>
<section id="breakers">
<h2>Circuit-breaker trips and refused orders</h2>
${ruleTables(r)}
</section>
<section id="targets">
<h2>Targets before real money</h2>
<ul>
${r.strategies.map((s) => `<li>${esc(s.id)}: ${esc(s.targets.text)}</li>`).join('\n')}
</ul>
<p class="muted">A backtest is not the live checklist: <code>npm run readiness</code> judges the paper record.</p>
</section>
<footer class="muted"><p>Charts: TradingView Lightweight Charts™ ${esc(library.version)} (Apache License 2.0, licence text in this file), inlined: this page loads nothing.</p></footer>
<!--
${library.name} ${library.version}, embedded below unchanged. Its licence:

${library.licence.replace(/--/g, '- -')}
-->
<script>
${inlineScript(library.script)}
</script>
<script type="application/json" id="report-data">${JSON.stringify(data).replace(/</g, '\\u003c')}</script>
<script>
${inlineScript(REPORT_PAGE_SCRIPT)}
</script>
</body>
</html>
`;
}

/** Script text as it may stand inside <script>: nothing in it can end the element early. */
function inlineScript(code: string): string {
  if (/<\/script|<!--/i.test(code)) throw new Error('a script to inline contains </script or <!--');
  return code;
}

const capitalOf = (r: BacktestResult): number => r.strategies.reduce((a, s) => a + s.capital, 0);

function summary(r: BacktestResult): string {
  const rows: Array<[string, string]> = [
    ['Period', `${et(r.from)} → ${et(r.to)}`],
    ['Bars', r.bars.toLocaleString('en-US')],
    ['Starting cash', usd(r.startingCash)],
    ['Final value', `${usd(r.finalValue)} (${r.finalValue >= r.startingCash ? '+' : '−'}${usd(Math.abs(r.finalValue - r.startingCash))})`],
    ['Strategies\' capital', usd(capitalOf(r))],
    ['Costs', `slippage ${r.costs.slippage}; commission ${r.costs.commission}`],
    ['Fills', r.fills.length.toLocaleString('en-US')],
    ['Trades', r.trades.length.toLocaleString('en-US')],
    ['Refused or rejected orders', r.rejections.toLocaleString('en-US')],
    ['Breaker trips', String(r.breakerEvents.filter((e) => e.kind === 'tripped').length)],
  ];
  return `<div class="summary">${rows.map(([k, v]) => `<div><span class="muted">${esc(k)}:</span> ${esc(v)}</div>`).join('')}</div>`;
}

function thinningNote(r: BacktestResult): string {
  return r.equity.length >= 1025 ? `The curves are thinned to ${r.equity.length.toLocaleString('en-US')} evenly spread points (the metrics are exact over every bar).` : '';
}

function legend(data: ReportData, withStrategies: boolean): string {
  const items = [`<span><span class="swatch" style="background:#1b1f24"></span>account</span>`];
  if (withStrategies) items.push(...data.strategies.map((s) => `<span><span class="swatch" style="background:${s.colour}"></span>${esc(s.id)}</span>`));
  return `<div class="legend">${items.join('')}</div>`;
}

function priceSections(data: ReportData): string {
  if (data.prices.length === 0) return '<p class="muted">No price data was given to the report.</p>';
  return data.prices
    .map((p, k) => {
      const by = new Set(p.markers.map((m) => m.strategy));
      const colours = data.strategies.filter((s) => by.has(s.id));
      const shown = p.candles.length < p.bars ? ` ${p.bars.toLocaleString('en-US')} bars shown as ${p.candles.length.toLocaleString('en-US')} candles (neighbouring bars merged; each bar with a fill kept as it was).` : '';
      const capped = p.markers.length < p.fills ? ` Markers for the first ${p.markers.length.toLocaleString('en-US')} of ${p.fills.toLocaleString('en-US')} fills.` : '';
      return `<h3>${esc(p.symbol)}</h3>
<div class="legend">${colours.map((s) => `<span><span class="swatch" style="background:${s.colour}"></span>${esc(s.id)}</span>`).join('')}<span>▲ buy at its price · ▼ sell at its price</span></div>
<div class="chart" id="chart-price-${k}"></div>
<div class="hover" id="hover-price-${k}">Point at a marker to see its fills.</div>
<p class="muted">${p.fills.toLocaleString('en-US')} fills.${shown}${capped}</p>`;
    })
    .join('\n');
}

/** The worst drawdown in words, from the exact metrics (the charts use thinned points). */
function drawdownLine(m: Metrics): string {
  const d = m.maxDrawdown;
  if (d.peakTime === null || d.troughTime === null) return 'No drawdown.';
  const recovered = d.recoveryTime === null ? 'not recovered by the end' : `recovered ${formatEt(d.recoveryTime)}`;
  return `Max drawdown ${pct(d.depth)}: peak ${formatEt(d.peakTime)}, trough ${formatEt(d.troughTime)}, ${recovered}.`;
}

/** The columns of the metrics table, the total last when there are several strategies. */
const tableColumns = (r: BacktestResult): Array<readonly [string, Metrics]> => [...r.strategies.map((s) => [s.id, s.metrics] as const), ...(r.strategies.length > 1 ? [['total', r.metrics] as const] : [])];

/** Why cells say n/a and which ratios are flagged (the same notes as the terminal summary). */
function notes(r: BacktestResult): string {
  const lines = sampleNotes(tableColumns(r));
  return lines.length === 0 ? '' : `<p class="muted">${lines.map((l) => esc(l.trim())).join('<br>')}</p>`;
}

/** A ratio cell: n/a (the reason on hover) from too small a sample, `*` on a Sharpe or Sortino of mostly idle days. */
const ratio =
  (name: Ratio, format: (x: number | null) => string) =>
  (m: Metrics): string => {
    const h = honestRatio(m, name);
    return h.value === null ? `<span title="${esc(h.na ?? '')}">n/a</span>` : `${esc(format(h.value))}${h.flat ? '*' : ''}`;
  };

/** One row per figure, one column per strategy (and the total): narrow enough for 1,200 px with ten strategies. */
function metricsTable(r: BacktestResult): string {
  const plain =
    (f: (m: Metrics) => string) =>
    (m: Metrics): string =>
      esc(f(m));
  const rows: ReadonlyArray<[string, (m: Metrics) => string]> = [
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
  const cols = tableColumns(r);
  return `<div class="wide"><table class="metrics">
<thead><tr><th></th>${cols.map(([id]) => `<th>${esc(id)}</th>`).join('')}</tr></thead>
<tbody>
${rows.map(([name, f]) => `<tr><th>${name}</th>${cols.map(([, m]) => `<td>${f(m)}</td>`).join('')}</tr>`).join('\n')}
</tbody>
</table></div>`;
}

const signed = (x: number): string => (x > 0 ? 'pos' : x < 0 ? 'neg' : '');

/** Year × month, each month's return in % (New York months), and the year's compounded. */
function monthlyTable(r: BacktestResult): string {
  if (r.monthly.length === 0) return '<p class="muted">No equity recorded.</p>';
  const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const years = new Map<string, Array<number | null>>();
  for (const m of r.monthly) {
    const [y, mm] = m.month.split('-') as [string, string];
    const row = years.get(y) ?? new Array<number | null>(12).fill(null);
    row[Number(mm) - 1] = m.return;
    years.set(y, row);
  }
  const cell = (x: number | null): string => (x === null ? '<td></td>' : `<td class="${signed(x)}">${pct(x)}</td>`);
  const body = [...years]
    .map(([y, row]) => {
      const year = row.reduce<number>((a, x) => a * (1 + (x ?? 0)), 1) - 1;
      return `<tr><th>${y}</th>${row.map(cell).join('')}${cell(year)}</tr>`;
    })
    .join('\n');
  return `<table class="monthly">
<thead><tr><th></th>${MONTHS.map((m) => `<th>${m}</th>`).join('')}<th>Year</th></tr></thead>
<tbody>
${body}
</tbody>
</table>
<p class="muted">Returns on the strategies' capital together (as the metrics): each month's last equity against the month before's.</p>`;
}

function tradesTable(r: BacktestResult): string {
  if (r.trades.length === 0) return '<p class="muted">No closed trades.</p>';
  const shown = r.trades.slice(0, MAX_TRADE_ROWS);
  const rows = shown
    .map(
      (t) =>
        `<tr><td>${esc(t.strategy)}</td><td>${esc(t.symbol)}</td><td>${esc(t.direction)}</td><td>${esc(et(t.entryTime))}</td><td>${esc(et(t.exitTime))}</td><td>${t.qty.toLocaleString('en-US')}</td><td>${esc(formatPrice(t.entryPrice))}</td><td>${esc(formatPrice(t.exitPrice))}</td><td>${esc(usd(t.commission))}</td><td class="${signed(t.netPnl)}">${esc(usd(t.netPnl))}</td></tr>`,
    )
    .join('\n');
  const note = shown.length < r.trades.length ? `<p class="muted">The first ${shown.length.toLocaleString('en-US')} of ${r.trades.length.toLocaleString('en-US')} trades; the JSON (<code>--out</code>) lists every one.</p>` : '';
  return `<div class="wide"><table class="trades">
<thead><tr><th>Strategy</th><th>Symbol</th><th>Side</th><th>Entry (ET)</th><th>Exit (ET)</th><th>Qty</th><th>Entry price</th><th>Exit price</th><th>Commission</th><th>Net P&amp;L</th></tr></thead>
<tbody>
${rows}
</tbody>
</table></div>
${note}`;
}

function ruleTables(r: BacktestResult): string {
  const { trips, refusals } = ruleCounts(r);
  const tripTable = countTable('trips', ['Breaker', 'Rule', 'Trips'], trips.map((t) => [t.scope, t.rule, t.count]), 'No circuit breaker tripped.');
  const refusalTable = countTable('refusals', ['Strategy', 'Rule', 'Orders'], refusals.map((t) => [t.strategy, t.rule, t.count]), 'No order was refused or rejected.');
  const events = r.breakerEvents.filter((e) => e.kind === 'tripped');
  const more = events.length > MAX_TRIP_LINES ? `<p class="muted">The first ${MAX_TRIP_LINES} of ${events.length.toLocaleString('en-US')} trips; the JSON (<code>--out</code>) lists every one.</p>` : '';
  const list = events.length === 0 ? '' : `<ul class="trip-list">${events.slice(0, MAX_TRIP_LINES).map((e) => `<li>${esc(formatEt(Date.parse(e.time)))} ${esc(e.scope)}: ${esc(e.text)}</li>`).join('')}</ul>${more}`;
  return `<h3>Breaker trips by rule</h3>
${tripTable}
${list}
<h3>Orders refused (RiskGate) or rejected (broker), by rule</h3>
${refusalTable}`;
}

/** A table of counts: two names and a count per row, or a line saying there is none. */
function countTable(cls: string, head: readonly [string, string, string], rows: ReadonlyArray<readonly [string, string, number]>, none: string): string {
  if (rows.length === 0) return `<p class="muted">${none}</p>`;
  return `<table class="${cls}"><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>
${rows.map(([a, b, n]) => `<tr><td>${esc(a)}</td><td>${esc(b)}</td><td>${n}</td></tr>`).join('\n')}
</tbody></table>`;
}
