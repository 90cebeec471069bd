import type { Logger } from 'pino';
import type { Broker } from '../broker/Broker.js';
import { orderFromRequest } from '../broker/orderFromRequest.js';
import type { Clock } from '../core/Clock.js';
import type { DaemonEvents } from '../core/DaemonEvents.js';
import type { EventBus } from '../core/EventBus.js';
import { isTerminal, type LegKind, type OrderIntent, type OrderRequest, type OrderSide } from '../core/Order.js';
import type { OrderEvent } from '../core/OrderEvent.js';
import type { OpenOrderRef } from '../risk/rules/noWashTrade.js';
import { clientOrderId, parseClientOrderId } from './clientOrderId.js';
import { OrdersInFlight, type InFlightOrder } from './OrdersInFlight.js';
import { trailingStopOf, venueRequestOf } from './protectiveExits.js';

/** An order held back, and what it waits for. */
export interface HeldOrder {
  readonly request: OrderRequest;
  /** The strategy's own orders it waits to see done (their cancels are asked for when it is held). */
  readonly waitFor: readonly string[];
  /** A trailing stop waiting for its entry (client order id) to end with shares filled; null once it may go. */
  readonly after: string | null;
}

/** Orders in flight and held, and the next sequence number, for the state file. */
export interface ExecutionData {
  readonly seq: number;
  readonly inFlight: readonly InFlightOrder[];
  readonly held: readonly HeldOrder[];
}

interface Held {
  request: OrderRequest;
  readonly waitFor: readonly string[];
  after: string | null;
}

const NONE: readonly string[] = [];

/**
 * Sends allowed intents to the broker under a client order id that names the strategy, keeps the
 * book of orders in flight, and attributes every broker event to the strategy that owns the order.
 * An event for an order nobody owns is reported, never absorbed.
 *
 * Holds: an order facing an opposite order on its symbol (only exits get this far: the wash-trade
 * rule denies entries) waits until that order is done, since Alpaca would refuse it. An exit first
 * cancels its strategy's protective exits on the symbol (they hold the shares it sells) and waits
 * for them to be done; closing a position (`closeAll`) cancels every order of the strategy on the
 * symbol first. A sell that goes out after waiting sells no more than the strategy then holds.
 *
 * Protective exits are orders like any other: a bracket's stop-loss and take-profit are in flight
 * from the moment their entry is sent (the venue opens them when it fills), a trailing stop is held
 * until its entry fills and then sent for the shares filled. They belong to the entry's strategy.
 */
export class ExecutionService {
  readonly #broker: Broker;
  readonly #bus: EventBus<DaemonEvents>;
  readonly #clock: Clock;
  readonly #runId: string;
  readonly #log: Logger;
  readonly #orders = new OrdersInFlight();
  #held: Held[] = [];
  readonly #known: ReadonlySet<string>;
  /** The runs whose orders are the daemon's: this one and the earlier runs of its state directory. */
  readonly #runs: Set<string>;
  #seq: number;
  readonly #unsubscribe: Array<() => void> = [];
  #halted = false;
  #releasing = false;
  #again = false;
  readonly #mayRelease: (request: OrderRequest) => boolean;
  readonly #position: ((strategyId: string, symbol: string) => number) | null;

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
    /** The shares a strategy holds in a symbol now (its ledger): a held sell never sells more. */
    position?: (strategyId: string, symbol: string) => number;
    /** Earlier runs of this state directory (RunRegistry): their orders are the daemon's too. */
    runs?: readonly string[];
  }) {
    this.#broker = deps.broker;
    this.#bus = deps.bus;
    this.#clock = deps.clock;
    this.#runId = deps.runId;
    this.#known = new Set(deps.strategyIds);
    this.#runs = new Set([deps.runId, ...(deps.runs ?? [])]);
    this.#log = deps.logger;
    this.#seq = deps.nextSeq ?? 1;
    this.#mayRelease = deps.mayRelease ?? (() => true);
    this.#position = deps.position ?? null;
  }

  /** Starts listening to the broker's order events. */
  start(): void {
    if (this.#unsubscribe.length > 0) return;
    this.#halted = false;
    this.#unsubscribe.push(
      this.#broker.onOrderEvent((e) => this.#onEvent(e)),
      // After the ledgers booked the event that ended an order (the bus is first in, first out).
      this.#bus.on('orders.settled', () => this.#release()),
    );
  }

  /** Sends nothing more (held orders stay held, for the state file) but still hears the broker. */
  halt(): void {
    this.#halted = true;
  }

  stop(): void {
    this.#halted = true;
    for (const u of this.#unsubscribe.splice(0)) u();
  }

  /** The sequence number the next client order id will carry (saved in snapshots). */
  get nextSeq(): number {
    return this.#seq;
  }

  get inFlight(): number {
    return this.#orders.size;
  }

  /**
   * Whether a client order id is the daemon's: in flight, or naming a strategy it runs and a run of
   * its state directory. Anything else is someone else's, whatever its shape.
   */
  isOurs(clientOrderId: string): boolean {
    return this.#orders.has(clientOrderId) || this.#ownerByName(clientOrderId) !== undefined;
  }

  /** Runs of this state directory a restored state names (an upgraded file knows no registry). */
  addRuns(runs: Iterable<string>): void {
    for (const r of runs) this.#runs.add(r);
  }

  #ownerByName(cid: string): string | undefined {
    const p = parseClientOrderId(cid);
    return p !== null && this.#known.has(p.strategyId) && this.#runs.has(p.run) ? p.strategyId : undefined;
  }

  /** Whether `clientOrderId` is one of the daemon's orders in flight (protective exits included). */
  isInFlight(clientOrderId: string): boolean {
    return this.#orders.has(clientOrderId);
  }

  toData(): ExecutionData {
    return {
      seq: this.#seq,
      inFlight: this.#orders.list().map((o) => ({ ...o })),
      held: this.#held.map((h) => ({ request: h.request, waitFor: [...h.waitFor], after: h.after })),
    };
  }

  restore(d: ExecutionData): void {
    this.#seq = d.seq;
    this.#orders.clear();
    for (const o of d.inFlight) this.#orders.add({ ...o });
    this.#held = d.held.map((h) => ({ request: h.request, waitFor: [...h.waitFor], after: h.after }));
  }

  /**
   * An order sent after the state file was written (read back from the order journal at a
   * restart): in flight again, with its protective exits, so its events are attributed.
   */
  adopt(request: OrderRequest): void {
    // A trailing stop journaled as sent: no longer owed (its entry's record made it a held one).
    const owed = this.#held.findIndex((h) => h.request.clientOrderId === request.clientOrderId);
    if (owed !== -1 && request.leg === 'ts') this.#held.splice(owed, 1);
    if (this.#orders.has(request.clientOrderId)) return;
    this.#register(request);
  }

  /** Asks again for the cancels a restart may have cut short (the venue ignores a cancel of a finished order). */
  resumeCancels(): void {
    for (const o of this.#orders.list()) if (o.cancel && o.orderId !== null) this.#broker.cancel(o.orderId);
  }

  /** Orders of every strategy at the broker (or held back) on `symbol`. */
  openOrders(symbol: string): OpenOrderRef[] {
    return [...this.#orders.onSymbol(symbol)];
  }

  /** The oldest order of any strategy on `symbol` on the other side of `side` (at the broker, held, or a protective exit). */
  opposite(symbol: string, side: OrderSide): OpenOrderRef | undefined {
    const list = this.#orders.onSymbol(symbol);
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
      // Protective exits last until they are used: a bracket goes good-till-canceled (Alpaca's legs
      // take their entry's duration; a day bracket's stop would end at the close).
      timeInForce: intent.timeInForce ?? (intent.bracket === undefined ? 'day' : 'gtc'),
      reason: intent.reason,
      bracket: intent.bracket,
      trail: intent.trail,
      closeAll: intent.closeAll,
      parent: undefined,
      leg: undefined,
      strategyId,
      clientOrderId: clientOrderId(strategyId, this.#runId, this.#seq++),
    };
    // Recorded before the broker hears of it, so an instant fill is attributed.
    this.#register(request);
    const venueRequest = venueRequestOf(request);
    const waitFor = request.side === 'sell' ? this.#toCancelBefore(request) : NONE;
    const blocker = this.#opposite(request);
    if (waitFor.length > 0 || blocker !== undefined) {
      this.#held.push({ request: venueRequest, waitFor, after: null });
      for (const cid of waitFor) this.#cancel(cid);
      this.#log.info(
        { clientOrderId: request.clientOrderId, blocker: blocker?.clientOrderId, waitFor },
        blocker !== undefined
          ? `${request.side} ${request.qty} ${request.symbol} held until ${blocker.clientOrderId} is done (Alpaca refuses opposite orders on a symbol)`
          : `${request.side} ${request.symbol} held until ${waitFor.join(', ')} ${waitFor.length === 1 ? 'is' : 'are'} canceled (${request.closeAll === true ? 'closing the position' : 'its protective exits hold the shares'})`,
      );
      return request;
    }
    const sized = this.#sized(venueRequest);
    if (sized === null) this.#dropped(venueRequest, 'nothing to sell');
    else this.#transmit(sized);
    return request;
  }

  /** Cancels the strategy's orders that add exposure (buys), at the broker or held: a circuit breaker tripped. */
  cancelEntries(strategyId: string): number {
    return this.#cancelWhere((o) => o.strategyId === strategyId && o.side === 'buy' && o.leg === null);
  }

  /** Cancels every order of the strategy, protective exits included (flatten). */
  cancelAll(strategyId: string): number {
    return this.#cancelWhere((o) => o.strategyId === strategyId);
  }

  /** Sends the held orders whose waits are over and that may go, oldest first. */
  releaseHeld(): void {
    if (this.#held.length > 0) this.#release();
  }

  #cancelWhere(match: (o: InFlightOrder) => boolean): number {
    const chosen = this.#orders.list().filter(match);
    for (const o of chosen) this.#cancel(o.clientOrderId);
    if (chosen.length > 0 && this.#held.length > 0) this.#bus.emit('orders.settled', {});
    return chosen.length;
  }

  /** Tracks a new order with its protective exits (a bracket's legs, a held trailing stop). */
  #register(r: OrderRequest): void {
    this.#orders.add({ clientOrderId: r.clientOrderId, strategyId: r.strategyId, symbol: r.symbol, side: r.side, qty: r.qty, orderId: null, parent: r.parent ?? null, leg: r.leg ?? null, cancel: false });
    const b = r.bracket;
    if (b === undefined) return;
    for (const [leg, price] of [
      ['sl', b.stopLoss],
      ['tp', b.takeProfit],
    ] as const) {
      if (price !== undefined) this.#orders.add(this.#legOf(r, leg));
    }
    if (b.trail !== undefined) {
      const ts = trailingStopOf(r);
      this.#orders.add(this.#legOf(r, 'ts'));
      this.#held.push({ request: ts, waitFor: NONE, after: r.clientOrderId });
    }
  }

  #legOf(entry: OrderRequest, leg: LegKind): InFlightOrder {
    return { clientOrderId: `${entry.clientOrderId}-${leg}`, strategyId: entry.strategyId, symbol: entry.symbol, side: 'sell', qty: entry.qty, orderId: null, parent: entry.clientOrderId, leg, cancel: false };
  }

  /** What a sell must see canceled first: the strategy's protective exits on the symbol, or all its orders there when it closes the position. */
  #toCancelBefore(r: OrderRequest): readonly string[] {
    const list = this.#orders.onSymbol(r.symbol);
    let out: string[] | null = null;
    for (let i = 0; i < list.length; i++) {
      const o = list[i]!;
      if (o.strategyId !== r.strategyId || o.clientOrderId === r.clientOrderId) continue;
      if (r.closeAll === true || o.leg !== null) (out ??= []).push(o.clientOrderId);
    }
    return out ?? NONE;
  }

  /** Cancels one order: a held one is dropped (it never reached the venue); else the venue is asked (once its id is known). */
  #cancel(cid: string): void {
    const o = this.#orders.get(cid);
    if (o === undefined) return;
    const at = this.#held.findIndex((h) => h.request.clientOrderId === cid);
    if (at !== -1) {
      const [h] = this.#held.splice(at, 1);
      this.#dropped(h!.request, 'canceled before it was sent');
      return;
    }
    if (o.cancel) return;
    o.cancel = true;
    if (o.orderId !== null) this.#broker.cancel(o.orderId);
  }

  #transmit(request: OrderRequest): void {
    const o = this.#orders.get(request.clientOrderId);
    if (o !== undefined) o.qty = request.qty;
    this.#bus.emit('order.submitted', { strategyId: request.strategyId, request, time: this.#clock.now() });
    if (this.#log.isLevelEnabled('debug')) this.#log.debug({ clientOrderId: request.clientOrderId, request }, 'order sent');
    this.#broker.submit(request);
  }

  /** A sell sells no more than the strategy holds when it goes out (all of it when it closes the position); null: nothing to sell. */
  #sized(r: OrderRequest): OrderRequest | null {
    if (r.side !== 'sell' || this.#position === null) return r;
    const held = this.#position(r.strategyId, r.symbol);
    const qty = r.closeAll === true ? held : Math.min(r.qty, held);
    if (!(qty > 0)) return null;
    return qty === r.qty ? r : { ...r, qty };
  }

  /** A held order that will never go: no longer in flight, and its strategy told it is canceled. */
  #dropped(r: OrderRequest, why: string): void {
    this.#orders.delete(r.clientOrderId);
    const now = this.#clock.now();
    this.#log.info({ clientOrderId: r.clientOrderId, symbol: r.symbol }, `${r.side} ${r.symbol} ${r.clientOrderId} not sent: ${why}`);
    this.#bus.emit('order.update', { strategyId: r.strategyId, event: { kind: 'canceled', order: orderFromRequest(r, `held-${r.clientOrderId}`, 'canceled', now), time: now } });
  }

  /** An order of the other side on the same symbol, at the broker (not held; the request's own exits go with it). */
  #opposite(r: OrderRequest): InFlightOrder | undefined {
    const list = this.#orders.onSymbol(r.symbol);
    for (let i = 0; i < list.length; i++) {
      const o = list[i]!;
      if (o.side !== r.side && o.parent !== r.clientOrderId && !this.#isHeld(o.clientOrderId)) return o;
    }
    return undefined;
  }

  #isHeld(clientOrderId: string): boolean {
    const held = this.#held;
    for (let i = 0; i < held.length; i++) if (held[i]!.request.clientOrderId === clientOrderId) return true;
    return false;
  }

  #release(): void {
    if (this.#halted) return;
    // Sending may bring events back at once (the simulated venue answers synchronously): walk again after.
    if (this.#releasing) {
      this.#again = true;
      return;
    }
    this.#releasing = true;
    try {
      do {
        this.#again = false;
        for (const h of [...this.#held]) if (this.#held.includes(h)) this.#tryRelease(h);
      } while (this.#again && !this.#halted);
    } finally {
      this.#releasing = false;
    }
  }

  #tryRelease(h: Held): void {
    const r = h.request;
    if (h.after !== null) return;
    for (let i = 0; i < h.waitFor.length; i++) if (this.#orders.has(h.waitFor[i]!)) return;
    if (this.#opposite(r) !== undefined) return;
    // Protective exits are the entry's, decided with it: a paused breaker never holds them back.
    if (r.leg === undefined && !this.#mayRelease(r)) return;
    this.#held.splice(this.#held.indexOf(h), 1);
    const sized = this.#sized(r);
    if (sized === null) this.#dropped(r, `nothing left to sell: ${r.strategyId} holds no ${r.symbol} now`);
    else this.#transmit(sized);
  }

  /**
   * An entry ended. A bracket's exits open only once their entry is completely filled (Alpaca's
   * rule, the simulated venue's too): short of that they end with it, and shares it filled are
   * left without them (said in the log). The trailing stop, the daemon's own, goes out for
   * whatever it filled.
   */
  #entryEnded(entry: InFlightOrder, filled: number): void {
    // Most entries have no exits: nothing to walk.
    if (this.#orders.hasLegs(entry)) {
      const complete = filled >= entry.qty;
      const exits = this.#orders.legsOf(entry).filter((l) => l.leg !== 'ts');
      for (const leg of exits) {
        if (complete) leg.qty = filled;
        else this.#orders.delete(leg.clientOrderId);
      }
      if (!complete && filled > 0 && exits.length > 0) {
        this.#log.warn({ clientOrderId: entry.clientOrderId, filled }, `${entry.clientOrderId} ended with ${filled} of ${entry.qty} ${entry.symbol} filled: its stop-loss and take-profit open only for a complete fill, so those shares have none`);
      }
    }
    if (this.#held.length === 0) return;
    for (const h of [...this.#held]) {
      if (h.after !== entry.clientOrderId) continue;
      const ts = this.#orders.get(h.request.clientOrderId);
      if (ts !== undefined) ts.qty = filled;
      if (filled > 0) {
        h.after = null;
        h.request = { ...h.request, qty: filled };
      } else {
        this.#held.splice(this.#held.indexOf(h), 1);
        this.#orders.delete(h.request.clientOrderId);
      }
    }
  }

  #onEvent(event: OrderEvent): void {
    const order = event.order;
    const cid = order.clientOrderId;
    const terminal = isTerminal(order.status);
    let o = this.#orders.get(cid);
    let owner = o?.strategyId;
    if (owner === undefined) {
      // Not in flight: the daemon's only if its strategy and its run are (a fill of an order the
      // state had finished, heard again; a leg of an entry saved before legs were tracked).
      owner = this.#ownerByName(cid);
      const leg = parseClientOrderId(cid)?.leg ?? null;
      if (owner !== undefined && leg !== null && !terminal) {
        o = this.#orders.add({ clientOrderId: cid, strategyId: owner, symbol: order.symbol, side: order.side, qty: order.qty, orderId: null, parent: cid.slice(0, -3), leg, cancel: false });
      }
    }
    if (o?.leg === 'ts' && event.kind === 'rejected') {
      this.#log.error({ clientOrderId: cid, symbol: order.symbol, reason: event.reason }, `the trailing stop ${cid} was refused (${event.reason}): ${order.symbol} of ${o.strategyId} is not protected by it`);
    }
    let settled = false;
    if (o !== undefined) {
      if (o.orderId === null && event.kind !== 'rejected') {
        o.orderId = order.id;
        // A cancel asked for before the venue named the order.
        if (o.cancel && !terminal) this.#broker.cancel(order.id);
      }
      if (terminal) {
        this.#orders.delete(cid);
        if (o.leg === null) this.#entryEnded(o, order.filledQty);
        settled = true;
      }
    }
    if (owner === undefined) {
      this.#log.warn({ clientOrderId: cid, kind: event.kind, symbol: order.symbol }, `broker event for an order that is not the daemon's (${cid}): reported, not booked`);
      this.#bus.emit('order.unattributed', { event });
      return;
    }
    this.#bus.emit('order.update', { strategyId: owner, event });
    if (settled && this.#held.length > 0) this.#bus.emit('orders.settled', {});
  }
}
