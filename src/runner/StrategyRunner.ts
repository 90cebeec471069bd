import type { Logger } from 'pino';
import type { Bar } from '../core/Bar.js';
import type { Clock } from '../core/Clock.js';
import type { DaemonEvents } from '../core/DaemonEvents.js';
import type { EventBus } from '../core/EventBus.js';
import type { OrderIntent } from '../core/Order.js';
import type { OrderEvent } from '../core/OrderEvent.js';
import { SymbolSlots } from '../core/SymbolSlots.js';
import { Ledger } from '../portfolio/Ledger.js';
import type { RiskGate } from '../risk/RiskGate.js';
import type { RiskView } from '../risk/RiskView.js';
import { Strategy } from '../strategies/Strategy.js';
import type { MarketCalendar } from '../risk/calendar/MarketCalendar.js';
import { StaticNyseCalendar } from '../risk/calendar/StaticNyseCalendar.js';
import { OpenOrders, type OpenOrder } from './OpenOrders.js';
import { HigherTimeframes } from './HigherTimeframes.js';
import { DailyHighs } from './DailyHighs.js';
import type { OrderOptions, OrderReason, OrderRejection, StrategyContext, StrategyFill } from '../strategies/StrategyContext.js';

export const RunnerStatus = { Active: 'active', Paused: 'paused', Faulted: 'faulted' } as const;
export type RunnerStatus = (typeof RunnerStatus)[keyof typeof RunnerStatus];

/** A runner's own state besides its ledger and its strategy, for the state file. */
export interface RunnerData {
  readonly status: RunnerStatus;
  readonly pauseReason: string | null;
  readonly open: readonly OpenOrder[];
  readonly denials: Readonly<Record<string, number>>;
}


export interface StrategyRunnerDeps {
  readonly id: string;
  readonly type: string;
  readonly strategy: Strategy;
  readonly symbols: readonly string[];
  readonly capital: number;
  readonly riskGate: RiskGate;
  readonly bus: EventBus<DaemonEvents>;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Estimated commission of an order, to reserve cash for open buys. */
  readonly estimateCommission?: (qty: number, price: number) => number;
  /** Sessions for the longer timeframes a strategy reads (`ctx.bars`); default: the static NYSE calendar. */
  readonly calendar?: MarketCalendar;
  /**
   * Whether orders carry their reasons (default yes: the daemon logs, journals and saves them). A
   * backtest reports none: a reason the strategy gives as a function is then never written.
   */
  readonly orderReasons?: boolean;
}

/**
 * Runs one strategy: its own capital and ledger, its symbols, its open orders. Everything the
 * strategy does goes through an error boundary: a throw marks it faulted and paused, reports it on
 * the bus, and the other strategies go on.
 */
export class StrategyRunner {
  readonly id: string;
  readonly type: string;
  readonly symbols: readonly string[];
  readonly capital: number;
  readonly ledger: Ledger;
  readonly #strategy: Strategy;
  /** The strategy's `onBar`, bound once: every runner calls a different class's from one place. */
  readonly #onBar: (bar: Bar, ctx: StrategyContext) => void;
  readonly #gate: RiskGate;
  readonly #bus: EventBus<DaemonEvents>;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #estimateCommission: (qty: number, price: number) => number;
  /**
   * The strategy's symbols numbered (its list first, in order): per-symbol state below, in the
   * ledger and in the open orders lives in arrays by that number.
   */
  readonly #slots: SymbolSlots;
  /** Orders in flight, by id and by symbol, and the cash the buys among them hold. */
  readonly #open: OpenOrders;
  readonly #lastBars: Array<Bar | undefined> = [];
  /** Per symbol: the highest price of the current New York day and of the last one before it (the order-value rule's price). */
  readonly #highs = new DailyHighs();
  /** Whether a rule of the gate reads those highs (`maxOrderValue`): kept only then. */
  readonly #keepsHighs: boolean;
  /** The symbol of the bar being processed and its slot: the strategy's calls about it need no lookup. */
  #symbol = '';
  #slot = -1;
  readonly #higher: HigherTimeframes;
  readonly #ctx: StrategyContext;
  readonly #view: RiskView;
  /** Denied or rejected orders by rule, for the state file. */
  readonly #denials = new Map<string, number>();
  #status: RunnerStatus = RunnerStatus.Active;
  #pauseReason: string | null = null;
  #warmingUp = false;
  #now = 0;
  readonly #orderReasons: boolean;

  constructor(deps: StrategyRunnerDeps) {
    this.#higher = new HigherTimeframes(deps.calendar ?? new StaticNyseCalendar(), () => this.#lastBars.filter((b) => b !== undefined));
    this.id = deps.id;
    this.type = deps.type;
    this.symbols = deps.symbols;
    this.capital = deps.capital;
    this.#slots = new SymbolSlots(deps.symbols);
    this.#grow(this.#slots.size - 1);
    this.ledger = new Ledger(deps.capital, this.#slots);
    this.#strategy = deps.strategy;
    this.#onBar = deps.strategy.onBar.bind(deps.strategy);
    this.#gate = deps.riskGate;
    this.#keepsHighs = deps.riskGate.readsPriceCeiling;
    this.#bus = deps.bus;
    this.#clock = deps.clock;
    this.#log = deps.logger;
    this.#estimateCommission = deps.estimateCommission ?? (() => 0);
    this.#orderReasons = deps.orderReasons ?? true;
    this.#open = new OpenOrders((s) => this.#lastBar(s)?.close, this.#estimateCommission, this.#slots);
    this.#ctx = this.#makeContext();
    this.#view = this.#makeView();
  }

  get status(): RunnerStatus {
    return this.#status;
  }

  get pauseReason(): string | null {
    return this.#pauseReason;
  }

  /** Orders refused by the RiskGate or rejected by the broker, by rule. */
  get denials(): Record<string, number> {
    return Object.fromEntries([...this.#denials].sort(([a], [b]) => (a < b ? -1 : 1)));
  }

  toData(): RunnerData {
    return { status: this.#status, pauseReason: this.#pauseReason, open: this.#open.list().map((o) => ({ ...o })), denials: this.denials };
  }

  restore(d: RunnerData): void {
    this.#status = d.status;
    this.#pauseReason = d.pauseReason;
    this.#open.clear();
    for (const o of d.open) this.#open.add({ ...o });
    this.#denials.clear();
    for (const [rule, n] of Object.entries(d.denials)) this.#denials.set(rule, n);
  }

  /**
   * Closes everything (a breaker's `flatten`, the owner's flatten command): every symbol with shares
   * held or an order open gets a closing sell, which goes once the strategy's other orders there
   * are canceled and done, for what it then holds. Through the RiskGate (exits pass a paused
   * breaker); a faulted strategy is flattened too.
   */
  flatten(reason: string): void {
    const symbols = new Set([...this.ledger.positions().map((p) => p.symbol), ...this.#open.symbols()]);
    for (const s of [...symbols].sort()) this.#close(s, reason, true);
  }

  get openOrderCount(): number {
    return this.#open.size;
  }

  /** Feeds history bars: indicators learn, intents are ignored, nothing is marked as traded. */
  warmUp(bars: Iterable<Bar>): void {
    this.#warmingUp = true;
    try {
      for (const bar of bars) this.onBar(bar);
    } finally {
      this.#warmingUp = false;
    }
  }

  onBar(bar: Bar): void {
    this.onBarAt(bar, this.#slots.slot(bar.symbol));
  }

  /** The slot of `symbol` in this runner's numbering (the symbols it was given are 0, 1 … in order). */
  slotOf(symbol: string): number {
    return this.#slots.slot(symbol);
  }

  /** `onBar` for a bar whose symbol's slot the caller knows (see `slotOf`): the per-bar path. */
  onBarAt(bar: Bar, slot: number): void {
    if (slot >= this.#lastBars.length) this.#grow(slot);
    this.#now = bar.time;
    this.#symbol = bar.symbol;
    this.#slot = slot;
    this.#lastBars[slot] = bar;
    if (this.#keepsHighs) this.#highs.push(slot, bar.time, bar.high);
    this.#open.onPriceAt(slot);
    this.#higher.push(bar);
    if (!this.#warmingUp) this.ledger.markAt(slot, bar.close);
    if (this.#status === RunnerStatus.Faulted) return;
    // The error boundary, written out: no closure per bar on the hot path.
    try {
      this.#onBar(bar, this.#ctx);
    } catch (error) {
      this.fault(error, 'onBar');
    }
  }

  onOrderUpdate(event: OrderEvent): void {
    const cid = event.order.clientOrderId;
    const open = this.#open.get(cid);
    switch (event.kind) {
      // Accepted: it is open since it was sent.
      case 'new':
        return;
      case 'fill':
      case 'partial_fill': {
        const booking = this.ledger.applyFill(event.fill);
        if (open !== undefined) {
          this.#open.filled(cid, event.fill.qty);
          if (event.kind === 'fill' || open.remaining <= 0) this.#open.drop(cid);
        }
        const f = event.fill;
        if (this.ledger.cash < 0) {
          // Buys are checked against the last close; a gap at the open can cost more. New buys are
          // refused (available cash is negative) until sells bring the cash back.
          this.#log.warn({ cash: this.ledger.cash, clientOrderId: cid }, `strategy ${this.id} is overdrawn by $${(-this.ledger.cash).toFixed(2)} after a fill above the checked price`);
        }
        this.#bus.emit('fill.booked', {
          strategyId: this.id,
          fill: f,
          order: event.order,
          realizedPnl: booking.realizedPnl,
          closedTrade: booking.closedTrade,
          positionAfter: this.ledger.positionQty(f.symbol),
          cashAfter: this.ledger.cash,
        });
        // The base class's onFill does nothing: a strategy that keeps it is not called (nothing is built for it).
        if (this.#status !== RunnerStatus.Faulted && this.#strategy.onFill !== Strategy.prototype.onFill) {
          const seen: StrategyFill = { symbol: f.symbol, side: f.side, qty: f.qty, price: f.price, time: f.time, realizedPnl: booking.realizedPnl };
          try {
            this.#strategy.onFill(seen, this.#ctx);
          } catch (error) {
            this.fault(error, 'onFill');
          }
        }
        return;
      }
      case 'canceled':
      case 'expired':
      case 'rejected': {
        // The other leg of a bracket, canceled when one exit filled: nothing the strategy asked for.
        if (open === undefined && event.kind === 'canceled' && /-(sl|tp|ts)$/.test(cid)) return;
        if (open !== undefined) this.#open.drop(cid);
        const intent: OrderIntent = open?.intent ?? {
          symbol: event.order.symbol,
          side: event.order.side,
          qty: event.order.qty,
          type: event.order.type,
        };
        const reason = event.kind === 'rejected' ? event.reason : `order ${event.kind}`;
        this.#log.warn({ clientOrderId: cid, symbol: intent.symbol, side: intent.side, qty: intent.qty }, `order ${event.kind}: ${reason}`);
        this.#reject({ intent, source: 'broker', rule: event.kind, reason });
        return;
      }
    }
  }

  pause(reason: string): void {
    if (this.#status === RunnerStatus.Faulted) return;
    this.#status = RunnerStatus.Paused;
    this.#pauseReason = reason;
  }

  resume(): void {
    this.#status = RunnerStatus.Active;
    this.#pauseReason = null;
  }

  /** Marks the strategy faulted (used for its own throws and for broken invariants). */
  fault(error: unknown, where: string): void {
    this.#status = RunnerStatus.Faulted;
    this.#pauseReason = `${where}: ${error instanceof Error ? error.message : String(error)}`;
    this.#log.error({ err: error, where }, `strategy ${this.id} faulted and paused`);
    this.#bus.emit('strategy.faulted', { strategyId: this.id, error, time: this.#clock.now() });
  }

  #guard(where: string, fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.fault(error, where);
    }
  }

  /**
   * The order that brings `symbol` back to flat: a sell of whatever is held when it goes out, after
   * the strategy's other orders there (a resting buy, protective exits) are canceled. Its quantity
   * here is the most it can be (held plus buys still open); the ExecutionService sizes it.
   */
  #close(symbol: string, reason: OrderReason | undefined, force: boolean): void {
    const held = this.ledger.positionQty(symbol);
    const qty = held + Math.max(0, this.#open.pendingQty(symbol));
    if (qty <= 0) return;
    this.#submit({ symbol, side: 'sell', qty, type: 'market', limitPrice: undefined, stopPrice: undefined, timeInForce: undefined, reason: this.#reason(reason), bracket: undefined, closeAll: true }, force);
  }

  /** The text of an order's reason where reasons are kept; a function is called only then. */
  #reason(r: OrderReason | undefined): string | undefined {
    if (r === undefined || typeof r === 'string') return r;
    return this.#orderReasons ? r() : undefined;
  }

  #submit(intent: OrderIntent, force = false): void {
    if (this.#warmingUp) return;
    if (this.#status === RunnerStatus.Faulted && !force) return;
    const decision = this.#gate.submit(intent, this.#view);
    if (decision.allowed) {
      // The order as it went (its prices on Alpaca's grid), as an intent.
      const r = decision.request;
      const sent: OrderIntent = { symbol: r.symbol, side: r.side, qty: r.qty, type: r.type, limitPrice: r.limitPrice, stopPrice: r.stopPrice, timeInForce: r.timeInForce, reason: r.reason, bracket: r.bracket, trail: r.trail, closeAll: r.closeAll };
      this.#open.add({ clientOrderId: r.clientOrderId, intent: sent, remaining: intent.qty }, r.symbol === this.#symbol ? this.#slot : undefined);
      return;
    }
    // A paused breaker was announced when it tripped: what it then holds back is detail (and counted).
    const level = decision.rule === 'circuit_breaker' ? 'debug' : 'info';
    this.#log[level]({ strategy: this.id, rule: decision.rule, symbol: intent.symbol, side: intent.side, qty: intent.qty }, `order denied by ${decision.rule}: ${intent.side} ${intent.qty} ${intent.symbol}: ${decision.reason}`);
    this.#bus.emit('order.denied', { strategyId: this.id, intent, rule: decision.rule, reason: decision.reason, time: this.#now });
    this.#reject({ intent, source: 'risk', rule: decision.rule, reason: decision.reason });
  }

  #reject(rejection: OrderRejection): void {
    this.#denials.set(rejection.rule, (this.#denials.get(rejection.rule) ?? 0) + 1);
    if (this.#status === RunnerStatus.Faulted) return;
    this.#guard('onOrderRejected', () => this.#strategy.onOrderRejected(rejection, this.#ctx));
  }

  /** Per-symbol arrays long enough for `slot`. */
  #grow(slot: number): void {
    while (this.#lastBars.length <= slot) this.#lastBars.push(undefined);
  }

  /** The slot of `symbol`, undefined for a symbol never seen (the bar being processed's without a lookup). */
  #find(symbol: string): number | undefined {
    return symbol === this.#symbol ? this.#slot : this.#slots.find(symbol);
  }

  #lastBar(symbol: string): Bar | undefined {
    const k = this.#find(symbol);
    return k === undefined ? undefined : this.#lastBars[k];
  }

  #position(symbol: string): number {
    return symbol === this.#symbol ? this.ledger.positionQtyAt(this.#slot) : this.ledger.positionQty(symbol);
  }

  #hasOpenOrder(symbol: string): boolean {
    return symbol === this.#symbol ? this.#open.hasAt(this.#slot) : this.#open.has(symbol);
  }

  #pendingQty(symbol: string): number {
    return symbol === this.#symbol ? this.#open.pendingQtyAt(this.#slot) : this.#open.pendingQty(symbol);
  }

  #makeView(): RiskView {
    const paused = (): boolean => this.#status !== RunnerStatus.Active;
    const now = (): number => this.#now;
    return {
      strategyId: this.id,
      capital: this.capital,
      get paused() {
        return paused();
      },
      get now() {
        return now();
      },
      availableCash: () => this.ledger.cash - this.#open.reservedCash,
      position: (s) => this.#position(s),
      pendingQty: (s) => this.#pendingQty(s),
      price: (s) => this.#lastBar(s)?.close,
      priceCeiling: (s) => {
        const k = this.#find(s);
        return k === undefined ? undefined : this.#highs.ceiling(k);
      },
    };
  }

  #makeContext(): StrategyContext {
    const now = (): number => this.#now;
    const warmingUp = (): boolean => this.#warmingUp;
    // Every intent has the same fields (absent ones undefined): one object shape on the order path.
    const order = (symbol: string, side: 'buy' | 'sell', qty: number, o: OrderOptions | undefined): void =>
      this.#submit({
        symbol,
        side,
        qty,
        type: o?.type ?? 'market',
        limitPrice: o?.limitPrice,
        stopPrice: o?.stopPrice,
        timeInForce: undefined,
        reason: this.#reason(o?.reason),
        bracket: o?.stopLoss === undefined && o?.takeProfit === undefined && o?.trailingStop === undefined ? undefined : { stopLoss: o.stopLoss, takeProfit: o.takeProfit, trail: o.trailingStop },
        closeAll: undefined,
      });
    return {
      strategyId: this.id,
      capital: this.capital,
      get now() {
        return now();
      },
      get warmingUp() {
        return warmingUp();
      },
      cash: () => this.ledger.cash,
      equity: () => this.ledger.equity(),
      position: (s) => this.#position(s),
      symbolIndex: (s) => (s === this.#symbol ? this.#slot : this.#slots.slot(s)),
      hasOpenOrder: (s) => this.#hasOpenOrder(s),
      lastBar: (s) => this.#lastBar(s),
      bars: (s, tf) => this.#higher.bars(s, tf),
      submit: (intent) => this.#submit(intent),
      buy: (s, q, o) => order(s, 'buy', q, o),
      sell: (s, q, o) => order(s, 'sell', q, o),
      closePosition: (s, reason) => this.#close(s, reason, false),
    };
  }
}
