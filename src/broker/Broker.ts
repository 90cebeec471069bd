import type { OrderRequest } from '../core/Order.js';
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
 * An open order as the venue lists it, whatever its shape: the daemon's own, or one placed by hand
 * or by another program (a stop-limit, a notional or multi-leg order…), which is reported, never
 * traded on. Fields the venue left empty are empty strings or null.
 */
export interface VenueOrderSummary {
  readonly id: string;
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: string;
  readonly type: string;
  readonly qty: number | null;
  readonly status: string;
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
  getOpenOrders(): Promise<VenueOrderSummary[]>;
  /** Subscribes to order events; returns the function that unsubscribes. */
  onOrderEvent(listener: (event: OrderEvent) => void): () => void;
}
