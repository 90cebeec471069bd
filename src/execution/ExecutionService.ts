import type { Logger } from 'pino';
import type { Broker } from '../broker/Broker.js';
import type { Clock } from '../core/Clock.js';
import type { DaemonEvents } from '../core/DaemonEvents.js';
import type { EventBus } from '../core/EventBus.js';
import { isTerminal, type OrderIntent, type OrderRequest } from '../core/Order.js';
import type { OrderEvent } from '../core/OrderEvent.js';
import { clientOrderId, strategyOfClientOrderId } from './clientOrderId.js';

/**
 * Sends allowed intents to the broker under a client order id that names the strategy, keeps the
 * book of orders in flight, and attributes every broker event to the strategy that owns the order.
 * An event for an order nobody owns is reported, never absorbed.
 */
export class ExecutionService {
  readonly #broker: Broker;
  readonly #bus: EventBus<DaemonEvents>;
  readonly #clock: Clock;
  readonly #runId: string;
  readonly #log: Logger;
  readonly #owners = new Map<string, string>();
  readonly #known: ReadonlySet<string>;
  #seq: number;
  #unsubscribe: (() => void) | null = null;

  constructor(deps: {
    broker: Broker;
    bus: EventBus<DaemonEvents>;
    clock: Clock;
    runId: string;
    strategyIds: readonly string[];
    logger: Logger;
    nextSeq?: number;
  }) {
    this.#broker = deps.broker;
    this.#bus = deps.bus;
    this.#clock = deps.clock;
    this.#runId = deps.runId;
    this.#known = new Set(deps.strategyIds);
    this.#log = deps.logger;
    this.#seq = deps.nextSeq ?? 1;
  }

  /** Starts listening to the broker's order events. */
  start(): void {
    this.#unsubscribe ??= this.#broker.onOrderEvent((e) => this.#onEvent(e));
  }

  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
  }

  /** The sequence number the next client order id will carry (saved in snapshots). */
  get nextSeq(): number {
    return this.#seq;
  }

  get inFlight(): number {
    return this.#owners.size;
  }

  /** Called only by the RiskGate, after every rule passed. */
  send(strategyId: string, intent: OrderIntent): OrderRequest {
    // Built field by field: one object shape for every request keeps this path fast.
    const request: OrderRequest = {
      symbol: intent.symbol,
      side: intent.side,
      qty: intent.qty,
      type: intent.type,
      limitPrice: intent.limitPrice,
      stopPrice: intent.stopPrice,
      timeInForce: intent.timeInForce ?? 'day',
      reason: intent.reason,
      strategyId,
      clientOrderId: clientOrderId(strategyId, this.#runId, this.#seq++),
    };
    // Recorded before the broker hears of it, so an instant fill is attributed.
    this.#owners.set(request.clientOrderId, strategyId);
    this.#bus.emit('order.submitted', { strategyId, request, time: this.#clock.now() });
    if (this.#log.isLevelEnabled('debug')) this.#log.debug({ clientOrderId: request.clientOrderId, intent }, 'order sent');
    this.#broker.submit(request);
    return request;
  }

  #onEvent(event: OrderEvent): void {
    const cid = event.order.clientOrderId;
    let owner = this.#owners.get(cid);
    if (owner === undefined) {
      const parsed = strategyOfClientOrderId(cid);
      if (parsed !== null && this.#known.has(parsed)) owner = parsed;
    }
    if (isTerminal(event.order.status)) this.#owners.delete(cid);
    if (owner === undefined) {
      this.#log.warn({ clientOrderId: cid, kind: event.kind, symbol: event.order.symbol }, 'broker event for an order no strategy owns');
      this.#bus.emit('order.unattributed', { event });
      return;
    }
    this.#bus.emit('order.update', { strategyId: owner, event });
  }
}
