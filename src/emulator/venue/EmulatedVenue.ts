import { MatchingEngine } from '../../broker/sim/MatchingEngine.js';
import { noCommission } from '../../broker/sim/CommissionModel.js';
import { noSlippage } from '../../broker/sim/SlippageModel.js';
import { BrokerRejectError } from '../../core/errors.js';
import type { Order, OrderRequest } from '../../core/Order.js';
import type { OrderEvent } from '../../core/OrderEvent.js';
import type { Quote } from '../../core/Quote.js';
import { seededUuid } from '../../core/seededRandom.js';
import type { MarketCalendar } from '../../risk/calendar/MarketCalendar.js';
import { nyDateOf } from '../../market-data/zonedTime.js';
import { AlpacaCode, ApiError, invalid, notFound } from '../http/ApiError.js';
import type { NewOrder, OrderChanges } from './NewOrder.js';
import { copyRecord, isFinal, type OrderRecord } from './OrderRecord.js';
import { checkTick } from './parseOrderBody.js';
import type { TradeUpdate } from './TradeUpdate.js';

export interface EmulatedVenueOptions {
  readonly clock: { now(): number };
  readonly calendar: MarketCalendar;
  readonly startingCash: number;
  readonly symbols: readonly string[];
  /** Last trade price: what positions and the account are valued at. */
  readonly lastPrice: (symbol: string) => number | undefined;
  /** The current NBBO, which a new order is matched against at once. */
  readonly lastQuote: (symbol: string) => Quote | undefined;
  /** Share of fills that are partial, of a random size (Alpaca's paper venue: 10 %). */
  readonly partialFillRate: number;
  readonly random: () => number;
}

/** The account's switches an admin can flip (a blocked account, as Alpaca reports one). */
export interface AccountFlags {
  tradingBlocked: boolean;
  accountBlocked: boolean;
}

/**
 * The paper account behind the emulator: Alpaca's order lifecycle on top of the shared matching
 * engine. Orders received while the market is closed are `accepted` and routed (`new`) at the next
 * open; day orders still working at the close expire; marketable orders fill against the NBBO, a
 * random part of the time partially. It is a cash account: no margin, no short selling (a sell is
 * refused beyond the shares held, as Alpaca refuses it for a non-shortable account).
 */
export class EmulatedVenue {
  readonly #o: EmulatedVenueOptions;
  readonly #engine: MatchingEngine;
  readonly #records = new Map<string, OrderRecord>();
  /** Order ids in creation order, for listings. */
  readonly #sequence: string[] = [];
  readonly #unrouted = new Set<string>();
  readonly #byClientId = new Map<string, string>();
  /** An order the venue takes off the book itself (a fault's rejection): the engine's cancel event is not reported. */
  #silenced: string | null = null;
  readonly #assetIds = new Map<string, string>();
  readonly #lastdayPrice = new Map<string, number>();
  #listeners: ReadonlyArray<(u: TradeUpdate) => void> = [];
  #lastEquity: number;
  readonly flags: AccountFlags = { tradingBlocked: false, accountBlocked: false };
  readonly accountId: string;
  readonly createdAt: number;

  constructor(o: EmulatedVenueOptions) {
    this.#o = o;
    const random = o.random;
    this.accountId = seededUuid(random);
    for (const s of o.symbols) this.#assetIds.set(s, seededUuid(random));
    this.createdAt = o.clock.now();
    this.#lastEquity = o.startingCash;
    this.#engine = new MatchingEngine({
      clock: o.clock,
      startingCash: o.startingCash,
      slippage: noSlippage,
      commission: noCommission,
      ids: { order: () => seededUuid(random), execution: () => seededUuid(random) },
      quoteLiquidity: (order) => this.#partialSize(order),
      // Alpaca gives a bracket's exits client order ids of their own, and the entry's time in force.
      legClientOrderId: () => seededUuid(random),
      legTimeInForce: 'entry',
    });
    this.#engine.onEvent((e) => this.#onEngineEvent(e));
  }

  onUpdate(listener: (u: TradeUpdate) => void): () => void {
    this.#listeners = [...this.#listeners, listener];
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== listener);
    };
  }

  get symbols(): readonly string[] {
    return this.#o.symbols;
  }

  assetId(symbol: string): string | undefined {
    return this.#assetIds.get(symbol);
  }

  isOpen(at = this.#o.clock.now()): boolean {
    const s = this.#o.calendar.session(nyDateOf(at));
    return s !== null && s.open <= at && at < s.close;
  }

  /** Accepts an order or throws the ApiError Alpaca would answer. */
  submit(n: NewOrder): OrderRecord {
    this.#checkTrading();
    const assetId = this.#assetIds.get(n.symbol);
    if (assetId === undefined) throw invalid(`asset "${n.symbol}" not found`);
    checkTick('limit_price', n.limitPrice);
    checkTick('stop_price', n.stopPrice);
    if (n.clientOrderId !== undefined && (n.clientOrderId.length === 0 || n.clientOrderId.length > 128)) throw invalid('client_order_id must be 1 to 128 characters');
    if (n.clientOrderId !== undefined && this.#byClientId.has(n.clientOrderId)) throw invalid('client_order_id must be unique');
    const request: OrderRequest = {
      symbol: n.symbol,
      side: n.side,
      qty: n.qty,
      type: n.type,
      timeInForce: n.timeInForce,
      clientOrderId: n.clientOrderId ?? seededUuid(this.#o.random),
      strategyId: '',
      ...(n.limitPrice === undefined ? {} : { limitPrice: n.limitPrice }),
      ...(n.stopPrice === undefined ? {} : { stopPrice: n.stopPrice }),
      ...(n.bracket === undefined ? {} : { bracket: n.bracket }),
      ...(n.trail === undefined ? {} : { trail: n.trail }),
    };
    const order = this.#call(() => this.#engine.submit(request));
    const orderClass = n.bracket === undefined ? '' : n.bracket.stopLoss !== undefined && n.bracket.takeProfit !== undefined ? 'bracket' : 'oto';
    this.#open(order, assetId, n.extendedHours, null, orderClass, n.trail ?? null);
    const entry = this.#records.get(order.id)!;
    // Alpaca creates a bracket's (or an OTO's) exits with the entry, orders of their own, `held` until
    // it is completely filled; the stream says nothing of them until then (see #onEngineEvent).
    for (const leg of this.#engine.heldLegs(order.id)) {
      this.#open(leg, assetId, false, null, orderClass, null, order.id);
      entry.legs.push(leg.id);
    }
    return copyRecord(entry);
  }

  /**
   * Matches the symbol's orders against the current NBBO, as Alpaca's paper venue does right after
   * an order arrives. The emulator calls it once the HTTP answer is on its way.
   */
  matchNow(symbol: string): void {
    const q = this.#o.lastQuote(symbol);
    const now = this.#o.clock.now();
    if (q === undefined || !this.isOpen(now)) return;
    this.#engine.onQuote({ ...q, time: now });
  }

  /** A new NBBO from the market: working orders trade if marketable. */
  onQuote(q: Quote): void {
    if (this.isOpen(q.time)) this.#engine.onQuote(q);
  }

  /** The open: orders received while closed are routed. */
  onOpen(): void {
    const now = this.#o.clock.now();
    for (const id of [...this.#unrouted]) {
      const r = this.#records.get(id)!;
      this.#unrouted.delete(id);
      r.status = r.order.status === 'new' ? 'new' : r.status;
      r.updatedAt = now;
      this.#emit({ event: 'new', order: copyRecord(r), timestamp: now });
    }
  }

  /** The close: routed day orders still working expire; positions are marked for tomorrow's change. */
  onClose(): void {
    for (const o of this.#engine.openOrders()) {
      if (o.timeInForce === 'day' && !this.#unrouted.has(o.id)) this.#engine.cancel(o.id, 'expired');
    }
    for (const p of this.#engine.positions()) {
      const price = this.#o.lastPrice(p.symbol);
      if (price !== undefined) this.#lastdayPrice.set(p.symbol, price);
    }
    for (const s of this.#o.symbols) {
      const price = this.#o.lastPrice(s);
      if (price !== undefined) this.#lastdayPrice.set(s, price);
    }
    this.#lastEquity = this.account().equity;
  }

  cancel(id: string): void {
    const r = this.#records.get(id);
    if (r === undefined) throw notFound('order not found');
    if (isFinal(r.status)) throw new ApiError(422, AlpacaCode.Unprocessable, `order is already in "${r.status}" state`);
    this.#engine.cancel(id);
  }

  /** Cancels every open order; Alpaca's 207 list of `{id, status}`. */
  cancelAll(): Array<{ id: string; status: number }> {
    return this.#engine.openOrders().map((o) => {
      this.#engine.cancel(o.id);
      return { id: o.id, status: 200 };
    });
  }

  /** Alpaca's PATCH: a new order with a new id replaces the old one, which ends `replaced`. */
  replace(id: string, c: OrderChanges): OrderRecord {
    this.#checkTrading();
    const r = this.#records.get(id);
    if (r === undefined) throw notFound('order not found');
    if (r.status !== 'new' && r.status !== 'partially_filled') throw new ApiError(422, AlpacaCode.Unprocessable, `order is not replaceable in "${r.status}" state`);
    const o = r.order;
    if (c.limitPrice !== undefined && o.type !== 'limit') throw invalid('limit_price can be changed only on limit orders');
    if (c.stopPrice !== undefined && o.type !== 'stop') throw invalid('stop_price can be changed only on stop orders');
    checkTick('limit_price', c.limitPrice);
    checkTick('stop_price', c.stopPrice);
    if (c.clientOrderId !== undefined && this.#byClientId.has(c.clientOrderId)) throw invalid('client_order_id must be unique');
    const limitPrice = c.limitPrice ?? o.limitPrice;
    const stopPrice = c.stopPrice ?? o.stopPrice;
    const request: OrderRequest = {
      symbol: o.symbol,
      side: o.side,
      type: o.type,
      qty: c.qty ?? o.qty - o.filledQty,
      timeInForce: c.timeInForce ?? o.timeInForce,
      clientOrderId: c.clientOrderId ?? seededUuid(this.#o.random),
      strategyId: '',
      ...(limitPrice === null ? {} : { limitPrice }),
      ...(stopPrice === null ? {} : { stopPrice }),
    };
    const { old, replacement } = this.#call(() => this.#engine.replace(id, request));
    const now = this.#o.clock.now();
    r.order = old;
    r.status = 'replaced';
    r.replacedAt = now;
    r.replacedBy = replacement.id;
    r.updatedAt = now;
    this.#emit({ event: 'replaced', order: copyRecord(r), timestamp: now });
    this.#open(replacement, r.assetId, r.extendedHours, r.order.id, r.orderClass, null, r.parentId);
    const next = this.#records.get(replacement.id)!;
    // The group stays whole: a replaced entry's held exits follow the replacement (sized to it), and
    // a replaced exit takes its place under its entry.
    for (const id of r.legs) {
      const leg = this.#records.get(id);
      if (leg === undefined || leg.status !== 'held') continue;
      leg.parentId = next.order.id;
      leg.order = this.#engine.order(id) ?? leg.order;
      leg.updatedAt = now;
      next.legs.push(id);
    }
    if (next.legs.length > 0) r.legs = r.legs.filter((id) => !next.legs.includes(id));
    const parent = r.parentId === null ? undefined : this.#records.get(r.parentId);
    if (parent !== undefined) parent.legs = parent.legs.map((id) => (id === r.order.id ? next.order.id : id));
    return copyRecord(next);
  }

  /** Sells all or part of a position at market (DELETE /v2/positions/{symbol}); returns the order. */
  closePosition(symbol: string, part: { qty?: number; percentage?: number } = {}): OrderRecord {
    const held = this.#engine.positions().find((p) => p.symbol === symbol);
    if (held === undefined) throw notFound('position does not exist');
    if (part.qty !== undefined && part.percentage !== undefined) throw invalid('only one of qty or percentage may be given');
    if (part.percentage !== undefined && !(part.percentage > 0 && part.percentage <= 100)) throw invalid(`invalid percentage ${part.percentage}: must be in (0, 100]`);
    const qty = part.qty ?? (part.percentage === undefined ? held.qty : Math.round(((held.qty * part.percentage) / 100) * 1e9) / 1e9);
    const whole = Number.isInteger(qty);
    return this.submit({ symbol, qty, side: 'sell', type: 'market', timeInForce: whole ? 'gtc' : 'day', extendedHours: false });
  }

  /** Closes every position (DELETE /v2/positions), cancelling open orders first when asked. */
  closeAll(cancelOrders: boolean): Array<{ symbol: string; status: number; body: OrderRecord | { code: number; message: string } }> {
    if (cancelOrders) this.cancelAll();
    return this.#engine.positions().map((p) => {
      try {
        return { symbol: p.symbol, status: 200, body: this.closePosition(p.symbol) };
      } catch (error) {
        if (error instanceof ApiError) return { symbol: p.symbol, status: error.status, body: { code: error.code, message: error.message } };
        throw error;
      }
    });
  }

  order(id: string): OrderRecord | undefined {
    const r = this.#records.get(id);
    return r === undefined ? undefined : this.#fresh(r);
  }

  /** A copy with what moves without events: a trailing stop's stop price and high-water mark. */
  #fresh(r: OrderRecord): OrderRecord {
    const c = copyRecord(r);
    if (r.trail === null || isFinal(r.status)) return c;
    const live = this.#engine.order(r.order.id);
    if (live !== undefined) c.order = live;
    c.hwm = this.#engine.highWaterMark(r.order.id);
    return c;
  }

  orderByClientId(clientOrderId: string): OrderRecord | undefined {
    const id = this.#byClientId.get(clientOrderId);
    return id === undefined ? undefined : this.order(id);
  }

  /** Every order, oldest first. */
  orders(): OrderRecord[] {
    return this.#sequence.map((id) => this.#fresh(this.#records.get(id)!));
  }

  positions(): Array<{ symbol: string; assetId: string; qty: number; avgPrice: number; price: number; lastdayPrice: number; qtyAvailable: number }> {
    const open = this.#engine.openOrders();
    return this.#engine.positions().map((p) => {
      const price = this.#o.lastPrice(p.symbol) ?? p.avgPrice;
      const heldForSells = open.filter((o) => o.symbol === p.symbol && o.side === 'sell').reduce((s, o) => s + o.qty - o.filledQty, 0);
      return {
        symbol: p.symbol,
        assetId: this.#assetIds.get(p.symbol)!,
        qty: p.qty,
        avgPrice: p.avgPrice,
        price,
        lastdayPrice: this.#lastdayPrice.get(p.symbol) ?? price,
        qtyAvailable: p.qty - heldForSells,
      };
    });
  }

  /** Cash, positions at their last trade price, and what they add up to. */
  account(): { cash: number; longMarketValue: number; equity: number; lastEquity: number; buyingPower: number } {
    const cash = this.#engine.account().cash;
    const longMarketValue = this.positions().reduce((s, p) => s + p.qty * p.price, 0);
    return { cash, longMarketValue, equity: cash + longMarketValue, lastEquity: this.#lastEquity, buyingPower: Math.max(0, this.#engine.buyingPower()) };
  }

  /** Records an order the engine accepted; `parentId`: a bracket / OTO exit, held (not reported) until its entry is filled. */
  #open(order: Order, assetId: string, extendedHours: boolean, replaces: string | null, orderClass: OrderRecord['orderClass'] = '', trail: OrderRecord['trail'] = null, parentId: string | null = null): OrderRecord {
    const now = this.#o.clock.now();
    const held = parentId !== null && replaces === null;
    const routed = this.isOpen(now);
    const r: OrderRecord = {
      order,
      status: held ? 'held' : routed ? 'new' : 'accepted',
      assetId,
      extendedHours,
      createdAt: now,
      updatedAt: now,
      filledAt: null,
      canceledAt: null,
      expiredAt: null,
      failedAt: null,
      replacedAt: null,
      replacedBy: null,
      replaces,
      orderClass,
      legs: [],
      parentId,
      trail,
      hwm: this.#engine.highWaterMark(order.id),
    };
    this.#records.set(order.id, r);
    this.#byClientId.set(order.clientOrderId, order.id);
    this.#sequence.push(order.id);
    if (held) return copyRecord(r);
    if (routed) this.#emit({ event: 'new', order: copyRecord(r), timestamp: now });
    else this.#unrouted.add(order.id);
    return copyRecord(r);
  }

  #onEngineEvent(e: OrderEvent): void {
    const r = this.#records.get(e.order.id);
    if (r === undefined || e.order.id === this.#silenced) return;
    if (e.kind === 'new') {
      // `new` for an order of its own is reported by #open (its record does not exist yet when the
      // engine announces it). Here: a held exit becomes active, its entry completely filled. Alpaca's
      // docs say the exits are "activated" then; the stream reports each as `new` (it is routed).
      if (r.status !== 'held') return;
      const routed = this.isOpen(e.time);
      r.order = e.order;
      r.status = routed ? 'new' : 'accepted';
      r.updatedAt = e.time;
      if (routed) this.#emit({ event: 'new', order: copyRecord(r), timestamp: e.time });
      else this.#unrouted.add(r.order.id);
      return;
    }
    r.order = e.order;
    r.updatedAt = e.time;
    switch (e.kind) {
      case 'fill':
      case 'partial_fill': {
        r.status = e.kind === 'fill' ? 'filled' : 'partially_filled';
        if (e.kind === 'fill') r.filledAt = e.time;
        const positionQty = this.#engine.positions().find((p) => p.symbol === e.fill.symbol)?.qty ?? 0;
        this.#emit({ event: e.kind, order: copyRecord(r), timestamp: e.time, execution: { id: e.fill.executionId, price: e.fill.price, qty: e.fill.qty, positionQty } });
        return;
      }
      case 'canceled':
      case 'expired':
        r.status = e.kind;
        if (e.kind === 'canceled') r.canceledAt = e.time;
        else r.expiredAt = e.time;
        this.#unrouted.delete(r.order.id);
        this.#emit({ event: e.kind, order: copyRecord(r), timestamp: e.time });
        this.#endHeldLegs(r, e.time);
        return;
      case 'rejected':
        r.status = 'rejected';
        r.failedAt = e.time;
        this.#emit({ event: 'rejected', order: copyRecord(r), timestamp: e.time });
        this.#endHeldLegs(r, e.time);
        return;
    }
  }

  /**
   * An entry ended before it was completely filled: its held exits end with it (the engine has
   * marked them), reported after it. Alpaca: "If any one of the orders is canceled, any remaining
   * open order in the group is canceled", and the exits are activated only once the entry is
   * completely filled, so a partly filled entry's shares are left without exits.
   */
  #endHeldLegs(entry: OrderRecord, time: number): void {
    for (const id of entry.legs) {
      const leg = this.#records.get(id);
      if (leg === undefined || leg.status !== 'held') continue;
      const o = this.#engine.order(id);
      const status = o?.status === 'expired' ? 'expired' : 'canceled';
      if (o !== undefined) leg.order = o;
      leg.status = status;
      leg.updatedAt = time;
      if (status === 'canceled') leg.canceledAt = time;
      else leg.expiredAt = time;
      this.#emit({ event: status, order: copyRecord(leg), timestamp: time });
    }
  }

  /** Rejects an accepted order after the fact (a fault drill: the venue refuses it asynchronously). */
  rejectLater(id: string): void {
    const r = this.#records.get(id);
    if (r === undefined || isFinal(r.status)) return;
    const now = this.#o.clock.now();
    this.#silenced = id;
    try {
      this.#engine.cancel(id);
    } finally {
      this.#silenced = null;
    }
    r.order = { ...r.order, status: 'rejected', updatedAt: now };
    r.status = 'rejected';
    r.canceledAt = null;
    r.failedAt = now;
    r.updatedAt = now;
    this.#emit({ event: 'rejected', order: copyRecord(r), timestamp: now });
    this.#endHeldLegs(r, now);
  }

  /** How much of `order` trades on one quote: all of it, except `partialFillRate` of the time a random part. */
  #partialSize(order: Order): number {
    const remaining = order.qty - order.filledQty;
    if (remaining < 2 || this.#o.random() >= this.#o.partialFillRate) return remaining;
    return 1 + Math.floor(this.#o.random() * (Math.floor(remaining) - 1));
  }

  #checkTrading(): void {
    if (this.flags.accountBlocked) throw new ApiError(403, AlpacaCode.Forbidden, 'account is blocked');
    if (this.flags.tradingBlocked) throw new ApiError(403, AlpacaCode.Forbidden, 'trading is blocked for this account');
  }

  /** Engine refusals become Alpaca's answers (403 insufficient buying power / qty, 422 invalid). */
  #call<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      if (error instanceof BrokerRejectError) {
        const code = typeof error.brokerCode === 'number' ? error.brokerCode : AlpacaCode.Invalid;
        throw new ApiError(error.status, code, error.message);
      }
      throw error;
    }
  }

  #emit(u: TradeUpdate): void {
    for (const l of this.#listeners) l(u);
  }
}
