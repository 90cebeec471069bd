import type { Fill } from './Fill.js';
import type { Order } from './Order.js';

/** What a broker reports about an order, named after Alpaca's trade-update events. */
export const OrderEventKind = {
  New: 'new',
  PartialFill: 'partial_fill',
  Fill: 'fill',
  Canceled: 'canceled',
  Expired: 'expired',
  Rejected: 'rejected',
} as const;
export type OrderEventKind = (typeof OrderEventKind)[keyof typeof OrderEventKind];

export type OrderEvent =
  | { readonly kind: 'new'; readonly order: Order; readonly time: number }
  | { readonly kind: 'partial_fill' | 'fill'; readonly order: Order; readonly fill: Fill; readonly time: number }
  | { readonly kind: 'canceled' | 'expired'; readonly order: Order; readonly time: number }
  | { readonly kind: 'rejected'; readonly order: Order; readonly reason: string; readonly time: number };
