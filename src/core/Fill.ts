import type { OrderSide } from './Order.js';

/** One execution. A partially filled order produces several. */
export interface Fill {
  readonly executionId: string;
  readonly orderId: string;
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly qty: number;
  readonly price: number;
  readonly commission: number;
  readonly time: number;
}
