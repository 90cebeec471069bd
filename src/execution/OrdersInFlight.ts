import type { LegKind, OrderSide } from '../core/Order.js';
import { removeItem } from '../core/removeItem.js';

/**
 * An order of the daemon that is not over yet: sent and not final, held back, or a protective exit
 * waiting for its entry. Saved in the state file: a restart attributes every event of it.
 */
export interface InFlightOrder {
  readonly clientOrderId: string;
  readonly strategyId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  qty: number;
  /** The venue's id, once an event named it (cancels need it); null before. */
  orderId: string | null;
  /** A protective exit: the entry it protects, and which exit it is (null for an order a strategy asked for). */
  readonly parent: string | null;
  readonly leg: LegKind | null;
  /** A cancel was asked for (sent once the venue's id is known). */
  cancel: boolean;
}

/** A symbol without orders in flight (shared: the per-intent questions allocate nothing). */
const NONE: readonly InFlightOrder[] = [];

/**
 * The orders in flight, found by client order id and by symbol (the wash-trade rule and the holds
 * ask per symbol; thousands of orders may be out at once).
 */
export class OrdersInFlight {
  readonly #byId = new Map<string, InFlightOrder>();
  readonly #bySymbol = new Map<string, InFlightOrder[]>();
  /** Protective exits in the book (none in most runs: entries then have nothing to look for). */
  #legs = 0;

  get size(): number {
    return this.#byId.size;
  }

  get(clientOrderId: string): InFlightOrder | undefined {
    return this.#byId.get(clientOrderId);
  }

  has(clientOrderId: string): boolean {
    return this.#byId.has(clientOrderId);
  }

  /** In the order they were tracked. */
  list(): InFlightOrder[] {
    return [...this.#byId.values()];
  }

  /** The orders on `symbol` (the live list: copy it before changing the book while walking it). */
  onSymbol(symbol: string): readonly InFlightOrder[] {
    return this.#bySymbol.get(symbol) ?? NONE;
  }

  /** Whether the entry `parent` has protective exits in the book. */
  hasLegs(parent: InFlightOrder): boolean {
    if (this.#legs === 0) return false;
    const list = this.onSymbol(parent.symbol);
    for (let i = 0; i < list.length; i++) if (list[i]!.parent === parent.clientOrderId) return true;
    return false;
  }

  /** The protective exits of the entry `parent`. */
  legsOf(parent: InFlightOrder): InFlightOrder[] {
    return this.onSymbol(parent.symbol).filter((o) => o.parent === parent.clientOrderId);
  }

  add(o: InFlightOrder): InFlightOrder {
    this.#byId.set(o.clientOrderId, o);
    if (o.parent !== null) this.#legs++;
    const list = this.#bySymbol.get(o.symbol);
    if (list === undefined) this.#bySymbol.set(o.symbol, [o]);
    else list.push(o);
    return o;
  }

  /** No longer in flight; false when it was not. */
  delete(clientOrderId: string): boolean {
    const o = this.#byId.get(clientOrderId);
    if (o === undefined) return false;
    this.#byId.delete(clientOrderId);
    if (o.parent !== null) this.#legs--;
    const list = this.#bySymbol.get(o.symbol)!;
    removeItem(list, o);
    if (list.length === 0) this.#bySymbol.delete(o.symbol);
    return true;
  }

  clear(): void {
    this.#legs = 0;
    this.#byId.clear();
    this.#bySymbol.clear();
  }
}
