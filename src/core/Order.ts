export const OrderSide = { Buy: 'buy', Sell: 'sell' } as const;
export type OrderSide = (typeof OrderSide)[keyof typeof OrderSide];

export const OrderType = { Market: 'market', Limit: 'limit', Stop: 'stop' } as const;
export type OrderType = (typeof OrderType)[keyof typeof OrderType];

/** Alpaca's day orders expire at the close; gtc orders stay until filled or canceled. */
export const TimeInForce = { Day: 'day', Gtc: 'gtc' } as const;
export type TimeInForce = (typeof TimeInForce)[keyof typeof TimeInForce];

/** The statuses the daemon tracks, named as Alpaca names them. */
export const OrderStatus = {
  New: 'new',
  PartiallyFilled: 'partially_filled',
  Filled: 'filled',
  Canceled: 'canceled',
  Expired: 'expired',
  Rejected: 'rejected',
} as const;
export type OrderStatus = (typeof OrderStatus)[keyof typeof OrderStatus];

/** A terminal order never changes again: no more fills can arrive for it. */
export function isTerminal(status: OrderStatus): boolean {
  return status === OrderStatus.Filled || status === OrderStatus.Canceled || status === OrderStatus.Expired || status === OrderStatus.Rejected;
}

/** What a strategy asks for. It becomes an order only if the RiskGate allows it. */
export interface OrderIntent {
  readonly symbol: string;
  readonly side: OrderSide;
  readonly qty: number;
  readonly type: OrderType;
  readonly limitPrice?: number;
  readonly stopPrice?: number;
  readonly timeInForce?: TimeInForce;
  /** Free text saved with the order, e.g. "cross up". */
  readonly reason?: string;
  /**
   * Protective exits attached to an entry (Alpaca's bracket): once the entry is completely filled, a
   * stop at `stopLoss` and a limit at `takeProfit` close the position, whichever comes first (the
   * other is canceled). They are the venue's orders: a paused breaker never blocks them.
   */
  readonly bracket?: { readonly stopLoss?: number; readonly takeProfit?: number; readonly trail?: Trail };
  /** A trailing stop (a sell whose stop follows the highest price since it was placed). */
  readonly trail?: Trail;
  /**
   * Close the position: a sell of whatever the strategy holds in the symbol when the order goes
   * out, after its other orders there (entries, exits, protective legs) are canceled and done. It
   * can never sell more than is held, so it never opens a short.
   */
  readonly closeAll?: boolean;
}

/**
 * The protective exits of an entry: a bracket's stop-loss (`sl`) and take-profit (`tp`), opened by
 * the venue once the entry fills, and a trailing stop (`ts`) the daemon sends once it fills (Alpaca's
 * brackets take no trailing stop). Their client order ids are the entry's with the suffix.
 */
export const LegKind = { StopLoss: 'sl', TakeProfit: 'tp', TrailingStop: 'ts' } as const;
export type LegKind = (typeof LegKind)[keyof typeof LegKind];

/** How far a trailing stop stays under the high-water mark: a fraction (`percent`: 0.05 = 5 %) or dollars (`price`). */
export interface Trail {
  readonly percent?: number;
  readonly price?: number;
}

/** An intent the RiskGate allowed, named by a client order id that says which strategy sent it. */
export interface OrderRequest extends OrderIntent {
  readonly clientOrderId: string;
  readonly strategyId: string;
  readonly timeInForce: TimeInForce;
  /** A protective exit: the entry it protects (client order id) and which exit it is. */
  readonly parent?: string;
  readonly leg?: LegKind;
}

/** The broker's view of an order. */
export interface Order {
  readonly id: string;
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly qty: number;
  readonly limitPrice: number | null;
  readonly stopPrice: number | null;
  readonly timeInForce: TimeInForce;
  readonly status: OrderStatus;
  readonly filledQty: number;
  /** Volume-weighted price of the fills so far, null before the first. */
  readonly filledAvgPrice: number | null;
  readonly submittedAt: number;
  readonly updatedAt: number;
}
