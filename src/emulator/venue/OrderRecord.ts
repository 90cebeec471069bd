import type { Order } from '../../core/Order.js';
import type { OrderClass, WireTif, WireType } from './NewOrder.js';

/**
 * Alpaca's order statuses the emulator produces (`accepted`: received while its session is closed, not
 * yet routed; `held`: a bracket / OTO exit waiting for its entry to be completely filled).
 */
export type AlpacaOrderStatus = 'accepted' | 'new' | 'held' | 'partially_filled' | 'filled' | 'canceled' | 'expired' | 'rejected' | 'replaced';

/**
 * An order as Alpaca shows it: the matching engine's order (or, for an OCO exit, one the venue keeps:
 * the pair is one order in the engine) plus what Alpaca reports that the engine does not model: the
 * type and time in force as asked, the notional, the lifecycle times.
 */
export interface OrderRecord {
  order: Order;
  status: AlpacaOrderStatus;
  readonly assetId: string;
  readonly extendedHours: boolean;
  readonly type: WireType;
  readonly timeInForce: WireTif;
  /** Dollars asked for (a notional order, whose `qty` Alpaca shows as null). */
  readonly notional: number | null;
  /** The limit of a stop-limit exit the engine keeps as a stop (the venue applies it once triggered). */
  readonly stopLimitPrice: number | null;
  readonly createdAt: number;
  updatedAt: number;
  filledAt: number | null;
  canceledAt: number | null;
  expiredAt: number | null;
  failedAt: number | null;
  replacedAt: number | null;
  replacedBy: string | null;
  readonly replaces: string | null;
  /** `bracket` / `oto` / `oco` for every order of such a group, `` for a simple order. */
  readonly orderClass: OrderClass;
  /** A group's other orders under its parent (an entry's exits, an OCO take-profit's stop-loss). */
  legs: string[];
  /** An exit's parent (order id); null for any other order. */
  parentId: string | null;
  /** A trailing stop's trail (`percent` a fraction, or `price`), and its high-water mark now. */
  readonly trail: { readonly percent?: number; readonly price?: number } | null;
  hwm: number | null;
}

/** Statuses after which an order never changes again. */
export function isFinal(status: AlpacaOrderStatus): boolean {
  return status === 'filled' || status === 'canceled' || status === 'expired' || status === 'rejected' || status === 'replaced';
}

/** A copy, so an update sent later on the stream shows the order as it was at that event. */
export function copyRecord(r: OrderRecord): OrderRecord {
  return { ...r, legs: [...r.legs] };
}
