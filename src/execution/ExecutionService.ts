import type { Logger } from 'pino';
import type { Broker } from '../broker/Broker.js';
import type { Clock } from '../core/Clock.js';
import type { DaemonEvents } from '../core/DaemonEvents.js';
import type { EventBus } from '../core/EventBus.js';
import { isTerminal, type OrderIntent, type OrderRequest, type OrderSide } from '../core/Order.js';
import type { OrderEvent } from '../core/OrderEvent.js';
import type { OpenOrderRef } from '../risk/rules/noWashTrade.js';
import { clientOrderId, strategyOfClientOrderId } from './clientOrderId.js';

interface InFlight extends OpenOrderRef {
  readonly symbol: string;
}

/** Orders in flight and held, and the next sequence number, for the state file. */
export interface ExecutionData {
  readonly seq: number;
  readonly inFlight: readonly InFlight[];
  readonly held: readonly OrderRequest[];
}

/**
 * Sends allowed intents to the broker under a client order id that names the strategy, keeps the
 * book of orders in flight, and attributes every broker event to the strategy that owns the order.
 * An event for an order nobody owns is reported, never absorbed. An order facing an opposite order
 * on its symbol (only exits get this far: the wash-trade rule denies entries) is held back until
 * that order is done, since Alpaca would refuse it.
 */
export class ExecutionService {
  readonly #broker: Broker;
  readonly #bus: EventBus<DaemonEvents>;
  readonly #clock: Clock;
  readonly #runId: string;
  readonly #log: Logger;
  readonly #inFlight = new Map<string, InFlight>();
  /** The same orders by symbol: the wash-trade check asks per order, thousands of orders may be out. */
  readonly #bySymbol = new Map<string, InFlight[]>();
  readonly #held: OrderRequest[] = [];
  readonly #known: ReadonlySet<string>;
  #seq: number;
  #unsubscribe: (() => void) | null = null;
  #halted = false;
  readonly #mayRelease: (request: OrderRequest) => boolean;

  constructor(deps: {
    broker: Broker;
    bus: EventBus<DaemonEvents>;
    clock: Clock;
    runId: string;
    strategyIds: readonly string[];
    logger: Logger;
    nextSeq?: number;
    /** Whether a held order may go out now (the circuit breakers may have halted its strategy); default yes. */
    mayRelease?: (request: OrderRequest) => boolean;
  }) {
    this.#broker = deps.broker;
    this.#bus = deps.bus;
    this.#clock = deps.clock;
    this.#runId = deps.runId;
    this.#known = new Set(deps.strategyIds);
    this.#log = deps.logger;
    this.#seq = deps.nextSeq ?? 1;
    this.#mayRelease = deps.mayRelease ?? (() => true);
  }

  /** Starts listening to the broker's order events. */
  start(): void {
    this.#unsubscribe ??= this.#broker.onOrderEvent((e) => this.#onEvent(e));
  }

  /** Sends nothing more (held orders stay held, for the state file) but still hears the broker. */
  halt(): void {
    this.#halted = true;
  }

  stop(): void {
    this.#halted = true;
    this.#unsubscribe?.();
    this.#unsubscribe = null;
  }

  /** The sequence number the next client order id will carry (saved in snapshots). */
  get nextSeq(): number {
    return this.#seq;
  }

  get inFlight(): number {
    return this.#inFlight.size;
  }

  toData(): ExecutionData {
    return { seq: this.#seq, inFlight: [...this.#inFlight.values()], held: [...this.#held] };
  }

  restore(d: ExecutionData): void {
    this.#seq = d.seq;
    this.#inFlight.clear();
    this.#bySymbol.clear();
    for (const o of d.inFlight) this.#track(o);
    this.#held.length = 0;
    this.#held.push(...d.held);
  }

  /** Orders of every strategy at the broker (or held back) on `symbol`. */
  openOrders(symbol: string): OpenOrderRef[] {
    return [...(this.#bySymbol.get(symbol) ?? [])];
  }

  /** The oldest order of any strategy on `symbol` on the other side of `side` (at the broker or held). */
  opposite(symbol: string, side: OrderSide): OpenOrderRef | undefined {
    const list = this.#bySymbol.get(symbol);
    if (list === undefined) return undefined;
    for (let i = 0; i < list.length; i++) if (list[i]!.side !== side) return list[i];
    return undefined;
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
      bracket: intent.bracket,
      trail: intent.trail,
      strategyId,
      clientOrderId: clientOrderId(strategyId, this.#runId, this.#seq++),
    };
    const blocker = this.#opposite(request);
    // Recorded before the broker hears of it, so an instant fill is attributed.
    this.#track({ clientOrderId: request.clientOrderId, strategyId, symbol: request.symbol, side: request.side, qty: request.qty });
    if (blocker !== undefined) {
      this.#held.push(request);
      this.#log.info({ clientOrderId: request.clientOrderId, blocker: blocker.clientOrderId }, `${request.side} ${request.qty} ${request.symbol} held until ${blocker.clientOrderId} is done (Alpaca refuses opposite orders on a symbol)`);
      return request;
    }
    this.#transmit(request);
    return request;
  }

  #transmit(request: OrderRequest): void {
    this.#bus.emit('order.submitted', { strategyId: request.strategyId, request, time: this.#clock.now() });
    if (this.#log.isLevelEnabled('debug')) this.#log.debug({ clientOrderId: request.clientOrderId, request }, 'order sent');
    this.#broker.submit(request);
  }

  /** An order of the other side on the same symbol, at the broker (not held). */
  #opposite(r: OrderRequest): InFlight | undefined {
    const list = this.#bySymbol.get(r.symbol);
    if (list === undefined) return undefined;
    for (const o of list) if (o.side !== r.side && !this.#isHeld(o.clientOrderId)) return o;
    return undefined;
  }

  #track(o: InFlight): void {
    this.#inFlight.set(o.clientOrderId, o);
    const list = this.#bySymbol.get(o.symbol);
    if (list === undefined) this.#bySymbol.set(o.symbol, [o]);
    else list.push(o);
  }

  /** Done (filled, canceled, expired, rejected): no longer in flight. */
  #untrack(clientOrderId: string): boolean {
    const o = this.#inFlight.get(clientOrderId);
    if (o === undefined) return false;
    this.#inFlight.delete(clientOrderId);
    const list = this.#bySymbol.get(o.symbol)!;
    list.splice(list.indexOf(o), 1);
    if (list.length === 0) this.#bySymbol.delete(o.symbol);
    return true;
  }

  #isHeld(clientOrderId: string): boolean {
    return this.#held.length > 0 && this.#held.some((h) => h.clientOrderId === clientOrderId);
  }

  /** Sends the held orders whose opposite orders are done and that may go, oldest first. */
  releaseHeld(): void {
    if (this.#held.length > 0) this.#release();
  }

  #release(): void {
    if (this.#halted) return;
    for (let i = 0; i < this.#held.length; ) {
      const r = this.#held[i]!;
      if (this.#opposite(r) !== undefined || !this.#mayRelease(r)) {
        i++;
        continue;
      }
      this.#held.splice(i, 1);
      this.#transmit(r);
    }
  }

  #onEvent(event: OrderEvent): void {
    const cid = event.order.clientOrderId;
    let owner = this.#inFlight.get(cid)?.strategyId;
    if (owner === undefined) {
      const parsed = strategyOfClientOrderId(cid);
      if (parsed !== null && this.#known.has(parsed)) owner = parsed;
    }
    const done = isTerminal(event.order.status) && this.#untrack(cid);
    if (owner === undefined) {
      this.#log.warn({ clientOrderId: cid, kind: event.kind, symbol: event.order.symbol }, 'broker event for an order no strategy owns');
      this.#bus.emit('order.unattributed', { event });
      return;
    }
    this.#bus.emit('order.update', { strategyId: owner, event });
    if (done && this.#held.length > 0) this.#release();
  }
}
