import { formatMoney, formatPnl } from '../notify/formatMoney.js';
import type { BacktestResult } from './BacktestResult.js';

const pct = (x: number | null): string => (x === null ? 'n/a' : `${(x * 100).toFixed(2)}%`);

/** The human summary printed by `npm run backtest`. */
export function formatBacktestSummary(r: BacktestResult): string {
  const m = r.metrics;
  const rows: Array<[string, string]> = [
    ['strategy', `${r.strategy} ${JSON.stringify(r.params)}`],
    ['bars', `${r.bars.toLocaleString('en-US')} in ${r.elapsedMs.toFixed(1)} ms (${r.barsPerSecond.toLocaleString('en-US')} bars/s)`],
    ['costs', `slippage ${r.costs.slippage}; commission ${r.costs.commission}`],
    ['starting cash', formatMoney(r.startingCash)],
    ['final value', formatMoney(r.finalValue)],
    ['P&L', `${formatPnl(r.finalValue - r.startingCash)} (${pct(m.totalReturn)})`],
    ['fills', `${r.fills.length} (${m.fillsPerDay.toFixed(1)} per day)`],
    ['closed trades', `${m.closedTrades}, win rate ${pct(m.winRate)}`],
    ['max drawdown', pct(m.maxDrawdown)],
    ['Sharpe (daily, annualized)', m.sharpe === null ? 'n/a' : m.sharpe.toFixed(2)],
    ['rejected orders', String(r.rejections)],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return `${rows.map(([k, val]) => `${k.padEnd(width)}  ${val}`).join('\n')}\n`;
}
