import type { OrderSide } from '../../core/Order.js';

/** Alpaca's order types (`trailing_stop`: a stop whose price follows the high-water mark). */
export type WireType = 'market' | 'limit' | 'stop' | 'stop_limit' | 'trailing_stop';
/** Alpaca's times in force for equities. */
export type WireTif = 'day' | 'gtc' | 'opg' | 'cls' | 'ioc' | 'fok';
/** `` (simple), or a group: a bracket (entry and two exits), OTO (entry and one exit), OCO (two exits). */
export type OrderClass = '' | 'bracket' | 'oto' | 'oco';

/** A POST /v2/orders body, parsed and checked for shape (the venue checks it against the account). */
export interface NewOrder {
  readonly symbol: string;
  /** Shares (fractional only on market and limit day orders); absent for a notional order. */
  readonly qty?: number;
  /** Dollars to trade (a market day order): the venue sizes it from the quote. */
  readonly notional?: number;
  readonly side: OrderSide;
  readonly type: WireType;
  readonly timeInForce: WireTif;
  /** A limit's price; a stop-limit's limit; an OCO's take-profit. */
  readonly limitPrice?: number;
  readonly stopPrice?: number;
  readonly clientOrderId?: string;
  readonly extendedHours: boolean;
  /** `type: trailing_stop`: `percent` a fraction (Alpaca's trail_percent / 100) or `price` in dollars. */
  readonly trail?: { readonly percent?: number; readonly price?: number };
  /** Default `` (a simple order). */
  readonly orderClass?: OrderClass;
  /** A bracket's, OTO's or OCO's take-profit limit. */
  readonly takeProfit?: number;
  /** A bracket's, OTO's or OCO's stop-loss: a stop, or a stop-limit with `limitPrice`. */
  readonly stopLoss?: { readonly stopPrice: number; readonly limitPrice?: number };
}

/** A PATCH /v2/orders/{id} body. */
export interface OrderChanges {
  readonly qty?: number;
  readonly timeInForce?: 'day' | 'gtc';
  readonly limitPrice?: number;
  readonly stopPrice?: number;
  readonly clientOrderId?: string;
}
