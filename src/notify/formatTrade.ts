import type { DaemonEvents } from '../core/DaemonEvents.js';
import { formatPnl, formatPrice } from '../core/formatMoney.js';

/** "📈 Bought 100 AAPL @ $150.25 [spy_sma]", and the round trip's P&L on an exit. */
export function formatTrade(e: DaemonEvents['fill.booked']): string {
  const f = e.fill;
  const verb = f.side === 'buy' ? '📈 Bought' : '📉 Sold';
  let text = `${verb} ${f.qty} ${f.symbol} @ ${formatPrice(f.price)} [${e.strategyId}]`;
  if (e.closedTrade !== null) text += ` · trade P&L ${formatPnl(e.closedTrade.netPnl)}`;
  return text;
}
