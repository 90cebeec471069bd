import type { OrderSide, OrderType, TimeInForce } from '../../core/Order.js';

/** A POST /v2/orders body, parsed and checked for shape (the venue checks it against the account). */
export interface NewOrder {
  readonly symbol: string;
  readonly qty: number;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly timeInForce: TimeInForce;
  readonly limitPrice?: number;
  readonly stopPrice?: number;
  readonly clientOrderId?: string;
  readonly extendedHours: boolean;
  /** `type: trailing_stop` (a stop order here): `percent` a fraction (Alpaca's trail_percent / 100) or `price` in dollars. */
  readonly trail?: { readonly percent?: number; readonly price?: number };
  /** `order_class: bracket` (both exits) or `oto` (one): the exits opened once the entry is filled. */
  readonly bracket?: { readonly stopLoss?: number; readonly takeProfit?: number };
}

/** A PATCH /v2/orders/{id} body. */
export interface OrderChanges {
  readonly qty?: number;
  readonly timeInForce?: TimeInForce;
  readonly limitPrice?: number;
  readonly stopPrice?: number;
  readonly clientOrderId?: string;
}
