import { formatMoney, formatPnl } from '../core/formatMoney.js';
import type { PortfolioSnapshot } from '../persistence/PortfolioSnapshot.js';
import { strategyStatus, TradingStatus } from '../risk/strategyStatus.js';
import type { Metrics } from '../portfolio/metrics.js';
import { formatHonestRatio, honestRatio } from '../portfolio/sampleRules.js';

const pct = (x: number | null): string => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);
// Ratios from too small a sample are n/a with the reason, a Sharpe of mostly idle days flagged (sampleRules).
const sharpe = (m: Metrics): string => formatHonestRatio(honestRatio(m, 'sharpe'), (x) => x.toFixed(2), m);
const winRate = (m: Metrics): string => formatHonestRatio(honestRatio(m, 'winRate'), pct, m);

/**
 * The after-the-close message: the account and, per strategy, P&L on its capital, closed trades,
 * win rate, Sharpe, maximum drawdown and open positions (from the state file's own numbers).
 */
export function formatDailySummary(s: PortfolioSnapshot, date: string): string {
  const total = Object.values(s.strategies).reduce((a, x) => a + x.equity - x.capital, 0);
  const lines = [
    `📅 Daily summary ${date}`,
    `Account ${formatMoney(s.account.value)} · strategies ${formatPnl(total)} (realized ${formatPnl(s.performance.realizedPnl)}, unrealized ${formatPnl(s.performance.unrealizedPnl)})`,
    `Total: ${s.performance.trades} trades · win ${winRate(s.performance)} · Sharpe ${sharpe(s.performance)} · max drawdown ${pct(s.performance.maxDrawdown.depth)}`,
  ];
  for (const [id, x] of Object.entries(s.strategies)) {
    const status = strategyStatus(x, x.circuitBreaker, s.circuitBreaker).label;
    const held = x.ledger.positions.map((p) => `${p.symbol} ${p.qty}`).join(', ');
    lines.push(
      `• ${id}: ${formatPnl(x.equity - x.capital)} · ${x.performance.trades} trades · win ${winRate(x.performance)} · Sharpe ${sharpe(x.performance)} · max DD ${pct(x.performance.maxDrawdown.depth)}` +
        `${held === '' ? '' : ` · holds ${held}`}${status === TradingStatus.Active ? '' : ` · ${status}`}`,
    );
  }
  return lines.join('\n');
}
