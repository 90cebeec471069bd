import type { OrderIntent } from '../core/Order.js';
import { SymbolSlots } from '../core/SymbolSlots.js';
import { removeItem } from '../core/removeItem.js';

/** An order of the strategy at the broker, and how much of it is not filled yet. */
export interface OpenOrder {
  readonly clientOrderId: string;
  readonly intent: OrderIntent;
  remaining: number;
}

interface Entry {
  readonly order: OpenOrder;
  /** What this order holds of the strategy's cash (buys only): remaining × price + commission. */
  reserved: number;
}

/**
 * One strategy's open orders, found by client order id and by symbol, with the cash its open buys
 * hold kept as a running total: a strategy with thousands of orders out (a burst over thousands of
 * symbols) pays the same per order as one with a single order. A buy holds its limit (or stop)
 * price, a market buy the symbol's last close, updated as closes come (`onPrice`).
 */
export class OpenOrders {
  readonly #byId = new Map<string, Entry>();
  /** The open orders of each symbol by its slot (empty lists stay: a symbol's slot is reused). */
  readonly #bySlot: Entry[][] = [];
  /** How many of them each slot has (a typed array: the per-bar question touches no list). */
  #countAt = new Int32Array(0);
  readonly #slots: SymbolSlots;
  readonly #price: (symbol: string) => number | undefined;
  readonly #commission: (qty: number, price: number) => number;
  #reserved = 0;

  /** `slots`: the numbering of symbols shared with the strategy's runner (its per-bar calls name a symbol by it). */
  constructor(price: (symbol: string) => number | undefined, commission: (qty: number, price: number) => number, slots = new SymbolSlots()) {
    this.#price = price;
    this.#commission = commission;
    this.#slots = slots;
  }

  get size(): number {
    return this.#byId.size;
  }

  /** In the order they were sent. */
  list(): OpenOrder[] {
    const out: OpenOrder[] = [];
    for (const e of this.#byId.values()) out.push(e.order);
    return out;
  }

  get(clientOrderId: string): OpenOrder | undefined {
    return this.#byId.get(clientOrderId)?.order;
  }

  /** Symbols with an open order. */
  symbols(): string[] {
    const out: string[] = [];
    for (let k = 0; k < this.#bySlot.length; k++) if (this.#bySlot[k]!.length > 0) out.push(this.#slots.symbolAt(k));
    return out;
  }

  has(symbol: string): boolean {
    const k = this.#slots.find(symbol);
    return k !== undefined && this.hasAt(k);
  }

  /** `has` for the symbol in `slot`. */
  hasAt(slot: number): boolean {
    return slot < this.#countAt.length && this.#countAt[slot]! > 0;
  }

  /** `slot`: the slot of the order's symbol when the caller knows it (the bar being processed's). */
  add(order: OpenOrder, slot?: number): void {
    const e: Entry = { order, reserved: 0 };
    this.#byId.set(order.clientOrderId, e);
    const k = slot !== undefined && slot < this.#bySlot.length ? slot : this.#slot(order.intent.symbol);
    this.#bySlot[k]!.push(e);
    this.#countAt[k]!++;
    this.#reprice(e);
  }

  /** The slot of `symbol`, the lists and counts by slot long enough for it. */
  #slot(symbol: string): number {
    const k = this.#slots.slot(symbol);
    if (k >= this.#bySlot.length) {
      while (this.#bySlot.length <= k) this.#bySlot.push([]);
      // Counts grow by doubling, and only when the lists outgrow them.
      if (k >= this.#countAt.length) {
        const counts = new Int32Array(Math.max(k + 1, this.#slots.size, this.#countAt.length * 2));
        counts.set(this.#countAt);
        this.#countAt = counts;
      }
    }
    return k;
  }

  /** Part of an order filled: it holds less. */
  filled(clientOrderId: string, qty: number): OpenOrder | undefined {
    const e = this.#byId.get(clientOrderId);
    if (e === undefined) return undefined;
    e.order.remaining -= qty;
    this.#reprice(e);
    return e.order;
  }

  drop(clientOrderId: string): void {
    const e = this.#byId.get(clientOrderId);
    if (e === undefined) return;
    this.#byId.delete(clientOrderId);
    const k = this.#slot(e.order.intent.symbol);
    const list = this.#bySlot[k]!;
    removeItem(list, e);
    this.#countAt[k]!--;
    // Nothing open: the total restarts from an exact zero (no rounding carried along).
    if (this.#byId.size === 0) this.#reserved = 0;
    else this.#reserved -= e.reserved;
  }

  clear(): void {
    this.#byId.clear();
    for (const list of this.#bySlot) list.length = 0;
    this.#countAt.fill(0);
    this.#reserved = 0;
  }

  /** Shares bought (+) or sold (−) by the open orders on `symbol`, not filled yet. */
  pendingQty(symbol: string): number {
    const k = this.#slots.find(symbol);
    return k === undefined ? 0 : this.pendingQtyAt(k);
  }

  /** `pendingQty` of the symbol in `slot`. */
  pendingQtyAt(slot: number): number {
    if (!this.hasAt(slot)) return 0;
    const list = this.#bySlot[slot]!;
    let q = 0;
    for (let i = 0; i < list.length; i++) {
      const o = list[i]!.order;
      q += o.intent.side === 'buy' ? o.remaining : -o.remaining;
    }
    return q;
  }

  /** The cash the open buys will cost. */
  get reservedCash(): number {
    return this.#byId.size === 0 ? 0 : this.#reserved;
  }

  /** A new close of `symbol`: its open market buys hold that much now. */
  onPrice(symbol: string): void {
    const k = this.#slots.find(symbol);
    if (k !== undefined) this.onPriceAt(k);
  }

  /** `onPrice` for the symbol in `slot`. */
  onPriceAt(slot: number): void {
    if (!this.hasAt(slot)) return;
    const list = this.#bySlot[slot]!;
    for (let i = 0; i < list.length; i++) {
      const i0 = list[i]!.order.intent;
      if (i0.side === 'buy' && i0.limitPrice === undefined && i0.stopPrice === undefined) this.#reprice(list[i]!);
    }
  }

  #reprice(e: Entry): void {
    const o = e.order;
    if (o.intent.side !== 'buy') return;
    const price = o.intent.limitPrice ?? o.intent.stopPrice ?? this.#price(o.intent.symbol) ?? 0;
    const reserved = o.remaining > 0 ? o.remaining * price + this.#commission(o.remaining, price) : 0;
    this.#reserved += reserved - e.reserved;
    e.reserved = reserved;
  }
}
