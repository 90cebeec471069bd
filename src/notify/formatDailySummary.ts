import { formatMoney, formatPnl } from '../core/formatMoney.js';
import type { PortfolioSnapshot } from '../persistence/PortfolioSnapshot.js';
import { strategyStatus, TradingStatus } from '../risk/strategyStatus.js';

const pct = (x: number | null): string => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);
/** An annualized Sharpe ratio from a handful of days says nothing: shown from 20 trading days on. */
const MIN_DAYS_FOR_SHARPE = 20;
const sharpe = (m: { sharpe: number | null; tradingDays: number }): string =>
  m.tradingDays < MIN_DAYS_FOR_SHARPE ? `n/a (${m.tradingDays} of ${MIN_DAYS_FOR_SHARPE} days)` : m.sharpe === null ? 'n/a' : m.sharpe.toFixed(2);

/**
 * The after-the-close message: the account and, per strategy, P&L on its capital, closed trades,
 * win rate, Sharpe, maximum drawdown and open positions (from the state file's own numbers).
 */
export function formatDailySummary(s: PortfolioSnapshot, date: string): string {
  const total = Object.values(s.strategies).reduce((a, x) => a + x.equity - x.capital, 0);
  const lines = [
    `📅 Daily summary ${date}`,
    `Account ${formatMoney(s.account.value)} · strategies ${formatPnl(total)} (realized ${formatPnl(s.performance.realizedPnl)}, unrealized ${formatPnl(s.performance.unrealizedPnl)})`,
    `Total: ${s.performance.trades} trades · win ${pct(s.performance.winRate)} · Sharpe ${sharpe(s.performance)} · max drawdown ${pct(s.performance.maxDrawdown.depth)}`,
  ];
  for (const [id, x] of Object.entries(s.strategies)) {
    const status = strategyStatus(x, x.circuitBreaker, s.circuitBreaker).label;
    const held = x.ledger.positions.map((p) => `${p.symbol} ${p.qty}`).join(', ');
    lines.push(
      `• ${id}: ${formatPnl(x.equity - x.capital)} · ${x.performance.trades} trades · win ${pct(x.performance.winRate)} · Sharpe ${sharpe(x.performance)} · max DD ${pct(x.performance.maxDrawdown.depth)}` +
        `${held === '' ? '' : ` · holds ${held}`}${status === TradingStatus.Active ? '' : ` · ${status}`}`,
    );
  }
  return lines.join('\n');
}
