import type { Bar } from '../../core/Bar.js';
import { BrokerRejectError } from '../../core/errors.js';
import type { OrderRequest } from '../../core/Order.js';
import type { OrderEvent } from '../../core/OrderEvent.js';
import type { Position } from '../../core/Position.js';
import type { Broker, BrokerAccount, VenueOrderSummary } from '../Broker.js';
import { orderFromRequest } from '../orderFromRequest.js';
import type { MatchingEngine } from './MatchingEngine.js';

/**
 * The Broker port over the in-process matching engine. A refused submission becomes a `rejected`
 * order event, as Alpaca's refusal becomes one in AlpacaBroker, so callers handle one path.
 */
export class SimBroker implements Broker {
  readonly #venue: MatchingEngine;
  /** Replaced, never mutated, on (un)subscribe: an emit walks it without a copy. */
  #listeners: ReadonlyArray<(event: OrderEvent) => void> = [];

  constructor(venue: MatchingEngine) {
    this.#venue = venue;
    venue.onEvent((e) => this.#emit(e));
  }

  /** Market data reaches the venue through here, before the strategies see the bar. */
  onBar(bar: Bar): void {
    this.#venue.onBar(bar);
  }

  submit(request: OrderRequest): void {
    try {
      this.#venue.submit(request);
    } catch (error) {
      if (!(error instanceof BrokerRejectError)) throw error;
      const now = this.#venue.now();
      const order = orderFromRequest(request, `rejected-${request.clientOrderId}`, 'rejected', now);
      this.#emit({ kind: 'rejected', order, reason: error.message, time: now });
    }
  }

  cancel(orderId: string): void {
    this.#venue.cancel(orderId);
  }

  getAccount(): Promise<BrokerAccount> {
    return Promise.resolve(this.#venue.account());
  }

  getPositions(): Promise<Position[]> {
    return Promise.resolve(this.#venue.positions());
  }

  getOpenOrders(): Promise<VenueOrderSummary[]> {
    return Promise.resolve(this.#venue.openOrders().map((o) => ({ id: o.id, clientOrderId: o.clientOrderId, symbol: o.symbol, side: o.side, type: o.type, qty: o.qty, status: o.status })));
  }

  onOrderEvent(listener: (event: OrderEvent) => void): () => void {
    this.#listeners = [...this.#listeners, listener];
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== listener);
    };
  }

  #emit(event: OrderEvent): void {
    const listeners = this.#listeners;
    for (let i = 0; i < listeners.length; i++) listeners[i]!(event);
  }
}
