import { MatchingEngine } from '../../broker/sim/MatchingEngine.js';
import { noCommission } from '../../broker/sim/CommissionModel.js';
import { noSlippage } from '../../broker/sim/SlippageModel.js';
import { BrokerRejectError } from '../../core/errors.js';
import { isTerminal, type Order, type OrderRequest, type TimeInForce } from '../../core/Order.js';
import type { OrderEvent } from '../../core/OrderEvent.js';
import type { Quote } from '../../core/Quote.js';
import { seededUuid } from '../../core/seededRandom.js';
import { NEW_YORK, nyDateOf, wallTimeToUtc } from '../../market-data/zonedTime.js';
import type { MarketCalendar } from '../../risk/calendar/MarketCalendar.js';
import { AlpacaCode, ApiError, invalid, notFound } from '../http/ApiError.js';
import type { Auction } from '../market/MarketEvent.js';
import { phaseAt, sessionOf, type TradingPhase } from '../market/tradingPhase.js';
import { defaultConfigurations, type AccountConfigurations } from './AccountConfigurations.js';
import type { NewOrder, OrderChanges, OrderClass, WireTif, WireType } from './NewOrder.js';
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
  /** The close of the trading day before `now`'s (a position's `lastday_price`). */
  readonly previousClose?: (symbol: string, now: number) => number | undefined;
  /** Share of fills that are partial, of a random size (Alpaca's paper venue: 10 %). */
  readonly partialFillRate: number;
  readonly random: () => number;
}

/** The account's switches an admin can flip (a blocked account, as Alpaca reports one). */
export interface AccountFlags {
  tradingBlocked: boolean;
  accountBlocked: boolean;
}

/** One execution, as GET /v2/account/activities lists it (activity type FILL). */
export interface FillActivity {
  readonly id: string;
  readonly time: number;
  readonly orderId: string;
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly qty: number;
  readonly price: number;
  readonly cumQty: number;
  readonly leavesQty: number;
  readonly orderStatus: string;
  readonly type: 'fill' | 'partial_fill';
}

/** What the venue asks of an order beyond the engine's order: Alpaca's rules the engine does not know. */
interface Policy {
  readonly tif: WireTif;
  readonly extended: boolean;
  /** A stop-limit's limit: once the stop is reached it trades only at this price or better. */
  stopLimit: number | null;
  /** The stop was reached in the regular session (stops and trailing stops trigger only then). */
  triggered: boolean;
}

/**
 * An OCO pair (a take-profit limit and a stop or stop-limit, selling one position): one market sell
 * in the engine, which the venue lets trade when one leg's condition holds, and two orders for Alpaca.
 */
interface OcoGroup {
  readonly engineId: string;
  tp: string;
  sl: string;
  tpLimit: number;
  slStop: number;
  slLimit: number | null;
  triggered: boolean;
  executing: 'tp' | 'sl' | null;
}

/** The quote the engine is matching, and why (the regular session, an extended one, an auction). */
interface MatchContext {
  readonly quote: Quote;
  readonly phase: TradingPhase;
  readonly auction: 'open' | 'close' | null;
}

interface OpenSpec {
  readonly assetId: string;
  readonly extendedHours: boolean;
  readonly type: WireType;
  readonly timeInForce: WireTif;
  readonly notional?: number | null;
  readonly stopLimitPrice?: number | null;
  readonly orderClass?: OrderClass;
  readonly trail?: OrderRecord['trail'];
  readonly parentId?: string | null;
  readonly replaces?: string | null;
  /** A group exit waiting for its entry (Alpaca's `held`). */
  readonly held?: boolean;
}

const MINUTE = 60_000;

/**
 * The paper account behind the emulator: Alpaca's order lifecycle on top of the shared matching
 * engine, which it leaves as the offline mode uses it and steers from outside: the engine asks the
 * venue how much of an order may trade on each quote (its `quoteLiquidity`), and the venue answers
 * with Alpaca's rules the engine does not know: the session an order may trade in (regular hours;
 * extended-hours orders in the pre-market and after-hours too; `opg`/`cls` orders only at their
 * auction), a stop's trigger (reached in the regular session, as Alpaca triggers stops and trailing
 * stops), a stop-limit's limit once triggered, `fok` (all at once or nothing), an OCO pair's legs,
 * and the paper venue's random partial fills. Orders received while their session is closed are
 * `accepted` and routed (`new`) when it opens; day orders still working at the close expire
 * (extended-hours ones at 20:00). It is a cash account: no margin, no short selling.
 */
export class EmulatedVenue {
  readonly #o: EmulatedVenueOptions;
  readonly #engine: MatchingEngine;
  readonly #records = new Map<string, OrderRecord>();
  /** Order ids in creation order, for listings. */
  readonly #sequence: string[] = [];
  readonly #unrouted = new Set<string>();
  readonly #byClientId = new Map<string, string>();
  /** Engine orders' policies, by engine order id. */
  readonly #policies = new Map<string, Policy>();
  readonly #ocoByEngine = new Map<string, OcoGroup>();
  readonly #ocoByRecord = new Map<string, OcoGroup>();
  /** `ioc` / `fok` orders: one quote to trade on, then what is left is canceled. */
  readonly #oneShot = new Set<string>();
  /** Extended-hours orders still working (engine ids): the only ones extended sessions are matched for. */
  readonly #extendedLive = new Set<string>();
  #ctx: MatchContext | null = null;
  /** The market time being processed (a quote's, a session boundary's); the clock's otherwise. */
  #at: number | null = null;
  /** An order the venue takes off the book itself (a fault's rejection): the engine's cancel event is not reported. */
  #silenced: string | null = null;
  readonly #assetIds = new Map<string, string>();
  readonly #closes: Array<{ readonly date: string; readonly equity: number }> = [];
  readonly #activities: FillActivity[] = [];
  #listeners: ReadonlyArray<(u: TradeUpdate) => void> = [];
  readonly flags: AccountFlags = { tradingBlocked: false, accountBlocked: false };
  readonly configurations: AccountConfigurations = defaultConfigurations();
  readonly accountId: string;
  readonly createdAt: number;
  readonly startingCash: number;

  constructor(o: EmulatedVenueOptions) {
    this.#o = o;
    const random = o.random;
    this.accountId = seededUuid(random);
    for (const s of o.symbols) this.#assetIds.set(s, seededUuid(random));
    this.createdAt = o.clock.now();
    this.startingCash = o.startingCash;
    this.#engine = new MatchingEngine({
      clock: { now: () => this.#now() },
      startingCash: o.startingCash,
      slippage: noSlippage,
      commission: noCommission,
      ids: { order: () => seededUuid(random), execution: () => seededUuid(random) },
      quoteLiquidity: (order) => this.#liquidity(order),
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

  /** The regular session is open (Alpaca's clock `is_open`). */
  isOpen(at = this.#now()): boolean {
    return phaseAt(this.#o.calendar, at) === 'regular';
  }

  /** Every execution so far, oldest first (account activities). */
  activities(): readonly FillActivity[] {
    return this.#activities;
  }

  /** Accepts an order or throws the ApiError Alpaca would answer. */
  submit(n: NewOrder): OrderRecord {
    this.#checkTrading();
    const assetId = this.#assetIds.get(n.symbol);
    if (assetId === undefined) throw invalid(`asset "${n.symbol}" not found`);
    checkTick('limit_price', n.limitPrice);
    checkTick('stop_price', n.stopPrice);
    checkTick('take_profit.limit_price', n.takeProfit);
    checkTick('stop_loss.stop_price', n.stopLoss?.stopPrice);
    checkTick('stop_loss.limit_price', n.stopLoss?.limitPrice);
    if (n.clientOrderId !== undefined && (n.clientOrderId.length === 0 || n.clientOrderId.length > 128)) throw invalid('client_order_id must be 1 to 128 characters');
    if (n.clientOrderId !== undefined && this.#byClientId.has(n.clientOrderId)) throw invalid('client_order_id must be unique');
    const now = this.#now();
    this.#checkAuctionWindow(n.timeInForce, now);
    const fractional = n.notional !== undefined || (n.qty !== undefined && !Number.isInteger(n.qty));
    if (fractional && !this.configurations.fractional_trading) throw invalid('fractional trading is disabled for this account (account configurations: fractional_trading)');
    let qty = n.qty ?? this.#notionalQty(n);
    if (n.side === 'sell') {
      // A sell of the whole position in other words (0.1 + 0.2 shares bought, "0.3" sold) sells exactly what is held.
      const held = this.#held(n.symbol);
      if (Math.abs(qty - held) < 1e-9) qty = held;
    }
    const engineTif: TimeInForce = n.timeInForce === 'gtc' ? 'gtc' : 'day';
    const clientOrderId = n.clientOrderId ?? seededUuid(this.#o.random);
    if (n.orderClass === 'oco') return this.#submitOco(n, qty, engineTif, clientOrderId, assetId);
    const exitLimit = n.stopLoss?.limitPrice ?? null;
    const request: OrderRequest = {
      symbol: n.symbol,
      side: n.side,
      qty,
      type: n.type === 'market' || n.type === 'limit' ? n.type : 'stop',
      timeInForce: engineTif,
      clientOrderId,
      strategyId: '',
      ...(n.limitPrice === undefined ? {} : { limitPrice: n.limitPrice }),
      ...(n.stopPrice === undefined ? {} : { stopPrice: n.stopPrice }),
      ...(n.orderClass === 'bracket' || n.orderClass === 'oto'
        ? { bracket: { ...(n.stopLoss === undefined ? {} : { stopLoss: n.stopLoss.stopPrice }), ...(n.takeProfit === undefined ? {} : { takeProfit: n.takeProfit }) } }
        : {}),
      ...(n.trail === undefined ? {} : { trail: n.trail }),
    };
    const order = this.#call(() => this.#engine.submit(request));
    this.#policies.set(order.id, { tif: n.timeInForce, extended: n.extendedHours, stopLimit: n.type === 'stop_limit' ? n.limitPrice! : null, triggered: false });
    if (n.timeInForce === 'ioc' || n.timeInForce === 'fok') this.#oneShot.add(order.id);
    if (n.extendedHours) this.#extendedLive.add(order.id);
    this.#open(order, { assetId, extendedHours: n.extendedHours, type: n.type, timeInForce: n.timeInForce, notional: n.notional ?? null, orderClass: n.orderClass ?? '', trail: n.trail ?? null });
    const entry = this.#records.get(order.id)!;
    // Alpaca creates a bracket's (or an OTO's) exits with the entry, orders of their own, `held` until
    // it is completely filled; the stream says nothing of them until then (see #onEngineEvent).
    for (const leg of this.#engine.heldLegs(order.id)) {
      const stopLimit = leg.type === 'stop' ? exitLimit : null;
      this.#policies.set(leg.id, { tif: engineTif, extended: false, stopLimit, triggered: false });
      this.#open(leg, { assetId, extendedHours: false, type: leg.type === 'stop' ? (stopLimit === null ? 'stop' : 'stop_limit') : 'limit', timeInForce: engineTif, stopLimitPrice: stopLimit, orderClass: n.orderClass ?? '', parentId: order.id, held: true });
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
    const now = this.#now();
    if (q === undefined) return;
    const phase = phaseAt(this.#o.calendar, now);
    if (phase === 'regular') {
      this.#match({ ...q, time: now }, phase);
    } else if (phase === 'pre' || phase === 'post') {
      // Only a quote of this very session: without extended-hours minutes there is no market now.
      const s = sessionOf(this.#o.calendar, now)!;
      if (q.time >= (phase === 'pre' ? s.preOpen : s.close) && this.#extendedActive(symbol)) this.#match(this.#extendedQuote({ ...q, time: now }), phase);
    }
  }

  /** A new NBBO from the market: working orders trade if marketable (extended-hours ones in the extended sessions). */
  onQuote(q: Quote): void {
    const phase = phaseAt(this.#o.calendar, q.time);
    if (phase === 'regular') this.#match(q, phase);
    else if ((phase === 'pre' || phase === 'post') && this.#extendedActive(q.symbol)) this.#match(this.#extendedQuote(q), phase);
  }

  /**
   * An opening or closing auction: the symbol's `opg` (or `cls`) orders trade at its price, entirely
   * (a limit only if the price is at its limit or better); what did not trade is canceled.
   */
  onAuction(a: Auction): void {
    const tif: WireTif = a.phase === 'open' ? 'opg' : 'cls';
    const participants = this.#engine.openOrders().filter((o) => o.symbol === a.symbol && this.#policies.get(o.id)?.tif === tif && o.submittedAt <= a.time && !this.#unrouted.has(o.id));
    if (participants.length === 0) return;
    // The auction price is both sides of the quote; a trailing stop's mark is not moved by it (buys only need the ask).
    const sells = participants.some((o) => o.side === 'sell');
    const bid = sells ? a.price : Math.min(a.price, this.#lowestMark(a.symbol));
    this.#match({ symbol: a.symbol, time: a.time, bid, ask: a.price, bidSize: 0, askSize: 0 }, 'regular', a.phase);
    for (const o of participants) {
      const left = this.#engine.order(o.id);
      if (left !== undefined && !isTerminal(left.status)) this.#engine.cancel(o.id);
    }
  }

  /** 04:00 (`at`): extended-hours orders received while closed are routed. */
  onPreOpen(at?: number): void {
    this.#during(at, () => this.#route((r) => r.extendedHours));
  }

  /** The open (`at`): orders received while closed are routed. */
  onOpen(at?: number): void {
    this.#during(at, () => this.#route(() => true));
  }

  /**
   * The close: routed day orders still working expire (extended-hours ones live on until 20:00),
   * `opg`/`cls` orders their auction did not fill are canceled; the day's closing equity is kept.
   */
  onClose(at?: number): void {
    this.#during(at, () => this.#close());
  }

  #close(): void {
    for (const o of this.#engine.openOrders()) {
      if (o.timeInForce !== 'day' || this.#unrouted.has(o.id)) continue;
      const p = this.#policies.get(o.id);
      if (p?.extended === true) continue;
      if (p?.tif === 'opg' || p?.tif === 'cls') this.#engine.cancel(o.id);
      else this.#engine.cancel(o.id, 'expired');
    }
    const now = this.#now();
    this.#closes.push({ date: nyDateOf(now), equity: this.account().equity });
  }

  /** 20:00 (17:00 after an early close; `at`): the after-hours session ends; extended-hours day orders expire. */
  onPostClose(at?: number): void {
    this.#during(at, () => {
      for (const o of this.#engine.openOrders()) {
        if (o.timeInForce === 'day' && !this.#unrouted.has(o.id) && this.#policies.get(o.id)?.extended === true) this.#engine.cancel(o.id, 'expired');
      }
    });
  }

  #now(): number {
    return this.#at ?? this.#o.clock.now();
  }

  /** Runs `fn` at market time `at` (what it does is stamped then), or now. */
  #during(at: number | undefined, fn: () => void): void {
    if (at === undefined) {
      fn();
      return;
    }
    const outer = this.#at;
    this.#at = at;
    try {
      fn();
    } finally {
      this.#at = outer;
    }
  }

  cancel(id: string): void {
    const r = this.#records.get(id);
    if (r === undefined) throw notFound('order not found');
    if (isFinal(r.status)) throw new ApiError(422, AlpacaCode.Unprocessable, `order is already in "${r.status}" state`);
    this.#engine.cancel(this.#ocoByRecord.get(id)?.engineId ?? id);
  }

  /** Cancels every open order; Alpaca's 207 list of `{id, status}`. */
  cancelAll(): Array<{ id: string; status: number }> {
    return this.#engine.openOrders().map((o) => {
      const g = this.#ocoByEngine.get(o.id);
      this.#engine.cancel(o.id);
      return { id: g?.tp ?? o.id, status: 200 };
    });
  }

  /** Alpaca's PATCH: a new order with a new id replaces the old one, which ends `replaced`. */
  replace(id: string, c: OrderChanges): OrderRecord {
    this.#checkTrading();
    const r = this.#records.get(id);
    if (r === undefined) throw notFound('order not found');
    if (r.status !== 'new' && r.status !== 'partially_filled') throw new ApiError(422, AlpacaCode.Unprocessable, `order is not replaceable in "${r.status}" state`);
    if (c.clientOrderId !== undefined && this.#byClientId.has(c.clientOrderId)) throw invalid('client_order_id must be unique');
    checkTick('limit_price', c.limitPrice);
    checkTick('stop_price', c.stopPrice);
    const group = this.#ocoByRecord.get(id);
    if (group !== undefined) return this.#replaceOcoLeg(r, group, c);
    const o = r.order;
    const limits = r.type === 'limit' || r.type === 'stop_limit';
    const stops = r.type === 'stop' || r.type === 'stop_limit';
    if (c.limitPrice !== undefined && !limits) throw invalid('limit_price can be changed only on limit and stop_limit orders');
    if (c.stopPrice !== undefined && !stops) throw invalid('stop_price can be changed only on stop and stop_limit orders');
    const policy = this.#policies.get(id);
    const stopLimit = r.type === 'stop_limit' ? (c.limitPrice ?? policy?.stopLimit ?? o.limitPrice) : null;
    const limitPrice = r.type === 'limit' ? (c.limitPrice ?? o.limitPrice) : stopLimit;
    const stopPrice = r.trail !== null ? null : (c.stopPrice ?? o.stopPrice);
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
      ...(r.trail === null ? {} : { trail: r.trail }),
    };
    const { old, replacement } = this.#call(() => this.#engine.replace(id, request));
    const now = this.#now();
    r.order = old;
    r.status = 'replaced';
    r.replacedAt = now;
    r.replacedBy = replacement.id;
    r.updatedAt = now;
    this.#policies.set(replacement.id, { tif: c.timeInForce ?? r.timeInForce, extended: r.extendedHours, stopLimit, triggered: policy?.triggered ?? false });
    if (this.#oneShot.delete(id)) this.#oneShot.add(replacement.id);
    if (this.#extendedLive.delete(id)) this.#extendedLive.add(replacement.id);
    this.#emit({ event: 'replaced', order: copyRecord(r), timestamp: now });
    this.#open(replacement, {
      assetId: r.assetId,
      extendedHours: r.extendedHours,
      type: r.type,
      timeInForce: c.timeInForce ?? r.timeInForce,
      notional: r.notional,
      stopLimitPrice: stopLimit,
      orderClass: r.orderClass,
      trail: r.trail,
      replaces: r.order.id,
      parentId: r.parentId,
    });
    const next = this.#records.get(replacement.id)!;
    // The group stays whole: a replaced entry's held exits follow the replacement (sized to it), and
    // a replaced exit takes its place under its entry.
    for (const legId of r.legs) {
      const leg = this.#records.get(legId);
      if (leg === undefined || leg.status !== 'held') continue;
      leg.parentId = next.order.id;
      leg.order = this.#engine.order(legId) ?? leg.order;
      leg.updatedAt = now;
      next.legs.push(legId);
    }
    if (next.legs.length > 0) r.legs = r.legs.filter((x) => !next.legs.includes(x));
    const parent = r.parentId === null ? undefined : this.#records.get(r.parentId);
    if (parent !== undefined) parent.legs = parent.legs.map((x) => (x === r.order.id ? next.order.id : x));
    return copyRecord(next);
  }

  /** Sells all or part of a position at market (DELETE /v2/positions/{symbol}); returns the order. */
  closePosition(symbol: string, part: { qty?: number; percentage?: number } = {}): OrderRecord {
    const held = this.#held(symbol);
    if (held === 0) throw notFound('position does not exist');
    if (part.qty !== undefined && part.percentage !== undefined) throw invalid('only one of qty or percentage may be given');
    if (part.percentage !== undefined && !(part.percentage > 0 && part.percentage <= 100)) throw invalid(`invalid percentage ${part.percentage}: must be in (0, 100]`);
    const qty = part.qty ?? (part.percentage === undefined ? held : Math.round(((held * part.percentage) / 100) * 1e9) / 1e9);
    const whole = Number.isInteger(qty);
    return this.submit({ symbol, qty, side: 'sell', type: 'market', timeInForce: whole ? 'gtc' : 'day', extendedHours: false, orderClass: '' });
  }

  /** Closes every position (DELETE /v2/positions), cancelling open orders first when asked. */
  closeAll(cancelOrders: boolean): Array<{ symbol: string; status: number; body: OrderRecord | { code: number; message: string } }> {
    if (cancelOrders) this.cancelAll();
    return this.positions().map((p) => {
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
    const now = this.#now();
    return this.#engine
      .positions()
      .filter((p) => Math.abs(p.qty) >= 1e-9)
      .map((p) => {
        const price = this.#o.lastPrice(p.symbol) ?? p.avgPrice;
        const heldForSells = open.filter((o) => o.symbol === p.symbol && o.side === 'sell').reduce((s, o) => s + o.qty - o.filledQty, 0);
        return {
          symbol: p.symbol,
          assetId: this.#assetIds.get(p.symbol)!,
          qty: p.qty,
          avgPrice: p.avgPrice,
          price,
          lastdayPrice: this.#o.previousClose?.(p.symbol, now) ?? price,
          qtyAvailable: p.qty - heldForSells,
        };
      });
  }

  /** Cash, positions at their last trade price, and what they add up to. */
  account(): { cash: number; longMarketValue: number; equity: number; lastEquity: number; buyingPower: number } {
    const cash = this.#engine.account().cash;
    const longMarketValue = this.positions().reduce((s, p) => s + p.qty * p.price, 0);
    const today = nyDateOf(this.#now());
    let lastEquity = this.startingCash;
    for (const c of this.#closes) if (c.date < today) lastEquity = c.equity;
    return { cash, longMarketValue, equity: cash + longMarketValue, lastEquity, buyingPower: Math.max(0, this.#engine.buyingPower()) };
  }

  /** Rejects an accepted order after the fact (a fault drill: the venue refuses it asynchronously). */
  rejectLater(id: string): void {
    const r = this.#records.get(id);
    if (r === undefined || isFinal(r.status)) return;
    const now = this.#now();
    const group = this.#ocoByRecord.get(id);
    const engineId = group?.engineId ?? id;
    this.#silenced = engineId;
    try {
      this.#engine.cancel(engineId);
    } finally {
      this.#silenced = null;
    }
    this.#forget(engineId);
    const rejected = group === undefined ? [r] : [group.tp, group.sl].map((x) => this.#records.get(x)!).filter((x) => !isFinal(x.status));
    for (const x of rejected) {
      x.order = { ...x.order, status: 'rejected', updatedAt: now };
      x.status = 'rejected';
      x.canceledAt = null;
      x.failedAt = now;
      x.updatedAt = now;
      this.#emit({ event: 'rejected', order: copyRecord(x), timestamp: now });
    }
    this.#endHeldLegs(r, now);
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

  /** Shares held (0 for none, or for the dust a float sum may leave). */
  #held(symbol: string): number {
    const q = this.#engine.positions().find((p) => p.symbol === symbol)?.qty ?? 0;
    return Math.abs(q) < 1e-9 ? 0 : q;
  }

  /** A notional order's shares: the dollars over the quote it would trade at now (ask to buy, bid to sell), to 9 decimals. */
  #notionalQty(n: NewOrder): number {
    const q = this.#o.lastQuote(n.symbol);
    const price = (n.side === 'buy' ? q?.ask : q?.bid) ?? this.#o.lastPrice(n.symbol);
    if (price === undefined || !(price > 0)) throw invalid(`no price for ${n.symbol} yet to size a notional order`);
    if (n.notional! < 1) throw invalid(`invalid notional: ${n.notional} (at least $1)`);
    const qty = Math.floor((n.notional! / price) * 1e9) / 1e9;
    if (!(qty > 0)) throw invalid(`notional ${n.notional} buys no share of ${n.symbol} at ${price}`);
    return qty;
  }

  /**
   * Alpaca's auction cut-offs: `opg` orders are refused from 9:28 to 19:00 New York time, `cls` orders
   * from 15:50 (ten minutes before the close) to 19:00; outside those hours they wait for the next
   * auction.
   */
  #checkAuctionWindow(tif: WireTif, now: number): void {
    if (tif !== 'opg' && tif !== 'cls') return;
    const s = sessionOf(this.#o.calendar, now);
    if (s === null) return;
    const [y, m, d] = s.date.split('-').map(Number) as [number, number, number];
    const seven = wallTimeToUtc(y, m, d, 19, 0, 0, 0, NEW_YORK);
    const from = tif === 'opg' ? s.open - 2 * MINUTE : s.close - 10 * MINUTE;
    if (now >= from && now < seven) {
      throw new ApiError(422, AlpacaCode.Unprocessable, tif === 'opg' ? 'opg orders are not accepted between 9:28 and 19:00 ET' : 'cls orders are not accepted from 10 minutes before the close to 19:00 ET');
    }
  }

  #submitOco(n: NewOrder, qty: number, engineTif: TimeInForce, clientOrderId: string, assetId: string): OrderRecord {
    const sl = n.stopLoss!;
    const request: OrderRequest = { symbol: n.symbol, side: 'sell', qty, type: 'market', timeInForce: engineTif, clientOrderId, strategyId: '' };
    const order = this.#call(() => this.#engine.submit(request));
    const slId = seededUuid(this.#o.random);
    const group: OcoGroup = { engineId: order.id, tp: order.id, sl: slId, tpLimit: n.takeProfit!, slStop: sl.stopPrice, slLimit: sl.limitPrice ?? null, triggered: false, executing: null };
    this.#ocoByEngine.set(order.id, group);
    this.#ocoByRecord.set(order.id, group);
    this.#ocoByRecord.set(slId, group);
    this.#policies.set(order.id, { tif: n.timeInForce, extended: false, stopLimit: null, triggered: false });
    const tpOrder: Order = { ...order, type: 'limit', limitPrice: group.tpLimit, stopPrice: null };
    const slOrder: Order = { ...order, id: slId, clientOrderId: seededUuid(this.#o.random), type: 'stop', limitPrice: group.slLimit, stopPrice: group.slStop };
    this.#open(tpOrder, { assetId, extendedHours: false, type: 'limit', timeInForce: n.timeInForce, orderClass: 'oco' });
    this.#open(slOrder, { assetId, extendedHours: false, type: group.slLimit === null ? 'stop' : 'stop_limit', timeInForce: n.timeInForce, orderClass: 'oco', parentId: order.id });
    const tp = this.#records.get(order.id)!;
    tp.legs.push(slId);
    return copyRecord(tp);
  }

  /** New prices for one leg of an OCO pair: the leg is replaced (a new order, the old one `replaced`). */
  #replaceOcoLeg(r: OrderRecord, g: OcoGroup, c: OrderChanges): OrderRecord {
    if (c.qty !== undefined || c.timeInForce !== undefined) throw invalid('the legs of an oco order take new prices only');
    const isTp = g.tp === r.order.id;
    const now = this.#now();
    let order: Order;
    if (isTp) {
      if (c.stopPrice !== undefined) throw invalid('stop_price can be changed only on stop and stop_limit orders');
      const tpLimit = c.limitPrice ?? g.tpLimit;
      if (!(tpLimit > g.slStop + 0.009)) throw invalid(`take-profit limit_price ${tpLimit} must be above the stop-loss stop_price ${g.slStop}`);
      g.tpLimit = tpLimit;
      order = { ...r.order, limitPrice: tpLimit };
    } else {
      if (c.limitPrice !== undefined && g.slLimit === null) throw invalid('limit_price can be changed only on limit and stop_limit orders');
      const slStop = c.stopPrice ?? g.slStop;
      if (!(g.tpLimit > slStop + 0.009)) throw invalid(`stop_price ${slStop} must be below the take-profit limit_price ${g.tpLimit}`);
      g.slStop = slStop;
      g.slLimit = c.limitPrice ?? g.slLimit;
      order = { ...r.order, stopPrice: slStop, limitPrice: g.slLimit };
    }
    const id = seededUuid(this.#o.random);
    order = { ...order, id, clientOrderId: c.clientOrderId ?? seededUuid(this.#o.random), qty: r.order.qty - r.order.filledQty, filledQty: 0, filledAvgPrice: null, status: 'new', submittedAt: now, updatedAt: now };
    r.status = 'replaced';
    r.order = { ...r.order, status: 'canceled', updatedAt: now };
    r.replacedAt = now;
    r.replacedBy = id;
    r.updatedAt = now;
    this.#ocoByRecord.delete(r.order.id);
    this.#ocoByRecord.set(id, g);
    this.#emit({ event: 'replaced', order: copyRecord(r), timestamp: now });
    this.#open(order, { assetId: r.assetId, extendedHours: false, type: r.type, timeInForce: r.timeInForce, orderClass: 'oco', replaces: r.order.id, parentId: isTp ? null : g.tp });
    const next = this.#records.get(id)!;
    if (isTp) {
      g.tp = id;
      next.legs = [g.sl];
      r.legs = [];
      this.#records.get(g.sl)!.parentId = id;
    } else {
      g.sl = id;
      const tp = this.#records.get(g.tp)!;
      tp.legs = [id];
    }
    return copyRecord(next);
  }

  /** Records an order: held (a group's exit), routed (`new`: its session is open) or `accepted` until it opens. */
  #open(order: Order, s: OpenSpec): OrderRecord {
    const now = this.#now();
    const held = s.held === true;
    const routed = this.#routable(s.extendedHours, now);
    const r: OrderRecord = {
      order,
      status: held ? 'held' : routed ? 'new' : 'accepted',
      assetId: s.assetId,
      extendedHours: s.extendedHours,
      type: s.type,
      timeInForce: s.timeInForce,
      notional: s.notional ?? null,
      stopLimitPrice: s.stopLimitPrice ?? null,
      createdAt: now,
      updatedAt: now,
      filledAt: null,
      canceledAt: null,
      expiredAt: null,
      failedAt: null,
      replacedAt: null,
      replacedBy: null,
      replaces: s.replaces ?? null,
      orderClass: s.orderClass ?? '',
      legs: [],
      parentId: s.parentId ?? null,
      trail: s.trail ?? null,
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

  /** An order can be routed now: in the regular session, or (extended-hours orders) the pre-market and after-hours. */
  #routable(extendedHours: boolean, at: number): boolean {
    const phase = phaseAt(this.#o.calendar, at);
    return phase === 'regular' || (extendedHours && (phase === 'pre' || phase === 'post'));
  }

  #route(which: (r: OrderRecord) => boolean): void {
    const now = this.#now();
    for (const id of [...this.#unrouted]) {
      const r = this.#records.get(id)!;
      if (!which(r)) continue;
      this.#unrouted.delete(id);
      if (isFinal(r.status)) continue;
      r.status = 'new';
      r.updatedAt = now;
      this.#emit({ event: 'new', order: copyRecord(r), timestamp: now });
    }
  }

  /**
   * How much of `order` may trade on the quote being matched: Alpaca's rules on top of the engine's
   * price test (the engine asks only once the quote makes the order marketable at its price).
   */
  #liquidity(order: Order): number {
    const ctx = this.#ctx;
    const remaining = order.qty - order.filledQty;
    if (ctx === null) return this.#partialSize(order);
    const group = this.#ocoByEngine.get(order.id);
    if (group !== undefined) return this.#ocoLiquidity(group, order, ctx);
    const p = this.#policies.get(order.id);
    const tif = p?.tif ?? order.timeInForce;
    if (ctx.auction !== null) return (tif === 'opg' && ctx.auction === 'open') || (tif === 'cls' && ctx.auction === 'close') ? remaining : 0;
    if (tif === 'opg' || tif === 'cls') return 0;
    if (ctx.phase !== 'regular' && p?.extended !== true) return 0;
    if (order.type === 'stop') {
      const q = ctx.quote;
      if (p?.triggered !== true) {
        const reached = order.side === 'sell' ? q.bid <= order.stopPrice! : q.ask >= order.stopPrice!;
        // Alpaca triggers stops (and trailing stops) in the regular session only.
        if (!reached || ctx.phase !== 'regular') return 0;
        if (p !== undefined) p.triggered = true;
      }
      const limit = p?.stopLimit ?? null;
      if (limit !== null && !(order.side === 'sell' ? q.bid >= limit : q.ask <= limit)) return 0;
    }
    return tif === 'fok' ? remaining : this.#partialSize(order);
  }

  /** An OCO pair trades (at the bid) when the take-profit's limit is reached, or once the stop is and its limit allows. */
  #ocoLiquidity(g: OcoGroup, order: Order, ctx: MatchContext): number {
    if (ctx.auction !== null || ctx.phase !== 'regular') return 0;
    const bid = ctx.quote.bid;
    if (bid >= g.tpLimit) {
      g.executing = 'tp';
      return this.#partialSize(order);
    }
    if (!g.triggered) {
      if (bid > g.slStop) return 0;
      g.triggered = true;
    }
    if (g.slLimit !== null && bid < g.slLimit) return 0;
    g.executing = 'sl';
    return this.#partialSize(order);
  }

  #match(q: Quote, phase: TradingPhase, auction: 'open' | 'close' | null = null): void {
    this.#during(q.time, () => {
      this.#ctx = { quote: q, phase, auction };
      try {
        this.#engine.onQuote(q);
      } finally {
        this.#ctx = null;
      }
      if (auction === null && phase === 'regular' && this.#oneShot.size > 0) this.#endOneShots(q);
    });
  }

  /** `ioc` / `fok` orders had their quote: what is left of them is canceled. */
  #endOneShots(q: Quote): void {
    for (const id of [...this.#oneShot]) {
      const o = this.#engine.order(id);
      if (o === undefined || isTerminal(o.status)) {
        this.#oneShot.delete(id);
        continue;
      }
      if (o.symbol !== q.symbol || o.submittedAt > q.time || this.#unrouted.has(id)) continue;
      this.#oneShot.delete(id);
      this.#engine.cancel(id);
    }
  }

  /** An extended-hours order of the symbol is working: extended sessions are matched for it. */
  #extendedActive(symbol: string, side?: 'buy' | 'sell'): boolean {
    for (const id of this.#extendedLive) {
      const o = this.#engine.order(id);
      if (o !== undefined && o.symbol === symbol && !isTerminal(o.status) && !this.#unrouted.has(id) && (side === undefined || o.side === side)) return true;
    }
    return false;
  }

  /**
   * The quote an extended session is matched with: as it is, unless no extended-hours sell needs its
   * bid; then the bid is kept at or below the symbol's trailing stops' high-water marks (trailing
   * stops follow the regular session only).
   */
  #extendedQuote(q: Quote): Quote {
    if (this.#extendedActive(q.symbol, 'sell')) return q;
    return { ...q, bid: Math.min(q.bid, this.#lowestMark(q.symbol)) };
  }

  /** The lowest high-water mark of the symbol's working trailing stops (Infinity without any). */
  #lowestMark(symbol: string): number {
    let low = Number.POSITIVE_INFINITY;
    for (const o of this.#engine.openOrders()) {
      if (o.symbol !== symbol) continue;
      const hwm = this.#engine.highWaterMark(o.id);
      if (hwm !== null && hwm < low) low = hwm;
    }
    return low;
  }

  #onEngineEvent(e: OrderEvent): void {
    if (e.order.id === this.#silenced) return;
    const group = this.#ocoByEngine.get(e.order.id);
    if (group !== undefined) {
      this.#onOcoEvent(group, e);
      return;
    }
    const r = this.#records.get(e.order.id);
    if (r === undefined) return;
    if (e.kind === 'new') {
      // `new` for an order of its own is reported by #open (its record does not exist yet when the
      // engine announces it). Here: a held exit becomes active, its entry completely filled. Alpaca's
      // docs say the exits are "activated" then; the stream reports each as `new` (it is routed).
      if (r.status !== 'held') return;
      const routed = this.#routable(false, e.time);
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
        if (e.kind === 'fill') {
          r.filledAt = e.time;
          this.#forget(e.order.id);
        }
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
        this.#forget(e.order.id);
        this.#emit({ event: e.kind, order: copyRecord(r), timestamp: e.time });
        this.#endHeldLegs(r, e.time);
        return;
      case 'rejected':
        r.status = 'rejected';
        r.failedAt = e.time;
        this.#forget(e.order.id);
        this.#emit({ event: 'rejected', order: copyRecord(r), timestamp: e.time });
        this.#endHeldLegs(r, e.time);
        return;
    }
  }

  /**
   * The engine's one order of an OCO pair: a fill goes to the leg whose condition let it trade (the
   * other is canceled once the pair is filled, or sized to what is left after a partial fill, as
   * Alpaca adjusts the stop-loss); a cancel or an expiry ends both.
   */
  #onOcoEvent(g: OcoGroup, e: OrderEvent): void {
    if (e.kind === 'new') return;
    const tp = this.#records.get(g.tp)!;
    const sl = this.#records.get(g.sl)!;
    this.#unrouted.delete(g.tp);
    if (e.kind === 'fill' || e.kind === 'partial_fill') {
      const [leg, other] = g.executing === 'sl' ? [sl, tp] : [tp, sl];
      const o = leg.order;
      const filledQty = o.filledQty + e.fill.qty;
      const done = e.kind === 'fill';
      leg.order = { ...o, filledQty, filledAvgPrice: ((o.filledAvgPrice ?? 0) * o.filledQty + e.fill.price * e.fill.qty) / filledQty, status: done ? 'filled' : 'partially_filled', updatedAt: e.time, ...(done ? { qty: filledQty } : {}) };
      leg.status = done ? 'filled' : 'partially_filled';
      leg.updatedAt = e.time;
      if (done) leg.filledAt = e.time;
      const positionQty = this.#engine.positions().find((p) => p.symbol === e.fill.symbol)?.qty ?? 0;
      this.#emit({ event: e.kind, order: copyRecord(leg), timestamp: e.time, execution: { id: e.fill.executionId, price: e.fill.price, qty: e.fill.qty, positionQty } });
      if (!done) {
        if (!isFinal(other.status)) other.order = { ...other.order, qty: e.order.qty - e.order.filledQty + other.order.filledQty, updatedAt: e.time };
        return;
      }
      this.#forget(g.engineId);
      if (!isFinal(other.status)) this.#endLeg(other, 'canceled', e.time);
      return;
    }
    this.#forget(g.engineId);
    const status = e.kind === 'expired' ? 'expired' : e.kind === 'rejected' ? 'rejected' : 'canceled';
    for (const leg of [tp, sl]) if (!isFinal(leg.status)) this.#endLeg(leg, status, e.time);
  }

  #endLeg(r: OrderRecord, status: 'canceled' | 'expired' | 'rejected', time: number): void {
    r.status = status;
    r.order = { ...r.order, status, updatedAt: time };
    r.updatedAt = time;
    if (status === 'canceled') r.canceledAt = time;
    else if (status === 'expired') r.expiredAt = time;
    else r.failedAt = time;
    this.#emit({ event: status, order: copyRecord(r), timestamp: time });
  }

  /** An engine order is done: the venue's bookkeeping of it goes. */
  #forget(engineId: string): void {
    this.#oneShot.delete(engineId);
    this.#extendedLive.delete(engineId);
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

  /** How much of `order` trades on one quote: all of it, except `partialFillRate` of the time a random part. */
  #partialSize(order: Order): number {
    const remaining = order.qty - order.filledQty;
    if (remaining < 2 || this.#o.random() >= this.#o.partialFillRate) return remaining;
    return 1 + Math.floor(this.#o.random() * (Math.floor(remaining) - 1));
  }

  #checkTrading(): void {
    if (this.flags.accountBlocked) throw new ApiError(403, AlpacaCode.Forbidden, 'account is blocked');
    if (this.flags.tradingBlocked) throw new ApiError(403, AlpacaCode.Forbidden, 'trading is blocked for this account');
    if (this.configurations.suspend_trade) throw new ApiError(403, AlpacaCode.Forbidden, 'new orders are suspended for this account (account configurations: suspend_trade)');
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
    if (u.execution !== undefined) {
      const o = u.order.order;
      this.#activities.push({
        id: `${activityStamp(u.timestamp)}::${u.execution.id}`,
        time: u.timestamp,
        orderId: o.id,
        symbol: o.symbol,
        side: o.side,
        qty: u.execution.qty,
        price: u.execution.price,
        cumQty: o.filledQty,
        leavesQty: Math.max(0, o.qty - o.filledQty),
        orderStatus: u.order.status,
        type: u.event === 'fill' ? 'fill' : 'partial_fill',
      });
    }
    for (const l of this.#listeners) l(u);
  }
}

/** An activity id's time part, as Alpaca writes it: New York time, `YYYYMMDDHHMMSSmmm`. */
function activityStamp(ms: number): string {
  const date = nyDateOf(ms).replace(/-/g, '');
  const [y, m, d] = [Number(date.slice(0, 4)), Number(date.slice(4, 6)), Number(date.slice(6, 8))];
  const inDay = ms - wallTimeToUtc(y, m, d, 0, 0, 0, 0, NEW_YORK);
  const pad = (n: number, w: number): string => String(n).padStart(w, '0');
  return `${date}${pad(Math.floor(inDay / 3_600_000), 2)}${pad(Math.floor(inDay / 60_000) % 60, 2)}${pad(Math.floor(inDay / 1000) % 60, 2)}${pad(inDay % 1000, 3)}`;
}
