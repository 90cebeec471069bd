import type { VenueOrderSummary } from '../broker/Broker.js';
import type { Position } from '../core/Position.js';
import type { TradingCore } from './buildTradingCore.js';

/**
 * Alpaca-mode reconciliation: every share the broker holds must sit in some strategy's books, and
 * every open order at the broker must be one the daemon has in flight (by client order id). What is
 * left over is "external" (bought by hand, another program, an earlier run whose state is gone) and
 * listed, one line per symbol or order.
 */
export function reconcileWithBroker(core: TradingCore, positions: readonly Position[], openOrders: readonly VenueOrderSummary[]): string[] {
  const books = new Map<string, number>();
  for (const r of core.runner.runners) for (const p of r.ledger.positions()) books.set(p.symbol, (books.get(p.symbol) ?? 0) + p.qty);
  const broker = new Map(positions.map((p) => [p.symbol, p.qty]));
  const out: string[] = [];
  for (const symbol of [...new Set([...books.keys(), ...broker.keys()])].sort()) {
    const b = books.get(symbol) ?? 0;
    const a = broker.get(symbol) ?? 0;
    if (Math.abs(a - b) > 1e-9) out.push(`${symbol}: broker ${a} shares, strategies ${b}`);
  }
  for (const o of openOrders) {
    if (core.execution.isOurs(o.clientOrderId)) continue;
    out.push(`open order ${o.clientOrderId || o.id} (${[o.side, o.qty ?? '', o.symbol, o.type].filter((x) => x !== '').join(' ')}, ${o.status}) is not the daemon's`);
  }
  return out;
}
