import type { Quote } from '../../core/Quote.js';
import type { PricedOrder } from './fillPrice.js';

/**
 * The price at which an order fills against the NBBO, or null while it is not marketable (Alpaca's
 * paper rules): a buy pays the ask, a sell receives the bid; a buy limit fills once the ask is at or
 * below its limit, a sell limit once the bid is at or above it; a stop becomes a market order once
 * the quote reaches it (`triggered` says it already has).
 */
export function quoteFillPrice(order: PricedOrder, q: Quote, triggered: boolean): number | null {
  const buy = order.side === 'buy';
  switch (order.type) {
    case 'market':
      return buy ? q.ask : q.bid;
    case 'limit': {
      const limit = order.limitPrice!;
      if (buy) return q.ask <= limit ? q.ask : null;
      return q.bid >= limit ? q.bid : null;
    }
    case 'stop': {
      const stop = order.stopPrice!;
      if (buy) return triggered || q.ask >= stop ? q.ask : null;
      return triggered || q.bid <= stop ? q.bid : null;
    }
  }
}
