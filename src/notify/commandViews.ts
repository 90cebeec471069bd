import { formatMoney, formatPnl } from '../core/formatMoney.js';
import { formatEt } from '../market-data/formatEt.js';
import { nyDateOf } from '../market-data/zonedTime.js';
import type { PortfolioSnapshot } from '../persistence/PortfolioSnapshot.js';
import { strategyStatus } from '../risk/strategyStatus.js';
import type { CommandViews } from './TelegramCommands.js';
import { formatDailySummary } from './formatDailySummary.js';

/** The Telegram commands' answers, read from the state as it would be saved now. */
export function commandViews(snapshot: () => PortfolioSnapshot): CommandViews {
  return {
    status: () => {
      const s = snapshot();
      const lines = [`${s.mode === 'sim' ? 'offline simulation' : 'Alpaca'} · market time ${s.marketTime === null ? 'n/a' : formatEt(Date.parse(s.marketTime))} · account ${formatMoney(s.account.value)}`];
      for (const [id, x] of Object.entries(s.strategies)) {
        const status = strategyStatus(x, x.circuitBreaker, s.circuitBreaker);
        lines.push(`${id}: ${status.label}${status.reason === null ? '' : ` – ${status.reason}`} · equity ${formatMoney(x.equity)}`);
      }
      return lines.join('\n');
    },
    positions: () => {
      const s = snapshot();
      const lines: string[] = [];
      for (const [id, x] of Object.entries(s.strategies)) {
        for (const p of x.ledger.positions) lines.push(`${id}: ${p.qty} ${p.symbol} @ ${formatMoney(p.avgPrice)} (now ${p.marketPrice === null ? 'n/a' : formatMoney(p.marketPrice)}, ${formatPnl(p.unrealizedPnl)})`);
      }
      return lines.length === 0 ? 'no open positions' : lines.join('\n');
    },
    pnl: () => {
      const s = snapshot();
      const total = Object.values(s.strategies).reduce((a, x) => a + x.equity - x.capital, 0);
      return [
        `P&L ${formatPnl(total)} (realized ${formatPnl(s.performance.realizedPnl)}, unrealized ${formatPnl(s.performance.unrealizedPnl)})`,
        ...Object.entries(s.strategies).map(([id, x]) => `${id}: ${formatPnl(x.equity - x.capital)} (realized ${formatPnl(x.ledger.realizedPnl)})`),
      ].join('\n');
    },
    summary: () => {
      const s = snapshot();
      return formatDailySummary(s, s.marketTime === null ? 'today' : nyDateOf(Date.parse(s.marketTime)));
    },
  };
}
