import { formatMoney, formatPnl } from '../core/formatMoney.js';
import type { Metrics } from '../portfolio/metrics.js';
import { honestRatio, SAMPLE_RULES, sampleNotes, type Ratio } from '../portfolio/sampleRules.js';
import { VALIDATION_TARGETS } from '../portfolio/validationTargets.js';
import type { BacktestResult } from './BacktestResult.js';

const pct = (x: number | null): string => (x === null ? 'n/a' : `${(x * 100).toFixed(2)}%`);
const num = (x: number | null, digits = 2): string => (x === null ? 'n/a' : x.toFixed(digits));
const money = (x: number | null): string => (x === null ? 'n/a' : formatPnl(x));
/** A ratio cell: `n/a` when the sample is too small (the reason goes under the table), `*` on a Sharpe or Sortino of mostly idle days. */
const ratio =
  (name: Ratio, format: (x: number) => string) =>
  (m: Metrics): string => {
    const r = honestRatio(m, name);
    return r.value === null ? 'n/a' : `${format(r.value)}${r.flat ? '*' : ''}`;
  };

const columns: ReadonlyArray<[string, (m: Metrics) => string]> = [
  ['return', (m) => pct(m.totalReturn)],
  ['CAGR', ratio('cagr', pct)],
  ['vol', ratio('annualizedVolatility', pct)],
  ['Sharpe', ratio('sharpe', num)],
  ['Sortino', ratio('sortino', num)],
  ['max DD', (m) => pct(m.maxDrawdown.depth)],
  ['trades', (m) => String(m.trades)],
  ['win rate', ratio('winRate', pct)],
  ['PF', ratio('profitFactor', num)],
  ['avg win', (m) => money(m.averageWin)],
  ['avg loss', (m) => money(m.averageLoss)],
  ['expectancy', (m) => money(m.expectancy)],
  ['trades/day', (m) => num(m.tradesPerDay, 1)],
  ['exposure', (m) => pct(m.exposure)],
];

/** How the files stamp their bars, one line per way (files read the same way share a line). */
function barTimeLines(r: BacktestResult): string[] {
  const groups = new Map<string, string[]>();
  for (const b of r.barTime ?? []) {
    const size = b.barSeconds === null ? '' : b.barSeconds % 3600 === 0 ? `${b.barSeconds / 3600}-hour` : b.barSeconds % 60 === 0 ? `${b.barSeconds / 60}-minute` : `${b.barSeconds}-second`;
    const how = b.stamps === 'session' ? b.reason : `${size} bars stamped at their ${b.stamps} (${b.reason})`;
    groups.set(how, [...(groups.get(how) ?? []), b.symbol]);
  }
  return [...groups].map(([how, symbols]) => `${symbols.length > 6 ? `${symbols.slice(0, 5).join(', ')} and ${symbols.length - 5} more` : symbols.join(', ')}: ${how}`);
}

/** The human summary printed by `npm run backtest`: the run, then a metrics table per strategy and in total. */
export function formatBacktestSummary(r: BacktestResult): string {
  const head: Array<[string, string]> = [
    ['strategy', r.strategy === 'portfolio' ? `portfolio of ${r.strategies.length} strategies` : `${r.strategy} ${JSON.stringify(r.params)}`],
    ['period', r.from === null ? 'no bars' : `${r.from} → ${r.to} (${r.metrics.tradingDays} trading days)`],
    ['bars', `${r.bars.toLocaleString('en-US')} in ${r.elapsedMs.toFixed(1)} ms (${r.barsPerSecond.toLocaleString('en-US')} bars/s)`],
    ['costs', `slippage ${r.costs.slippage}; commission ${r.costs.commission}`],
    ['starting cash', formatMoney(r.startingCash)],
    ['final value', `${formatMoney(r.finalValue)} (${formatPnl(r.finalValue - r.startingCash)})`],
    ['fills', `${r.fills.length}; rejected or refused orders ${r.rejections}`],
  ];
  head.splice(2, 0, ...barTimeLines(r).map((text, i): [string, string] => [i === 0 ? 'bar times' : '', text]));
  const width = Math.max(...head.map(([k]) => k.length));
  const lines = head.map(([k, v]) => `${k.padEnd(width)}  ${v}`);

  const rows = [
    ['strategy', ...columns.map(([c]) => c)],
    ...r.strategies.map((s) => [s.id, ...columns.map(([, f]) => f(s.metrics))]),
  ];
  if (r.strategies.length > 1) rows.push(['total', ...columns.map(([, f]) => f(r.metrics))]);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const format = (row: string[]): string => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  lines.push('', format(rows[0]!), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.slice(1).map(format));
  lines.push('', 'Daily returns (New York days), annualized with 252 days; risk-free rate ' + pct(r.metrics.riskFreeRate) + '.');
  lines.push(...sampleNotes([...r.strategies.map((s) => [s.id, s.metrics] as const), ...(r.strategies.length > 1 ? [['total', r.metrics] as const] : [])]));
  if (r.breakerEvents.length > 0) {
    lines.push('', 'Circuit breakers:');
    for (const e of r.breakerEvents) lines.push(`  ${e.time}  ${e.scope} ${e.kind === 'tripped' ? `tripped on ${e.rule}: ${e.text}` : `${e.rule}: ${e.text}`}`);
  }
  const denied = r.strategies.filter((s) => Object.keys(s.denials).length > 0);
  if (denied.length > 0) {
    lines.push('', 'Refused or rejected orders by rule:');
    for (const s of denied) lines.push(`  ${s.id.padEnd(widths[0]!)}  ${Object.entries(s.denials).map(([rule, n]) => `${rule} ${n}`).join(', ')}`);
  }
  lines.push('');
  lines.push(
    `Targets before real money (${VALIDATION_TARGETS.map((t) => t.name).join(', ')}; judged from ${SAMPLE_RULES.minTradingDays} trading days and ${SAMPLE_RULES.minTrades} closed trades, a breaker trip misses):`,
  );
  for (const s of r.strategies) lines.push(`  ${s.id.padEnd(widths[0]!)}  ${s.targets.text}`);
  lines.push('A backtest is not the live checklist: npm run readiness judges the paper record (docs/readiness.md).');
  return `${lines.join('\n')}\n`;
}
