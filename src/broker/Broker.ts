import type { Order, OrderRequest } from '../core/Order.js';
import type { OrderEvent } from '../core/OrderEvent.js';
import type { Position } from '../core/Position.js';

/** The broker account as the broker reports it. */
export interface BrokerAccount {
  readonly cash: number;
  /** cash + market value of positions. */
  readonly equity: number;
  readonly buyingPower: number;
}

/**
 * The only door to a venue. Submission is fire-and-forget: every outcome (accepted, filled, partially
 * filled, canceled, rejected) comes back through `onOrderEvent`, exactly as Alpaca's trade-update
 * stream reports it, so the simulated and the real broker are driven the same way.
 * Nothing but the ExecutionService calls `submit` or `cancel`; nothing but the RiskGate reaches it.
 */
export interface Broker {
  submit(request: OrderRequest): void;
  cancel(orderId: string): void;
  getAccount(): Promise<BrokerAccount>;
  getPositions(): Promise<Position[]>;
  getOpenOrders(): Promise<Order[]>;
  /** Subscribes to order events; returns the function that unsubscribes. */
  onOrderEvent(listener: (event: OrderEvent) => void): () => void;
}
