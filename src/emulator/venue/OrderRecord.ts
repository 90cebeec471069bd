import type { Order } from '../../core/Order.js';

/**
 * Alpaca's order statuses the emulator produces (`accepted`: received while the market is closed, not
 * yet routed; `held`: a bracket / OTO exit waiting for its entry to be completely filled).
 */
export type AlpacaOrderStatus = 'accepted' | 'new' | 'held' | 'partially_filled' | 'filled' | 'canceled' | 'expired' | 'rejected' | 'replaced';

/** An order as Alpaca shows it: the matching engine's order plus the lifecycle times Alpaca reports. */
export interface OrderRecord {
  order: Order;
  status: AlpacaOrderStatus;
  readonly assetId: string;
  readonly extendedHours: boolean;
  readonly createdAt: number;
  updatedAt: number;
  filledAt: number | null;
  canceledAt: number | null;
  expiredAt: number | null;
  failedAt: number | null;
  replacedAt: number | null;
  replacedBy: string | null;
  readonly replaces: string | null;
  /** `bracket` / `oto` for such an entry and its exits, `` for a simple order. */
  readonly orderClass: '' | 'bracket' | 'oto';
  /** A bracket / OTO entry's exits (order ids), created with it. */
  legs: string[];
  /** An exit's entry (order id); null for any other order. */
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
