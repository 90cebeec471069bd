import type { OrderRequest } from '../core/Order.js';

/**
 * What the venue gets for a request: a bracket's stop-loss and take-profit go with the entry (the
 * venue opens them when it fills, one canceling the other), a trailing stop does not (Alpaca's
 * brackets take none: the daemon sends it once the entry fills).
 */
export function venueRequestOf(r: OrderRequest): OrderRequest {
  const b = r.bracket;
  if (b?.trail === undefined) return r;
  const exits = b.stopLoss === undefined && b.takeProfit === undefined ? undefined : { stopLoss: b.stopLoss, takeProfit: b.takeProfit };
  return { ...r, bracket: exits };
}

/** The trailing stop of an entry: a good-till-canceled sell stop for the entry's quantity (the shares filled, once known). */
export function trailingStopOf(entry: OrderRequest): OrderRequest {
  return {
    symbol: entry.symbol,
    side: 'sell',
    qty: entry.qty,
    type: 'stop',
    limitPrice: undefined,
    stopPrice: undefined,
    timeInForce: 'gtc',
    reason: 'trailing stop of the entry',
    bracket: undefined,
    trail: entry.bracket?.trail,
    closeAll: undefined,
    parent: entry.clientOrderId,
    leg: 'ts',
    strategyId: entry.strategyId,
    clientOrderId: `${entry.clientOrderId}-ts`,
  };
}
