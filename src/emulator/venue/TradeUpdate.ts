import type { OrderRecord } from './OrderRecord.js';

export type TradeUpdateEvent = 'new' | 'fill' | 'partial_fill' | 'canceled' | 'expired' | 'rejected' | 'replaced';

/**
 * One message of Alpaca's `trade_updates` stream. `price` and `qty` are the execution's (one fill),
 * `positionQty` the position after it; the order carries the cumulative `filled_qty` and average price.
 */
export interface TradeUpdate {
  readonly event: TradeUpdateEvent;
  readonly order: OrderRecord;
  readonly timestamp: number;
  readonly execution?: { readonly id: string; readonly price: number; readonly qty: number; readonly positionQty: number };
}
