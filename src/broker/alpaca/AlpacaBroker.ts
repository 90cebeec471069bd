import { errors, type Alpaca, type streaming } from '@alpacahq/alpaca-trade-api';
import type { Logger } from 'pino';
import type { Clock } from '../../core/Clock.js';
import { BrokerPayloadError } from '../../core/errors.js';
import { readPatiently } from './readPatiently.js';
import { RepeatThrottle } from '../../logging/RepeatThrottle.js';
import { warnThrottled } from '../../logging/warnThrottled.js';
import type { Fill } from '../../core/Fill.js';
import type { LegKind, Order, OrderRequest, OrderSide } from '../../core/Order.js';
import type { OrderEvent } from '../../core/OrderEvent.js';
import type { Position } from '../../core/Position.js';
import type { Broker, BrokerAccount, VenueOrderSummary } from '../Broker.js';
import { orderFromRequest } from '../orderFromRequest.js';
import { LegMap, type WithLegs } from './LegMap.js';
import { orderFromAlpaca, summarizeAlpacaOrder } from './orderFromAlpaca.js';
import { RequestPriority, type RequestBudget } from './RequestBudget.js';

const STREAM_ERROR = 'stream';

export interface AlpacaBrokerOptions {
  readonly client: Alpaca;
  readonly tradeStreamUrl: string;
  readonly budget: RequestBudget;
  /** Wall-clock time: back-off waits. */
  readonly clock: Clock;
  readonly log: Logger;
  /** Attempts at sending one order through network failures and 429s before giving up (default 6). */
  readonly maxAttempts?: number;
}

/** The part of the broker's memory a restart needs: what of each open order is booked, and the names of the legs. */
export interface BrokerBooks {
  readonly booked: ReadonlyArray<{ readonly orderId: string; readonly qty: number; readonly notional: number }>;
  readonly legs: ReadonlyArray<{ readonly orderId: string; readonly clientOrderId: string }>;
}

/**
 * An order the state file had in flight: looked up at the first connection, by its Alpaca id when
 * known, else by its client order id; a bracket's leg through its entry (Alpaca names legs itself).
 */
export interface TrackedOrder {
  readonly clientOrderId: string;
  readonly strategyId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly qty: number;
  readonly orderId?: string | null;
  readonly parent?: string | null;
  readonly leg?: LegKind | null;
}

/** How much of an order has been booked: fills are derived from Alpaca's cumulative quantities, so none counts twice. */
interface Booked {
  qty: number;
  notional: number;
  terminal: boolean;
  announced: boolean;
}

const num = (text: string | undefined | null): number | null => {
  if (text === undefined || text === null || text === '') return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
};

/**
 * The Broker port on Alpaca (paper or live, or the local emulator) through the official SDK.
 *
 * Sending: every order carries its client order id (recorded by the ExecutionService before this
 * call); a POST is never retried blindly: after a timeout, a cut connection or a 5xx, the order is
 * looked up by that id first and sent again only if Alpaca does not have it (Alpaca refuses a second
 * order with the same id anyway); 429 waits for the reset. Refusals become `rejected` events.
 *
 * Hearing: the trade-updates stream. Fills are booked from the order's cumulative filled quantity
 * and average price, so a fill reported twice (stream, then REST catch-up after a reconnect) is
 * booked once. After each (re)connection the orders since the last event are fetched over REST.
 */
export class AlpacaBroker implements Broker {
  readonly #o: AlpacaBrokerOptions;
  readonly #log: Logger;
  #listeners: ReadonlyArray<(event: OrderEvent) => void> = [];
  readonly #booked = new Map<string, Booked>();
  #stream: streaming.TradingStream | null = null;
  #connected = false;
  #statusListeners: ReadonlyArray<(connected: boolean) => void> = [];
  /** A bracket's exits (Alpaca's leg ids) → the entry's client order id with `-sl` / `-tp`, so they belong to its strategy. */
  readonly #legs = new LegMap();
  readonly #waitingLegs: streaming.TradeUpdate[] = [];
  #mapping: Promise<void> | null = null;
  /** Orders in flight in a restored state, looked up at the first connection. */
  readonly #tracked: TrackedOrder[] = [];
  #resyncing: Promise<void> | null = null;
  #resyncAgain = false;
  #stopped = false;
  /** Repeated stream errors: one line, then one count every 5 minutes. */
  readonly #repeats: RepeatThrottle;

  constructor(o: AlpacaBrokerOptions) {
    this.#o = o;
    this.#log = o.log;
    this.#repeats = new RepeatThrottle(o.clock, 300_000);
  }

  /** Whether the trade-updates stream is up (entries wait while it is not). */
  get connected(): boolean {
    return this.#connected;
  }

  onConnectionChange(listener: (connected: boolean) => void): () => void {
    this.#statusListeners = [...this.#statusListeners, listener];
    return () => {
      this.#statusListeners = this.#statusListeners.filter((l) => l !== listener);
    };
  }

  /** Opens the trade-updates stream; resolves once it listens and the orders that may have moved are caught up. */
  async start(): Promise<void> {
    const stream = this.#o.client.trading.stream({ url: this.#o.tradeStreamUrl, maxReconnectAttempts: -1, initialReconnectMs: 1000, maxReconnectMs: 30_000 });
    this.#stream = stream;
    stream.onTradeUpdate((u) => this.#onUpdate(u));
    const listening = new Promise<void>((resolve) => {
      stream.on('subscription', () => {
        this.#repeats.forget(STREAM_ERROR);
        void this.#resync().then(() => {
          this.#setConnected(true);
          resolve();
        });
      });
    });
    stream.onDisconnect(() => this.#setConnected(false));
    // While Alpaca is unreachable the stream fails at every reconnection (up to every 30 s): said once, then counted.
    stream.onError((e) => warnThrottled(this.#repeats, this.#log, STREAM_ERROR, { error: e }, 'trade-updates stream error; reconnecting', 'trade-updates stream errors; reconnecting'));
    stream.connect();
    stream.subscribeTradeUpdates();
    const auth = await stream.waitForAuthenticationResult(30_000);
    // A stop while the stream was still authenticating closed it: that is the stop's doing, not a failure.
    if (this.#stopped) return;
    if (!auth.authenticated) throw new BrokerPayloadError(`trade-updates stream: authentication ${auth.status}: ${auth.message}`);
    await listening;
  }

  /** Stops hearing and sending; events after this are left for the next start's catch-up. */
  stop(): void {
    this.#stopped = true;
    this.#repeats.flush();
    this.#stream?.disconnect();
    this.#o.budget.stop();
  }

  submit(request: OrderRequest): void {
    void this.#send(request).catch((error: unknown) => {
      this.#log.error({ err: error, clientOrderId: request.clientOrderId }, 'order could not be sent');
      this.#reject(request, `could not be sent: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  /**
   * Asks Alpaca to cancel an order; a 404 or 422 means it is over already (the stream says how).
   * Network failures, 5xx and 429 are waited out: an exit may be waiting for this cancel.
   */
  cancel(orderId: string): void {
    void (async () => {
      for (let attempt = 0; attempt < 8 && !this.#stopped; attempt++) {
        try {
          await this.#o.budget.run(RequestPriority.Urgent, () => this.#o.client.trading.orders.deleteOrderByOrderID({ orderId }));
          return;
        } catch (error) {
          if (error instanceof errors.RateLimitError) this.#o.budget.holdFor(error.retryAfterMs ?? 1000);
          else if (error instanceof errors.ApiError && error.status < 500) {
            this.#log.info({ orderId, status: error.status }, `cancel not accepted (${error.status}): the order is over already`);
            return;
          }
          this.#log.warn({ err: error, orderId, attempt }, 'cancel failed; trying again');
          await this.#sleep(Math.min(30_000, 500 * 2 ** attempt));
        }
      }
    })();
  }

  async getAccount(): Promise<BrokerAccount> {
    const a = await this.#o.budget.run(RequestPriority.Background, () => this.#o.client.trading.account.getAccount());
    const cash = num(a.cash);
    const equity = num(a.equity);
    const buyingPower = num(a.buyingPower);
    if (cash === null || equity === null || buyingPower === null) throw new BrokerPayloadError('account from Alpaca: cash, equity or buying_power is not a decimal');
    return { cash, equity, buyingPower };
  }

  async getPositions(): Promise<Position[]> {
    const list = await this.#patiently(RequestPriority.Background, () => this.#o.client.trading.positions.getAllOpenPositions());
    return list.map((p) => {
      const qty = num(p.qty);
      const avgPrice = num(p.avgEntryPrice);
      if (typeof p.symbol !== 'string' || qty === null || avgPrice === null) throw new BrokerPayloadError(`position from Alpaca: ${String(p.symbol)}: qty or avg_entry_price is not a decimal`);
      return { symbol: p.symbol, qty, avgPrice };
    });
  }

  /**
   * Every open order, whatever its shape, with a bracket's legs named as the daemon names them
   * (the entry's client order id with `-sl` / `-tp`): listed nested, legs appear under their entry
   * (and, as Alpaca also lists them, at the top level: once each).
   */
  async getOpenOrders(): Promise<VenueOrderSummary[]> {
    const list = await this.#patiently(RequestPriority.Background, () => this.#o.client.trading.orders.getAllOrders({ status: 'open', limit: 500, direction: 'asc', nested: true }));
    const out = new Map<string, VenueOrderSummary>();
    const add = (raw: unknown): void => {
      const s = summarizeAlpacaOrder(raw);
      const cid = this.#legs.cidOf(s.id);
      out.set(s.id || `${out.size}`, cid === undefined ? s : { ...s, clientOrderId: cid });
    };
    for (const raw of list) {
      this.#legs.learn(raw);
      add(raw);
      for (const leg of raw.legs ?? []) add(leg);
    }
    return [...out.values()];
  }

  /** The orders (any status) Alpaca has since `since`, newest first, one page of up to 500, as summaries. */
  async recentOrders(since: number): Promise<VenueOrderSummary[]> {
    const list = await this.#patiently(RequestPriority.Background, () => this.#o.client.trading.orders.getAllOrders({ status: 'all', after: new Date(since).toISOString(), limit: 500, direction: 'desc' }));
    return list.map(summarizeAlpacaOrder);
  }

  onOrderEvent(listener: (event: OrderEvent) => void): () => void {
    this.#listeners = [...this.#listeners, listener];
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== listener);
    };
  }

  async #send(r: OrderRequest): Promise<void> {
    // No shorting: every sell closes a position, and exits go before entries when the budget is short.
    const priority = r.side === 'sell' ? RequestPriority.Urgent : RequestPriority.Normal;
    const body = {
      symbol: r.symbol,
      qty: String(r.qty),
      side: r.side,
      type: r.trail === undefined ? r.type : ('trailing_stop' as const),
      ...(r.trail?.percent === undefined ? {} : { trailPercent: String(Math.round(r.trail.percent * 100 * 1e6) / 1e6) }),
      ...(r.trail?.price === undefined ? {} : { trailPrice: String(r.trail.price) }),
      timeInForce: r.timeInForce,
      clientOrderId: r.clientOrderId,
      ...(r.limitPrice === undefined ? {} : { limitPrice: String(r.limitPrice) }),
      ...(r.stopPrice === undefined || r.trail !== undefined ? {} : { stopPrice: String(r.stopPrice) }),
      // A bracket: Alpaca opens the exits once the entry is filled; one filling cancels the other.
      // One exit: an OTO ("one triggers other").
      ...(r.bracket === undefined || (r.bracket.stopLoss === undefined && r.bracket.takeProfit === undefined)
        ? {}
        : {
            orderClass: r.bracket.stopLoss !== undefined && r.bracket.takeProfit !== undefined ? ('bracket' as const) : ('oto' as const),
            ...(r.bracket.takeProfit === undefined ? {} : { takeProfit: { limitPrice: String(r.bracket.takeProfit) } }),
            ...(r.bracket.stopLoss === undefined ? {} : { stopLoss: { stopPrice: String(r.bracket.stopLoss) } }),
          }),
    } as const;
    if (r.bracket?.stopLoss !== undefined || r.bracket?.takeProfit !== undefined) this.#legs.expect(r.clientOrderId);
    const attempts = this.#o.maxAttempts ?? 6;
    for (let attempt = 1; attempt <= attempts && !this.#stopped; attempt++) {
      try {
        const placed = await this.#o.budget.run(priority, () => this.#o.client.trading.orders.postOrder({ postOrderRequest: body }));
        this.#accepted(placed);
        return;
      } catch (error) {
        if (error instanceof errors.RateLimitError) {
          // Refused before it was looked at: nothing was created. Alpaca asks for exponential back-off
          // after a 429, no sooner than its reset (a reset in the current second says "now").
          this.#o.budget.holdFor(Math.max(error.retryAfterMs ?? 0, Math.min(30_000, 500 * 2 ** (attempt - 1))));
          continue;
        }
        if (error instanceof errors.ApiError && error.status < 500) {
          // A 5xx or 429 on this lookup is waited out: the order may well be at Alpaca.
          const existing = error.status === 422 ? await this.#lookupPatiently(r.clientOrderId) : null;
          // 422 for a client order id Alpaca already has: an earlier attempt got through.
          if (existing !== null) {
            this.#accepted(existing);
            return;
          }
          this.#reject(r, `Alpaca refused it (${error.status}${error.code === undefined ? '' : ` ${String(error.code)}`}): ${error.message}`);
          return;
        }
        // The fate of the POST is unknown (timeout, connection cut, 5xx): ask before sending again.
        this.#log.warn({ err: error, clientOrderId: r.clientOrderId, attempt }, 'order POST failed without an answer; looking the order up by its client order id');
        const existing = await this.#lookupPatiently(r.clientOrderId);
        if (existing !== null) {
          this.#accepted(existing);
          return;
        }
        await this.#sleep(Math.min(30_000, 500 * 2 ** (attempt - 1)));
      }
    }
    if (!this.#stopped) this.#reject(r, `not sent: no answer from Alpaca after ${attempts} attempts`);
  }

  /** The order with this client order id as the SDK gives it, null when Alpaca has none; network errors propagate. */
  async #lookupRaw(clientOrderId: string): Promise<WithLegs | null> {
    try {
      return await this.#o.budget.run(RequestPriority.Urgent, () => this.#o.client.trading.orders.getOrderByClientOrderId({ clientOrderId }));
    } catch (error) {
      if (error instanceof errors.ApiError && error.status === 404) return null;
      throw error;
    }
  }

  /** Looks up until Alpaca answers (network errors and 5xx are waited out). */
  async #lookupPatiently(clientOrderId: string): Promise<WithLegs | null> {
    for (let attempt = 0; ; attempt++) {
      if (this.#stopped) return null;
      try {
        return await this.#lookupRaw(clientOrderId);
      } catch (error) {
        if (error instanceof errors.RateLimitError) this.#o.budget.holdFor(error.retryAfterMs ?? 1000);
        else this.#log.warn({ err: error, clientOrderId }, 'order lookup failed; trying again');
        await this.#sleep(Math.min(30_000, 500 * 2 ** Math.min(attempt, 6)));
      }
    }
  }

  /** An order by Alpaca's id, with its legs nested. */
  #byId(orderId: string): Promise<WithLegs> {
    return this.#o.budget.run(RequestPriority.Urgent, () => this.#o.client.trading.orders.getOrderByOrderID({ orderId, nested: true }));
  }

  /** `#byId`, null when Alpaca has no order with that id (404: a paper account reset since, or another account's keys). */
  async #byIdIfAny(orderId: string): Promise<WithLegs | null> {
    try {
      return await this.#byId(orderId);
    } catch (error) {
      if (error instanceof errors.ApiError && error.status === 404) return null;
      throw error;
    }
  }

  /** A read through the request budget, patiently (readPatiently: 429, 5xx and cut connections waited out). */
  #patiently<T>(priority: RequestPriority, fn: () => Promise<T>): Promise<T> {
    return readPatiently(() => this.#o.budget.run(priority, fn), {
      sleep: (ms) => this.#sleep(ms),
      log: this.#log,
      onRateLimit: (ms) => this.#o.budget.holdFor(ms),
      stopped: () => this.#stopped,
    });
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.#o.clock.setTimeout(resolve, ms));
  }

  /**
   * Alpaca has the order (a POST answer, a lookup): announce it once, book any fill it already
   * carries, and the same for its legs (Alpaca returns a bracket's legs with the entry).
   */
  #accepted(raw: WithLegs): void {
    this.#legs.learn(raw);
    const order = this.#read(raw);
    if (order === null) return;
    this.#apply(order, order.updatedAt, undefined, undefined);
    for (const leg of raw.legs ?? []) {
      const l = this.#read(leg);
      if (l !== null && this.#legs.has(l.id)) this.#apply(l, l.updatedAt, undefined, undefined);
    }
  }

  /** Alpaca's order as the daemon's, or null (logged with what it is) when its shape is not one the daemon trades. */
  #read(raw: unknown): Order | null {
    try {
      return orderFromAlpaca(raw);
    } catch (error) {
      const s = summarizeAlpacaOrder(raw);
      this.#log.warn({ err: error, order: s }, `an order the daemon cannot read is left alone: ${s.clientOrderId || s.id} ${s.side} ${s.qty ?? ''} ${s.symbol} (${s.type}, ${s.status}): ${error instanceof Error ? error.message : String(error)}`);
      return null;
    }
  }

  #onUpdate(u: streaming.TradeUpdate, mapped = false): void {
    const order = this.#read(u.order);
    if (order === null) return;
    // An exit of a bracket not mapped yet: ask Alpaca for the entries' legs, then hear it again.
    const orderClass = (u.order as { orderClass?: string }).orderClass;
    if (!mapped && (orderClass === 'bracket' || orderClass === 'oto') && !this.#legs.has(order.id) && !this.#legs.isParent(order.clientOrderId)) {
      this.#waitingLegs.push(u);
      if (this.#mapping === null) {
        this.#mapping = this.#mapLegs().finally(() => {
          this.#mapping = null;
          // Legs of an entry this run did not send (a hand-made bracket) are heard as they are.
          for (const w of this.#waitingLegs.splice(0)) this.#onUpdate(w, true);
        });
      }
      return;
    }
    const time = u.timestamp?.getTime() ?? order.updatedAt;
    // The execution's own figures only when sane; otherwise the order's cumulative ones say it all.
    const execQty = num(u.qty);
    const execPrice = num(u.price);
    const exec = u.executionId === undefined ? undefined : { id: u.executionId, qty: execQty !== null && execQty > 0 ? execQty : null, price: execPrice !== null && execPrice > 0 && execPrice < 1e7 ? execPrice : null };
    this.#apply(order, time, exec, u.event === 'rejected' ? 'rejected by Alpaca' : undefined);
  }

  /**
   * Brings the daemon's view of one order up to Alpaca's: `new` once, a fill for whatever filled
   * quantity is not booked yet, the final status once.
   */
  #apply(order: Order, time: number, exec: { id: string; qty: number | null; price: number | null } | undefined, reason: string | undefined): void {
    // Once stopped, nothing more is booked here: the saved books then say exactly what the ledgers
    // heard, and a restart books the rest from Alpaca's cumulative quantities.
    if (this.#stopped) return;
    const legCid = this.#legs.cidOf(order.id);
    if (legCid !== undefined) order = { ...order, clientOrderId: legCid };
    let b = this.#booked.get(order.id);
    if (b === undefined) {
      b = { qty: 0, notional: 0, terminal: false, announced: false };
      this.#booked.set(order.id, b);
    }
    if (b.terminal) return;
    if (!b.announced) {
      b.announced = true;
      this.#emit({ kind: 'new', order: { ...order, status: 'new', filledQty: 0, filledAvgPrice: null }, time });
    }
    const delta = order.filledQty - b.qty;
    if (delta > 1e-9 && order.filledAvgPrice !== null) {
      const notional = order.filledAvgPrice * order.filledQty;
      // The execution's own price when the event is this one execution; else what the averages imply.
      const price = exec?.qty !== undefined && exec.qty !== null && Math.abs(exec.qty - delta) < 1e-9 && exec.price !== null ? exec.price : Math.round(((notional - b.notional) / delta) * 1e6) / 1e6;
      b.qty = order.filledQty;
      b.notional = notional;
      const fill: Fill = {
        executionId: exec?.id ?? `${order.id}:${order.filledQty}`,
        orderId: order.id,
        clientOrderId: order.clientOrderId,
        symbol: order.symbol,
        side: order.side,
        qty: delta,
        price,
        commission: 0,
        time,
      };
      const done = order.status === 'filled';
      this.#emit({ kind: done ? 'fill' : 'partial_fill', order, fill, time });
      // A cancel, expiry or rejection that also carries fills not heard yet: both are reported.
      if (!done) {
        this.#ended(order, b, time, reason);
        return;
      }
      this.#finish(order, b);
      return;
    }
    this.#ended(order, b, time, reason);
  }

  /** The final status of an order that ended unfilled (or partly filled): once. */
  #ended(order: Order, b: Booked, time: number, reason: string | undefined): void {
    const status = order.status;
    if (status === 'canceled' || status === 'expired' || status === 'rejected') {
      this.#finish(order, b);
      if (status === 'rejected') this.#emit({ kind: 'rejected', order, reason: reason ?? 'rejected by Alpaca', time });
      else this.#emit({ kind: status, order, time });
    }
  }

  #finish(order: Order, b: Booked): void {
    const orderId = order.id;
    b.terminal = true;
    this.#legs.forget(orderId, order.clientOrderId, order.filledQty === 0);
    // Finished orders are forgotten after a while; the ids of the last 10,000 are enough to drop repeats.
    if (this.#booked.size > 10_000) {
      for (const [id, x] of this.#booked) {
        if (x.terminal && id !== orderId) this.#booked.delete(id);
        if (this.#booked.size <= 5_000) break;
      }
    }
  }

  /**
   * After a (re)connection: every order that may have moved while the stream was away (the open
   * ones of this run, and those in flight in the restored state) is asked for and applied. One
   * catch-up at a time; a reconnection during one makes it run again.
   */
  #resync(): Promise<void> {
    if (this.#resyncing !== null) {
      this.#resyncAgain = true;
      return this.#resyncing;
    }
    this.#resyncing = (async () => {
      do {
        this.#resyncAgain = false;
        await this.#resyncOnce();
      } while (this.#resyncAgain && !this.#stopped);
    })().finally(() => {
      this.#resyncing = null;
    });
    return this.#resyncing;
  }

  async #resyncOnce(): Promise<void> {
    // Trading resumes only once this is done: failures (a 429, a 5xx, a cut connection) are waited out.
    for (let attempt = 0; !this.#stopped; attempt++) {
      try {
        await this.#catchUpOnce();
        return;
      } catch (error) {
        if (error instanceof errors.RateLimitError) this.#o.budget.holdFor(error.retryAfterMs ?? 1000);
        this.#log.warn({ err: error, attempt }, 'catching up on orders after a (re)connection failed; trying again');
        await this.#sleep(Math.min(30_000, 500 * 2 ** Math.min(attempt, 6)));
      }
    }
  }

  async #catchUpOnce(): Promise<void> {
    // The restored orders: each is dropped from the list only once it has been applied.
    for (const t of [...this.#tracked]) {
      if (this.#stopped) return;
      if (t.leg === 'sl' || t.leg === 'tp') await this.#catchUpLeg(t);
      else {
        const id = t.orderId ?? null;
        const raw = id !== null ? await this.#byIdIfAny(id) : await this.#lookupRaw(t.clientOrderId);
        if (this.#stopped) return;
        if (raw !== null) this.#accepted(raw);
        else if (id !== null) {
          // Alpaca named it once and no longer has it: asking again would hold trading up for ever.
          this.#log.error({ clientOrderId: t.clientOrderId, orderId: id }, `order ${t.clientOrderId} of the restored state is unknown to Alpaca (404 for its id ${id}): was the paper account reset, or are these another account's keys?`);
          this.#reject({ symbol: t.symbol, side: t.side, qty: t.qty, clientOrderId: t.clientOrderId, strategyId: t.strategyId, type: 'market', timeInForce: 'day' }, `unknown to Alpaca (GET /v2/orders/${id} answered 404)`);
        } else {
          // Recorded, then the daemon died before the POST reached Alpaca: it never existed there.
          this.#log.warn({ clientOrderId: t.clientOrderId }, `order ${t.clientOrderId} of the restored state never reached Alpaca: counted as rejected`);
          this.#reject({ symbol: t.symbol, side: t.side, qty: t.qty, clientOrderId: t.clientOrderId, strategyId: t.strategyId, type: 'market', timeInForce: 'day' }, 'never reached Alpaca (the daemon stopped before sending it)');
        }
      }
      const at = this.#tracked.indexOf(t);
      if (at !== -1) this.#tracked.splice(at, 1);
    }
    for (const [id, b] of [...this.#booked]) {
      if (b.terminal || this.#stopped) continue;
      const raw = await this.#byIdIfAny(id);
      if (raw !== null) this.#accepted(raw);
      else {
        b.terminal = true;
        this.#log.error({ orderId: id }, `order ${id} of the restored books is unknown to Alpaca (404): no more fills are expected for it`);
      }
    }
  }

  /**
   * A bracket's leg of the restored state: by its Alpaca id when known, else through its entry
   * (by client order id, then nested by id), which names every leg; a leg Alpaca has not opened
   * yet is heard when it opens.
   */
  async #catchUpLeg(t: TrackedOrder): Promise<void> {
    if (t.parent === null || t.parent === undefined) return;
    this.#legs.expect(t.parent);
    if (t.orderId !== null && t.orderId !== undefined) {
      if (!this.#legs.has(t.orderId)) this.#legs.restore([{ orderId: t.orderId, clientOrderId: t.clientOrderId }]);
      const leg = await this.#byIdIfAny(t.orderId);
      if (leg !== null) this.#accepted(leg);
      else this.#log.error({ clientOrderId: t.clientOrderId, orderId: t.orderId }, `protective exit ${t.clientOrderId} of the restored state is unknown to Alpaca (404 for its id ${t.orderId})`);
      return;
    }
    const entry = await this.#lookupRaw(t.parent);
    if (entry === null || entry.id === undefined || this.#stopped) return;
    this.#accepted(entry.legs === undefined || entry.legs === null ? await this.#byId(entry.id) : entry);
  }

  /**
   * After a restore from an older state file (the newest was unreadable, or saves failed before a
   * crash): every order Alpaca has since `since` (venue time) that `sentAfter` says the state file
   * cannot know, with its bracket legs, is applied as new, so fills made while its books were
   * stale are booked once, to the strategy the client order id names. Returns how many.
   */
  async catchUp(since: number, sentAfter: (clientOrderId: string) => boolean): Promise<number> {
    let after = new Date(since).toISOString();
    let applied = 0;
    const seen = new Set<string>();
    for (let page = 0; page < 100; page++) {
      const list = await this.#patiently(RequestPriority.Urgent, () => this.#o.client.trading.orders.getAllOrders({ status: 'all', after, direction: 'asc', limit: 500, nested: true }));
      for (const raw of list) {
        const cid = raw.clientOrderId ?? '';
        if (raw.id !== undefined) seen.add(raw.id);
        for (const leg of raw.legs ?? []) if (leg.id !== undefined) seen.add(leg.id);
        if (!sentAfter(cid) || (raw.id !== undefined && this.#booked.has(raw.id))) continue;
        if ((raw.legs ?? []).length > 0) this.#legs.expect(cid);
        this.#accepted(raw);
        applied++;
      }
      const last = list[list.length - 1];
      if (list.length < 500 || last?.submittedAt === undefined || last.submittedAt === null) break;
      // Orders of the same millisecond as the last one are asked again; those applied are skipped.
      after = new Date(new Date(last.submittedAt).getTime() - 1).toISOString();
    }
    return applied + (await this.#catchUpFromFills(since, sentAfter, seen));
  }

  /**
   * The account's own list of executions (activities of type FILL) since `since`: an order of ours
   * that filled while the daemon was down and that the order listing did not show (a listing cut
   * short, an order older than its window) is looked up and booked once, like the others.
   */
  async #catchUpFromFills(since: number, sentAfter: (clientOrderId: string) => boolean, seen: Set<string>): Promise<number> {
    let applied = 0;
    try {
      let pageToken: string | undefined;
      for (let page = 0; page < 100; page++) {
        // Read raw: the SDK's union of trade and non-trade activities keeps the wrong one and drops `order_id`.
        const list = await this.#patiently(RequestPriority.Urgent, async () => {
          const r = await this.#o.client.trading.accountActivities.getAccountActivitiesByActivityTypeRaw({ activityType: 'FILL', after: new Date(since), direction: 'asc', pageSize: 100, ...(pageToken === undefined ? {} : { pageToken }) });
          const body: unknown = await r.raw.json();
          return Array.isArray(body) ? (body as Array<Record<string, unknown>>) : [];
        });
        for (const a of list) {
          const orderId = typeof a['order_id'] === 'string' ? a['order_id'] : undefined;
          if (orderId === undefined || seen.has(orderId) || this.#booked.has(orderId)) continue;
          seen.add(orderId);
          const raw = await this.#byId(orderId);
          if (!sentAfter(raw.clientOrderId ?? '')) continue;
          this.#log.warn({ orderId, clientOrderId: raw.clientOrderId }, `order ${raw.clientOrderId ?? orderId} found through the account's fills, not the order listing: booked now`);
          this.#accepted(raw);
          applied++;
        }
        const last = list[list.length - 1]?.['id'];
        if (list.length < 100 || typeof last !== 'string') break;
        pageToken = last;
      }
    } catch (error) {
      this.#log.warn({ err: error }, 'could not read the account activities (FILL) to cross-check the catch-up');
    }
    return applied;
  }

  /** The legs of the bracket entries whose legs are not named yet: nested under the entry in GET /v2/orders/{id}?nested=true. */
  async #mapLegs(): Promise<void> {
    for (const [cid, id] of this.#legs.unnamed()) {
      try {
        const entry = id !== null ? await this.#byId(id) : await this.#lookupRaw(cid);
        if (entry === null) continue;
        this.#legs.learn(entry.legs === undefined || entry.legs === null || entry.id === undefined ? entry : entry);
        if ((entry.legs ?? []).length === 0 && entry.id !== undefined && id === null) this.#legs.learn(await this.#byId(entry.id));
      } catch (error) {
        this.#log.warn({ err: error, clientOrderId: cid }, 'could not read the legs of a bracket order');
      }
    }
  }

  /** What a restart needs: how much of each open order is booked already, and the legs' names. */
  toData(): BrokerBooks {
    return { booked: [...this.#booked].filter(([, b]) => !b.terminal).map(([orderId, b]) => ({ orderId, qty: b.qty, notional: b.notional })), legs: this.#legs.toData() };
  }

  /**
   * A restart: the books of the open orders, the legs' names, and the orders sent and in flight
   * when the state was saved; they are looked up as the stream connects, only fills not booked yet
   * are reported, and one Alpaca does not have is reported rejected.
   */
  restore(d: BrokerBooks, inFlight: readonly TrackedOrder[]): void {
    for (const o of d.booked) this.#booked.set(o.orderId, { qty: o.qty, notional: o.notional, terminal: false, announced: true });
    this.#legs.restore(d.legs);
    for (const t of inFlight) if (t.leg === 'sl' || t.leg === 'tp') this.#legs.expect(t.parent ?? '');
    this.#tracked.push(...inFlight);
  }

  #setConnected(up: boolean): void {
    if (this.#connected === up) return;
    this.#connected = up;
    if (this.#stopped) return;
    this.#log.info(up ? 'trade-updates stream connected' : 'trade-updates stream down: no new entries until it is back');
    for (const l of this.#statusListeners) l(up);
  }

  #reject(r: OrderRequest, reason: string): void {
    const now = this.#o.clock.now();
    this.#emit({ kind: 'rejected', order: orderFromRequest(r, `rejected-${r.clientOrderId}`, 'rejected', now), reason, time: now });
  }

  #emit(event: OrderEvent): void {
    const listeners = this.#listeners;
    for (let i = 0; i < listeners.length; i++) listeners[i]!(event);
  }
}
