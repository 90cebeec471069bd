import type { Bar } from '../../core/Bar.js';
import type { OrderSide, OrderType } from '../../core/Order.js';

export interface PricedOrder {
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly limitPrice: number | null;
  readonly stopPrice: number | null;
}

/**
 * The price at which an order fills on `bar`, before slippage, or null when the bar does not reach it
 * (backtrader's rules):
 * - market: the open;
 * - limit buy: the open if it opens at or below the limit, else the limit if the low touches it
 *   (limit sell mirrored);
 * - stop buy: the open if it opens at or above the stop (a gap through it), else the stop if the
 *   high touches it (stop sell mirrored).
 */
export function fillPrice(order: PricedOrder, bar: Bar): number | null {
  const { open, high, low } = bar;
  switch (order.type) {
    case 'market':
      return open;
    case 'limit': {
      const limit = order.limitPrice!;
      if (order.side === 'buy') return open <= limit ? open : low <= limit ? limit : null;
      return open >= limit ? open : high >= limit ? limit : null;
    }
    case 'stop': {
      const stop = order.stopPrice!;
      if (order.side === 'buy') return open >= stop ? open : high >= stop ? stop : null;
      return open <= stop ? open : low <= stop ? stop : null;
    }
  }
}
