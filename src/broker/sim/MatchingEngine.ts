import type { Bar } from '../../core/Bar.js';
import type { Clock } from '../../core/Clock.js';
import { BrokerRejectError } from '../../core/errors.js';
import type { Fill } from '../../core/Fill.js';
import { isTerminal, type Order, type OrderRequest } from '../../core/Order.js';
import type { OrderEvent } from '../../core/OrderEvent.js';
import type { Position } from '../../core/Position.js';
import type { Quote } from '../../core/Quote.js';
import { nyDayNumber } from '../../market-data/zonedTime.js';
import type { BrokerAccount } from '../Broker.js';
import { copyOrder, orderFromRequest } from '../orderFromRequest.js';
import type { CommissionModel } from './CommissionModel.js';
import { fillPrice } from './fillPrice.js';
import { quoteFillPrice } from './quoteFillPrice.js';
import type { SlippageModel } from './SlippageModel.js';
import { removeAt, removeItem } from '../../core/removeItem.js';

export interface MatchingEngineOptions {
  /** The venue's time (only `now` is read). */
  readonly clock: Pick<Clock, 'now'>;
  readonly startingCash: number;
  readonly slippage: SlippageModel;
  readonly commission: CommissionModel;
  /** Most shares of `order` that can trade on `bar` (partial fills); default: all of them. */
  readonly liquidity?: (order: Order, bar: Bar) => number;
  /**
   * Finished orders kept for lookups by id and for the uniqueness of client order ids (default
   * 10,000); older ones are forgotten, so memory stays bounded. A backtest, which never looks a
   * finished order up and numbers its client ids itself, keeps none.
   */
  readonly finishedOrdersKept?: number;
  /** Most shares of `order` that can trade on one quote (the emulator's random partial fills); default: all. */
  readonly quoteLiquidity?: (order: Order) => number;
  /** Names new orders and executions (the emulator uses UUIDs, as Alpaca does); default `sim-N`, `sim-exec-N`. */
  readonly ids?: { readonly order: () => string; readonly execution: () => string };
  /** Client order id of a bracket's exit; default the entry's with `-sl` / `-tp` (Alpaca gives legs ids of their own). */
  readonly legClientOrderId?: (entry: Order, leg: 'sl' | 'tp' | 'ts') => string;
  /**
   * Time in force of a bracket's exits: `entry` gives them the entry's, as Alpaca does (a day
   * bracket's exits expire at the close); `gtc` (the default, the offline venue's rule so far) keeps
   * them until filled or canceled.
   */
  readonly legTimeInForce?: 'entry' | 'gtc';
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface Working {
  readonly order: Mutable<Order>;
  /** New York day number of the first bar the order could trade on (−1 before it): a day order lives for that session only. */
  session: number;
  /** A stop order whose stop price the quotes have reached: it now trades as a market order. */
  triggered: boolean;
  /** The exits this entry asked for (stop-loss / take-profit prices, or a trailing stop opened at the fill). */
  readonly bracket?: OrderRequest['bracket'];
  /**
   * A bracket / OTO entry's exits, created with it (Alpaca's `held` legs): off the book (they neither
   * trade nor count against the position or buying power) until the entry is completely filled.
   */
  held?: Working[];
  /** The entry a held exit waits for (cleared when the exit becomes active). */
  entry?: Working;
  /** The other exit of a bracket (one-cancels-other): canceled when this one fills or is canceled. */
  sibling?: Working;
  /** A trailing stop: its stop follows the high-water mark. */
  trail?: { readonly percent?: number | undefined; readonly price?: number | undefined; hwm: number };
  /** The last price of the order's symbol (found once it has one): buying power reads it for every working buy. */
  mark?: Mark;
}

/** The last price of a symbol, updated in place by every bar or quote. */
interface Mark {
  price: number;
}

/** A new working order (every field set, absent ones undefined: one object shape for all of them). */
function working(order: Mutable<Order>, bracket: Working['bracket'], trail: Working['trail'], entry: Working | undefined): Working {
  return { order, session: -1, triggered: false, bracket, held: undefined, entry, sibling: undefined, trail, mark: undefined };
}

/** A trailing stop's price: `percent` or `price` under the high-water mark, down to the cent. */
function trailStop(t: { readonly percent?: number | undefined; readonly price?: number | undefined }, hwm: number): number {
  const raw = t.percent !== undefined ? hwm * (1 - t.percent) : hwm - (t.price ?? 0);
  return Math.floor(raw * 100 + 1e-7) / 100;
}

// Alpaca's limits and error codes, so the emulator can return what Alpaca returns.
const MAX_CLIENT_ORDER_ID = 128;
const CODE_UNPROCESSABLE = 40010001;
const CODE_INSUFFICIENT = 40310000;
const FINISHED_KEPT = 10_000;

/** The venue's account and book, for the offline mode's state file. */
export interface VenueData {
  readonly cash: number;
  readonly orderSeq: number;
  readonly execSeq: number;
  readonly positions: ReadonlyArray<{ readonly symbol: string; readonly qty: number; readonly cost: number }>;
  readonly marks: ReadonlyArray<{ readonly symbol: string; readonly price: number }>;
  readonly working: ReadonlyArray<{
    readonly order: Order;
    readonly session: number;
    readonly triggered?: boolean;
    readonly bracket?: { readonly stopLoss?: number | undefined; readonly takeProfit?: number | undefined };
    /** The other exit of a bracket (order id). */
    readonly sibling?: string;
    readonly trail?: { readonly percent?: number | undefined; readonly price?: number | undefined; readonly hwm: number };
    /**
     * A bracket / OTO entry's exits, held until it is completely filled (optional: a state written
     * before held legs existed has none, and restore() creates them from `bracket`).
     */
    readonly heldLegs?: ReadonlyArray<{ readonly order: Order }>;
  }>;
}

function refuse(message: string, status = 422, code = CODE_UNPROCESSABLE): never {
  throw new BrokerRejectError(message, status, code);
}

function checkTrail(t: { readonly percent?: number | undefined; readonly price?: number | undefined }): void {
  if ((t.percent === undefined) === (t.price === undefined)) refuse('a trailing stop takes exactly one of trail_percent or trail_price');
  if (t.percent !== undefined && !(t.percent > 0 && t.percent < 1)) refuse(`trail_percent must be in (0, 1), got ${t.percent}`);
  if (t.price !== undefined && !(Number.isFinite(t.price) && t.price > 0)) refuse(`trail_price must be > 0, got ${t.price}`);
}

/**
 * The simulated venue shared by SimBroker (backtests, offline mode) and the Alpaca emulator: a cash
 * account (no margin, no shorting), its positions and working orders, matched against bars.
 *
 * Rules (backtrader's, see fillPrice): an order can trade only on bars stamped after the moment it
 * was submitted, so a market order sent at a bar's close fills at the next bar's open. Day limit and
 * stop orders expire when a bar of a later session arrives unfilled. Submission checks what Alpaca
 * checks (quantity, prices, unique client order id, buying power, shares available to sell) and
 * throws BrokerRejectError; a buy whose fill would cost more than the cash left is rejected at fill.
 * Events are delivered synchronously, in order.
 */
export class MatchingEngine {
  readonly #clock: Pick<Clock, 'now'>;
  readonly #slippage: SlippageModel;
  readonly #commission: CommissionModel;
  readonly #liquidity: (order: Order, bar: Bar) => number;
  readonly #quoteLiquidity: (order: Order) => number;
  readonly #orderId: () => string;
  readonly #legId: (entry: Order, leg: 'sl' | 'tp' | 'ts') => string;
  readonly #legTif: 'entry' | 'gtc';
  readonly #executionId: () => string;
  /** Replaced, never mutated, on (un)subscribe: an emit walks it without a copy. */
  #listeners: ReadonlyArray<(event: OrderEvent) => void> = [];
  readonly #orders = new Map<string, Mutable<Order>>();
  readonly #byClientId = new Map<string, string>();
  /** Ids of finished orders, oldest first from `#finishedHead`: the memory stays bounded over months. */
  #finished: string[] = [];
  #finishedHead = 0;
  readonly #kept: number;
  readonly #working: Working[] = [];
  /** The same working orders by symbol, oldest first: a bar or a quote walks its own symbol's only. */
  readonly #workingBySymbol = new Map<string, Working[]>();
  /** Held exits by order id (they are not in #working). */
  readonly #held = new Map<string, Working>();
  readonly #scratch: Working[] = [];
  readonly #positions = new Map<string, { qty: number; cost: number }>();
  readonly #marks = new Map<string, Mark>();
  /** Symbols already checked for Alpaca's symbol format. */
  readonly #validSymbols = new Set<string>();
  #cash: number;
  /**
   * What the working buys may spend, summed in book order as last computed; NaN once a term changed
   * (a buy filled or left the book, a market buy's mark moved). A new order goes last on the book,
   * so adding its term gives the sum a walk of the book would, bit for bit: an order's checks (the
   * RiskGate's and the venue's) never walk the book again for the orders sent just before.
   */
  #reserved = Number.NaN;
  #orderSeq = 0;
  #execSeq = 0;

  constructor(o: MatchingEngineOptions) {
    if (!(Number.isFinite(o.startingCash) && o.startingCash >= 0)) throw new RangeError(`starting cash must be ≥ 0, got ${o.startingCash}`);
    this.#clock = o.clock;
    this.#slippage = o.slippage;
    this.#commission = o.commission;
    this.#liquidity = o.liquidity ?? (() => Number.POSITIVE_INFINITY);
    this.#quoteLiquidity = o.quoteLiquidity ?? (() => Number.POSITIVE_INFINITY);
    this.#orderId = o.ids?.order ?? (() => `sim-${this.#orderSeq}`);
    this.#executionId = o.ids?.execution ?? (() => `sim-exec-${this.#execSeq}`);
    this.#legId = o.legClientOrderId ?? ((entry, leg) => `${entry.clientOrderId}-${leg}`);
    this.#legTif = o.legTimeInForce ?? 'gtc';
    this.#kept = o.finishedOrdersKept ?? FINISHED_KEPT;
    if (!(Number.isInteger(this.#kept) && this.#kept >= 0)) throw new RangeError(`finishedOrdersKept must be an integer ≥ 0, got ${this.#kept}`);
    this.#cash = o.startingCash;
  }

  onEvent(listener: (event: OrderEvent) => void): () => void {
    this.#listeners = [...this.#listeners, listener];
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== listener);
    };
  }

  /**
   * Accepts an order (and reports `new`) or throws BrokerRejectError saying why not. A bracket / OTO
   * entry's exits are created with it, held (see heldLegs), and reported `new` only when they become
   * active: once the entry is completely filled.
   */
  submit(r: OrderRequest): Order {
    this.#validate(r);
    const now = this.#clock.now();
    const w = this.#open(r, now);
    this.#holdLegs(w);
    const snapshot = copyOrder(w.order);
    this.#emit({ kind: 'new', order: snapshot, time: now });
    return snapshot;
  }

  /**
   * Cancels a working order (or expires it: a day order at the close); false when it is unknown or
   * already final. As at Alpaca, canceling one order of a bracket cancels the rest of the group:
   * an entry takes its held exits with it (no event for them: they were never reported), a held exit
   * cancels its entry, an active exit its sibling.
   */
  cancel(orderId: string, status: 'canceled' | 'expired' = 'canceled'): boolean {
    const held = this.#held.get(orderId);
    if (held?.entry !== undefined) return this.cancel(held.entry.order.id, status);
    const w = this.#working.find((x) => x.order.id === orderId);
    if (w === undefined) return false;
    this.#remove(w);
    this.#dropHeld(w, status);
    this.#finish(w.order, status);
    const s = w.sibling;
    if (s !== undefined && !isTerminal(s.order.status)) this.cancel(s.order.id, status);
    return true;
  }

  /** A bracket / OTO entry's exits while they are held (empty once they are active, or for any other order). */
  heldLegs(entryId: string): Order[] {
    const w = this.#working.find((x) => x.order.id === entryId);
    return w?.held === undefined ? [] : w.held.map((l) => copyOrder(l.order));
  }

  /**
   * Replaces a working order by a new one (Alpaca's PATCH): the request is checked as if the old order
   * were gone, and on refusal the old order stays as it was. No event is emitted: the caller reports
   * the pair (Alpaca reports `replaced` for the old order). The old order ends `canceled` here.
   */
  replace(orderId: string, r: OrderRequest): { readonly old: Order; readonly replacement: Order } {
    const at = this.#working.findIndex((x) => x.order.id === orderId);
    if (at === -1) refuse(`order ${orderId} is not open`);
    const w = this.#working[at]!;
    const sibling = w.sibling !== undefined && !isTerminal(w.sibling.order.status) ? w.sibling : undefined;
    // Checked as if the old order were gone: off the book, and off its symbol's list.
    const mine = this.#workingBySymbol.get(w.order.symbol)!;
    const atMine = mine.indexOf(w);
    this.#working.splice(at, 1);
    mine.splice(atMine, 1);
    this.#reserved = Number.NaN;
    try {
      // An exit of a bracket is checked as one of its pair: the pair holds its shares once.
      this.#validate(r, sibling);
    } catch (error) {
      this.#working.splice(at, 0, w);
      mine.splice(atMine, 0, w);
      this.#reserved = Number.NaN;
      throw error;
    }
    this.#working.splice(at, 0, w);
    mine.splice(atMine, 0, w);
    this.#reserved = Number.NaN;
    const now = this.#clock.now();
    this.#remove(w);
    w.order.status = 'canceled';
    w.order.updatedAt = now;
    const next = this.#open(w.bracket !== undefined && r.bracket === undefined ? { ...r, bracket: w.bracket } : r, now);
    // The group stays whole: a replaced entry keeps its held exits (sized to it), a replaced exit its sibling.
    if (w.held !== undefined) {
      next.held = w.held;
      w.held = undefined;
      for (const leg of next.held) {
        leg.entry = next;
        leg.order.qty = next.order.qty;
        this.#reserved = Number.NaN;
        leg.order.updatedAt = now;
      }
    }
    if (sibling !== undefined) {
      next.sibling = sibling;
      sibling.sibling = next;
    }
    return { old: copyOrder(w.order), replacement: copyOrder(next.order) };
  }

  /**
   * Matches the symbol's working orders, oldest first, against its NBBO (the emulator's paper fills):
   * an order trades on quotes from the moment it was submitted on; how much trades is `quoteLiquidity`.
   */
  onQuote(q: Quote): void {
    this.#setMark(q.symbol, (q.bid + q.ask) / 2);
    const list = this.#copyWorking(q.symbol);
    for (let i = 0; i < list.length; i++) {
      const w = list[i]!;
      const o = w.order;
      if (o.submittedAt > q.time || isTerminal(o.status)) continue;
      this.#raise(w, q.bid);
      const price = quoteFillPrice(o, q, w.triggered);
      if (price === null) continue;
      if (o.type === 'stop') w.triggered = true;
      this.#execute(w, price, Math.min(o.qty - o.filledQty, Math.max(0, this.#quoteLiquidity(o))), q.time);
    }
    // Emptied only when used: setting an array's length is a call into the runtime.
    if (list.length > 0) list.length = 0;
  }

  /** Marks the symbol at the bar's close, then matches its working orders against the bar, oldest first. */
  onBar(bar: Bar): void {
    this.#setMark(bar.symbol, bar.close);
    const list = this.#copyWorking(bar.symbol);
    let day = -1;
    for (let i = 0; i < list.length; i++) {
      const w = list[i]!;
      const o = w.order;
      if (o.submittedAt >= bar.time || isTerminal(o.status)) continue;
      if (day === -1) day = nyDayNumber(bar.time);
      if (w.session === -1) w.session = day;
      else if (o.timeInForce === 'day' && o.type !== 'market' && day !== w.session) {
        this.#remove(w);
        this.#dropHeld(w, 'expired');
        this.#finish(o, 'expired');
        continue;
      }
      this.#match(w, bar);
      // The stop a bar is matched against is the one set before it; its high raises the next one.
      if (w.trail !== undefined && !isTerminal(o.status)) this.#raise(w, bar.high);
    }
    // Emptied only when used: setting an array's length is a call into the runtime.
    if (list.length > 0) list.length = 0;
  }

  account(): BrokerAccount {
    return { cash: this.#cash, equity: this.#cash + this.#positionsValue(), buyingPower: this.#buyingPower() };
  }

  /** Cash less what working buy orders may spend. */
  buyingPower(): number {
    return this.#buyingPower();
  }

  positions(): Position[] {
    return [...this.#positions].map(([symbol, p]) => ({ symbol, qty: p.qty, avgPrice: p.cost / p.qty })).sort((a, b) => (a.symbol < b.symbol ? -1 : 1));
  }

  openOrders(): Order[] {
    return this.#working.map((w) => copyOrder(w.order));
  }

  order(idOrClientId: string): Order | undefined {
    const o = this.#orders.get(idOrClientId) ?? this.#orders.get(this.#byClientId.get(idOrClientId) ?? '');
    return o === undefined ? undefined : copyOrder(o);
  }

  toData(): VenueData {
    return {
      cash: this.#cash,
      orderSeq: this.#orderSeq,
      execSeq: this.#execSeq,
      positions: [...this.#positions].map(([symbol, p]) => ({ symbol, qty: p.qty, cost: p.cost })),
      marks: [...this.#marks].map(([symbol, m]) => ({ symbol, price: m.price })),
      working: this.#working.map((w) => ({
        order: copyOrder(w.order),
        session: w.session,
        triggered: w.triggered,
        ...(w.bracket === undefined ? {} : { bracket: w.bracket }),
        ...(w.sibling === undefined ? {} : { sibling: w.sibling.order.id }),
        ...(w.trail === undefined ? {} : { trail: { ...w.trail } }),
        ...(w.held === undefined ? {} : { heldLegs: w.held.map((l) => ({ order: copyOrder(l.order) })) }),
      })),
    };
  }

  /** Puts the account and working orders back (offline restore: the simulated account is part of the state). */
  restore(d: VenueData): void {
    this.#cash = d.cash;
    this.#reserved = Number.NaN;
    this.#orderSeq = d.orderSeq;
    this.#execSeq = d.execSeq;
    this.#positions.clear();
    for (const p of d.positions) this.#positions.set(p.symbol, { qty: p.qty, cost: p.cost });
    this.#marks.clear();
    for (const m of d.marks) this.#setMark(m.symbol, m.price);
    this.#working.length = 0;
    this.#workingBySymbol.clear();
    this.#held.clear();
    for (const w of d.working) {
      const order: Mutable<Order> = { ...w.order };
      this.#orders.set(order.id, order);
      this.#byClientId.set(order.clientOrderId, order.id);
      const entry = working(order, w.bracket, w.trail === undefined ? undefined : { ...w.trail }, undefined);
      entry.session = w.session;
      entry.triggered = w.triggered ?? false;
      this.#put(entry);
      if (w.heldLegs !== undefined) {
        const legs = w.heldLegs.map((l): Working => {
          const leg: Mutable<Order> = { ...l.order };
          this.#orders.set(leg.id, leg);
          this.#byClientId.set(leg.clientOrderId, leg.id);
          const lw = working(leg, undefined, undefined, entry);
          this.#held.set(leg.id, lw);
          return lw;
        });
        this.#link(legs);
        if (legs.length > 0) entry.held = legs;
      } else {
        // A state written before exits were created with their entry: hold them now.
        this.#holdLegs(entry);
      }
    }
    for (const w of d.working) {
      if (w.sibling === undefined) continue;
      const me = this.#working.find((x) => x.order.id === w.order.id);
      const other = this.#working.find((x) => x.order.id === w.sibling);
      if (me !== undefined && other !== undefined) me.sibling = other;
    }
  }

  /** A working trailing stop's high-water mark, null for any other order. */
  highWaterMark(orderId: string): number | null {
    return this.#working.find((w) => w.order.id === orderId)?.trail?.hwm ?? null;
  }

  /** The venue's current time. */
  now(): number {
    return this.#clock.now();
  }

  lastPrice(symbol: string): number | undefined {
    return this.#marks.get(symbol)?.price;
  }

  #setMark(symbol: string, price: number): void {
    const m = this.#marks.get(symbol);
    if (m === undefined) this.#marks.set(symbol, { price });
    else {
      const same = m.price === price;
      m.price = price;
      if (same) return;
    }
    // The buying power reads a mark only for the working market buys of its symbol: any other
    // order's mark moving leaves it as it was (summed again, it would come out the same).
    if (this.#readsMark(symbol)) this.#reserved = Number.NaN;
  }

  /** Whether a working buy of `symbol` is valued at its mark (no limit or stop price). */
  #readsMark(symbol: string): boolean {
    const mine = this.#workingBySymbol.get(symbol);
    if (mine === undefined) return false;
    for (let i = 0; i < mine.length; i++) {
      const o = mine[i]!.order;
      if (o.side === 'buy' && o.limitPrice === null && o.stopPrice === null) return true;
    }
    return false;
  }

  /** Opens an accepted order on the book (checked already). */
  #open(r: OrderRequest, now: number, hwm = r.trail === undefined ? undefined : this.#marks.get(r.symbol)?.price): Working {
    this.#orderSeq++;
    const trail = r.trail === undefined || hwm === undefined ? undefined : { percent: r.trail.percent, price: r.trail.price, hwm };
    const order: Mutable<Order> = orderFromRequest(trail === undefined ? r : { ...r, stopPrice: trailStop(trail, trail.hwm) }, this.#orderId(), 'new', now);
    this.#orders.set(order.id, order);
    this.#byClientId.set(order.clientOrderId, order.id);
    const w = working(order, r.bracket, trail, undefined);
    this.#put(w);
    return w;
  }

  /**
   * A bracket's exits (a stop and a take-profit limit) or an OTO's one exit, created with the entry
   * as Alpaca creates them: sells of the entry's quantity, with ids and client order ids of their
   * own (the entry's with `-sl` / `-tp` by default, so the exits belong to the entry's strategy),
   * submitted with it, held until it is completely filled. A trailing-stop exit (not an Alpaca
   * bracket) is opened at the fill instead: it trails from the entry's price.
   */
  #holdLegs(entry: Working): void {
    const b = entry.bracket;
    if (b === undefined || (b.stopLoss === undefined && b.takeProfit === undefined)) return;
    const o = entry.order;
    const legs: Working[] = [];
    for (const [suffix, type, price] of [
      ['sl', 'stop', b.stopLoss],
      ['tp', 'limit', b.takeProfit],
    ] as const) {
      if (price === undefined) continue;
      this.#orderSeq++;
      const timeInForce = this.#legTif === 'entry' ? o.timeInForce : 'gtc';
      const r: OrderRequest = { symbol: o.symbol, side: 'sell', qty: o.qty, type, timeInForce, clientOrderId: this.#legId(o, suffix), strategyId: '', ...(type === 'stop' ? { stopPrice: price } : { limitPrice: price }) };
      const leg: Mutable<Order> = orderFromRequest(r, this.#orderId(), 'new', o.submittedAt);
      this.#orders.set(leg.id, leg);
      this.#byClientId.set(leg.clientOrderId, leg.id);
      const w = working(leg, undefined, undefined, entry);
      this.#held.set(leg.id, w);
      legs.push(w);
    }
    this.#link(legs);
    entry.held = legs;
  }

  /** A bracket's two exits are one-cancels-other. */
  #link(legs: readonly Working[]): void {
    if (legs.length !== 2) return;
    legs[0]!.sibling = legs[1]!;
    legs[1]!.sibling = legs[0]!;
  }

  /**
   * An entry ended before it was completely filled (canceled, expired, rejected): its held exits
   * end with it, untraded and unreported. Alpaca activates a bracket's exits only once the entry is
   * completely filled, and canceling one order of the group cancels the rest: shares bought by a
   * partly filled entry stay without exits.
   */
  #dropHeld(w: Working, status: 'canceled' | 'expired'): void {
    const legs = w.held;
    if (legs === undefined) return;
    w.held = undefined;
    const now = this.#clock.now();
    for (const leg of legs) {
      this.#held.delete(leg.order.id);
      leg.entry = undefined;
      leg.order.status = status;
      leg.order.updatedAt = now;
      this.#remove(leg);
    }
  }

  /** A trailing stop's high-water mark moves up to `price` (never down), its stop with it. */
  #raise(w: Working, price: number): void {
    const t = w.trail;
    if (t === undefined || price <= t.hwm) return;
    t.hwm = price;
    w.order.stopPrice = trailStop(t, price);
    this.#reserved = Number.NaN;
  }

  /**
   * The entry is completely filled: its held exits go on the book (`new`), linked so that one filling
   * cancels the other. When both could trade on one bar, the stop (first) goes first: the
   * pessimistic reading of a bar. A trailing-stop exit opens now, trailing from the entry's price.
   */
  #activateLegs(entry: Working, time: number): void {
    const o = entry.order;
    const legs = entry.held;
    if (legs !== undefined) {
      entry.held = undefined;
      for (const leg of legs) {
        this.#held.delete(leg.order.id);
        leg.entry = undefined;
        leg.order.updatedAt = time;
        this.#put(leg);
      }
      for (const leg of legs) this.#emit({ kind: 'new', order: copyOrder(leg.order), time });
      return;
    }
    const trail = entry.bracket?.trail;
    if (trail === undefined) return;
    const r: OrderRequest = { symbol: o.symbol, side: 'sell', qty: o.filledQty, type: 'stop', timeInForce: 'gtc', clientOrderId: this.#legId(o, 'ts'), strategyId: '', trail };
    const leg = this.#open(r, time, o.filledAvgPrice ?? 0);
    this.#emit({ kind: 'new', order: copyOrder(leg.order), time });
  }

  /** The working orders on `symbol`, copied into a reused array: events may add or cancel orders during a walk. */
  #copyWorking(symbol: string): Working[] {
    const list = this.#scratch;
    if (list.length > 0) list.length = 0;
    const mine = this.#workingBySymbol.get(symbol);
    if (mine !== undefined) for (let i = 0; i < mine.length; i++) list.push(mine[i]!);
    return list;
  }

  /** Puts an order on the book (last, the newest). */
  #put(w: Working): void {
    if (w.order.side === 'buy' && !Number.isNaN(this.#reserved)) this.#reserved += this.#reservedBy(w);
    this.#working.push(w);
    const mine = this.#workingBySymbol.get(w.order.symbol);
    if (mine === undefined) this.#workingBySymbol.set(w.order.symbol, [w]);
    else mine.push(w);
  }

  #match(w: Working, bar: Bar): void {
    const o = w.order;
    const raw = fillPrice(o, bar);
    if (raw === null) return;
    const price = this.#slippage.apply(raw, o.side, o.type, bar);
    this.#execute(w, price, Math.min(o.qty - o.filledQty, Math.max(0, this.#liquidity(o, bar))), bar.time);
  }

  /** Books `qty` of the order at `price` (with commission), or rejects a buy the cash cannot pay. */
  #execute(w: Working, price: number, qty: number, time: number): void {
    const o = w.order;
    if (!(qty > 0)) return;
    const commission = this.#commission.commission(qty, price);
    if (o.side === 'buy' && qty * price + commission > this.#cash + 1e-9) {
      this.#remove(w);
      this.#dropHeld(w, 'canceled');
      this.#reject(o, `insufficient cash at fill: ${qty} ${o.symbol} @ ${price} costs ${(qty * price + commission).toFixed(2)}, cash is ${this.#cash.toFixed(2)}`);
      return;
    }
    this.#execSeq++;
    const fill: Fill = {
      executionId: this.#executionId(),
      orderId: o.id,
      clientOrderId: o.clientOrderId,
      symbol: o.symbol,
      side: o.side,
      qty,
      price,
      commission,
      time,
    };
    this.#book(fill);
    o.filledAvgPrice = ((o.filledAvgPrice ?? 0) * o.filledQty + price * qty) / (o.filledQty + qty);
    o.filledQty += qty;
    // A buy asks for less now (the cash it paid is out of the account already).
    if (o.side === 'buy') this.#reserved = Number.NaN;
    o.updatedAt = time;
    const done = o.filledQty >= o.qty;
    o.status = done ? 'filled' : 'partially_filled';
    if (done) this.#remove(w);
    this.#emit({ kind: done ? 'fill' : 'partial_fill', order: copyOrder(o), fill, time });
    if (!done) return;
    if (w.bracket !== undefined) this.#activateLegs(w, time);
    if (w.sibling !== undefined && this.#working.includes(w.sibling)) this.cancel(w.sibling.order.id);
  }

  /** Moves cash and the position; average cost for buys, cost released pro rata for sells. */
  #book(f: Fill): void {
    const p = this.#positions.get(f.symbol) ?? { qty: 0, cost: 0 };
    if (f.side === 'buy') {
      this.#cash -= f.qty * f.price + f.commission;
      p.cost += f.qty * f.price;
      p.qty += f.qty;
    } else {
      this.#cash += f.qty * f.price - f.commission;
      p.cost -= (p.cost / p.qty) * f.qty;
      p.qty -= f.qty;
    }
    if (p.qty === 0) this.#positions.delete(f.symbol);
    else this.#positions.set(f.symbol, p);
  }

  /** `pairedWith`: the working exit a replaced exit is paired with (one-cancels-other). */
  #validate(r: OrderRequest, pairedWith?: Working): void {
    if (r.clientOrderId.length === 0 || r.clientOrderId.length > MAX_CLIENT_ORDER_ID) refuse(`client_order_id must be 1 to ${MAX_CLIENT_ORDER_ID} characters`);
    if (this.#byClientId.has(r.clientOrderId)) refuse('client_order_id must be unique');
    if (!this.#validSymbols.has(r.symbol)) {
      if (!/^[A-Z][A-Z0-9.]*$/.test(r.symbol)) refuse(`invalid symbol "${r.symbol}"`);
      this.#validSymbols.add(r.symbol);
    }
    if (!(Number.isFinite(r.qty) && r.qty > 0)) refuse(`qty must be > 0, got ${r.qty}`);
    if (r.type === 'market' && (r.limitPrice !== undefined || r.stopPrice !== undefined)) refuse('a market order takes no limit or stop price');
    if (r.type === 'limit' && !(r.limitPrice !== undefined && Number.isFinite(r.limitPrice) && r.limitPrice > 0)) refuse('limit_price is required for a limit order');
    if (r.type === 'stop' && r.trail === undefined && !(r.stopPrice !== undefined && Number.isFinite(r.stopPrice) && r.stopPrice > 0)) refuse('stop_price is required for a stop order');
    if (r.trail !== undefined) {
      if (r.side !== 'sell' || r.type !== 'stop') refuse('a trailing stop is a sell stop (it protects a long position)');
      checkTrail(r.trail);
      if (!this.#marks.has(r.symbol)) refuse(`no price for ${r.symbol} yet to trail from`);
    }
    if (r.bracket?.trail !== undefined) {
      if (r.bracket.stopLoss !== undefined || r.bracket.takeProfit !== undefined) refuse('a trailing stop is the only exit of its entry: no stop_loss or take_profit with it');
      checkTrail(r.bracket.trail);
    }
    if (r.bracket !== undefined) {
      const { stopLoss, takeProfit } = r.bracket;
      if (r.side !== 'buy') refuse('a bracket protects a long entry: only buys take one');
      for (const [name, v] of [['stop_loss.stop_price', stopLoss], ['take_profit.limit_price', takeProfit]] as const) {
        if (v !== undefined && !(Number.isFinite(v) && v > 0)) refuse(`${name} must be > 0`);
      }
      if (stopLoss !== undefined && takeProfit !== undefined && !(stopLoss < takeProfit)) refuse(`take_profit.limit_price ${takeProfit} must be above stop_loss.stop_price ${stopLoss}`);
    }
    if (r.side === 'sell') {
      const held = this.#positions.get(r.symbol)?.qty ?? 0;
      const available = held - this.#workingQty(r.symbol, 'sell', pairedWith);
      const needed = pairedWith === undefined ? r.qty : Math.max(r.qty, pairedWith.order.qty - pairedWith.order.filledQty);
      if (needed > available) refuse(`insufficient qty available for order (requested: ${r.qty}, available: ${available})`, 403, CODE_INSUFFICIENT);
    } else {
      const price = r.limitPrice ?? r.stopPrice ?? this.#marks.get(r.symbol)?.price;
      if (price !== undefined) {
        const cost = r.qty * price + this.#commission.commission(r.qty, price);
        const power = this.#buyingPower();
        if (cost > power + 1e-9) refuse(`insufficient buying power: order costs about ${cost.toFixed(2)}, buying power is ${power.toFixed(2)}`, 403, CODE_INSUFFICIENT);
      }
    }
  }

  /**
   * What working orders on `symbol` and `side` still ask for. The two exits of a bracket are
   * one-cancels-other: at most one of them trades, so the pair counts once, for the larger remainder
   * (Alpaca counts the pair once when it checks a new sell, though each leg's quantity shows in the
   * position's `qty_available`). `skip`: an exit left out (its pair is being replaced).
   */
  #workingQty(symbol: string, side: 'buy' | 'sell', skip?: Working): number {
    let q = 0;
    let pairs: Set<Working> | undefined;
    // The symbol's own working orders (the book's, in the same order): not the whole book.
    const mine = this.#workingBySymbol.get(symbol);
    if (mine === undefined) return 0;
    for (let i = 0; i < mine.length; i++) {
      const w = mine[i]!;
      const o = w.order;
      if (o.side !== side || w === skip) continue;
      const s = w.sibling;
      if (s === undefined || s === skip || isTerminal(s.order.status)) {
        q += o.qty - o.filledQty;
        continue;
      }
      pairs ??= new Set();
      if (pairs.has(s)) continue;
      pairs.add(w);
      q += Math.max(o.qty - o.filledQty, s.order.qty - s.order.filledQty);
    }
    return q;
  }

  /** Cash less what working buy orders may spend (valued at their limit, stop or last price). */
  #buyingPower(): number {
    if (Number.isNaN(this.#reserved)) {
      let reserved = 0;
      const working = this.#working;
      for (let i = 0; i < working.length; i++) {
        const w = working[i]!;
        if (w.order.side === 'buy') reserved += this.#reservedBy(w);
      }
      this.#reserved = reserved;
    }
    return this.#cash - this.#reserved;
  }

  /** What a working buy may spend: what it still asks for at its limit, stop or last price, with commission. */
  #reservedBy(w: Working): number {
    const o = w.order;
    const price = o.limitPrice !== null ? o.limitPrice : o.stopPrice !== null ? o.stopPrice : this.#markOf(w);
    const q = o.qty - o.filledQty;
    return q * price + (price > 0 ? this.#commission.commission(q, price) : 0);
  }

  /** The last price of a working order's symbol, 0 while it has none. */
  #markOf(w: Working): number {
    const m = (w.mark ??= this.#marks.get(w.order.symbol));
    return m === undefined ? 0 : m.price;
  }

  #positionsValue(): number {
    let v = 0;
    for (const [symbol, p] of this.#positions) v += p.qty * (this.#marks.get(symbol)?.price ?? p.cost / p.qty);
    return v;
  }

  /** Takes a finished order off the book; only the last `finishedOrdersKept` finished orders stay known. */
  #remove(w: Working): void {
    const i = this.#working.indexOf(w);
    // A sell reserves nothing: the sum stays what it was.
    if (w.order.side === 'buy') this.#reserved = Number.NaN;
    if (i !== -1) {
      removeAt(this.#working, i);
      const mine = this.#workingBySymbol.get(w.order.symbol)!;
      removeItem(mine, w);
    }
    if (this.#kept === 0) {
      // None kept (a backtest): the order is forgotten now, as the queue below would at once.
      this.#forget(w.order.id);
      return;
    }
    this.#finished.push(w.order.id);
    if (this.#finished.length - this.#finishedHead > this.#kept) {
      this.#forget(this.#finished[this.#finishedHead++]!);
      if (this.#finishedHead >= Math.max(this.#kept, 1024)) {
        this.#finished = this.#finished.slice(this.#finishedHead);
        this.#finishedHead = 0;
      }
    }
  }

  /** A finished order is no longer known by its id or client order id. */
  #forget(orderId: string): void {
    const old = this.#orders.get(orderId);
    if (old !== undefined) {
      this.#orders.delete(old.id);
      this.#byClientId.delete(old.clientOrderId);
    }
  }

  #finish(o: Mutable<Order>, status: 'canceled' | 'expired'): void {
    o.status = status;
    o.updatedAt = this.#clock.now();
    this.#emit({ kind: status, order: copyOrder(o), time: o.updatedAt });
  }

  #reject(o: Mutable<Order>, reason: string): void {
    o.status = 'rejected';
    o.updatedAt = this.#clock.now();
    this.#emit({ kind: 'rejected', order: copyOrder(o), reason, time: o.updatedAt });
  }

  #emit(event: OrderEvent): void {
    const listeners = this.#listeners;
    for (let i = 0; i < listeners.length; i++) listeners[i]!(event);
  }
}
