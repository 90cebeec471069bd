import type { DaemonEvents } from '../core/DaemonEvents.js';
import type { EventBus } from '../core/EventBus.js';
import { CircuitBreaker, type BreakerChange, type BreakerData, type BreakerLimits, type BreakerStatus } from './CircuitBreaker.js';

/** The scope name of the account-wide breaker. */
export const ACCOUNT = 'account';

export interface CircuitBreakersOptions {
  /** Each strategy's limits, by strategy id. */
  readonly strategies: ReadonlyMap<string, BreakerLimits>;
  readonly account: BreakerLimits;
  readonly bus: EventBus<DaemonEvents>;
}

/**
 * Every circuit breaker of the daemon: one per strategy on its own equity, trades and orders, and
 * one for the account on the strategies' total. Trips and resumes become bus events
 * (`breaker.tripped`, `breaker.resumed`). An order may go only if both its strategy's breaker and
 * the account's let it.
 */
export class CircuitBreakers {
  readonly account: CircuitBreaker;
  readonly #byId = new Map<string, CircuitBreaker>();
  #sources: ReadonlyArray<{ breaker: CircuitBreaker; equity: () => number }> = [];
  #total: () => number = () => Number.NaN;

  constructor(o: CircuitBreakersOptions) {
    const emit = (c: BreakerChange): void => {
      if (c.kind === 'tripped') o.bus.emit('breaker.tripped', { scope: c.scope, ...c.trip, action: c.action });
      else o.bus.emit('breaker.resumed', { scope: c.scope, rule: c.trip.rule, time: c.time, reason: c.reason });
    };
    for (const [id, limits] of o.strategies) this.#byId.set(id, new CircuitBreaker(id, limits, emit));
    this.account = new CircuitBreaker(ACCOUNT, o.account, emit);
    o.bus.on('fill.booked', (e) => {
      if (e.closedTrade === null) return;
      this.#byId.get(e.strategyId)?.onClosedTrade(e.fill.time, e.closedTrade.netPnl);
      this.account.onClosedTrade(e.fill.time, e.closedTrade.netPnl);
    });
  }

  /** Where equity comes from: each strategy's ledger, and the total. */
  watch(strategies: ReadonlyArray<{ id: string; equity: () => number }>, total: () => number): void {
    this.#sources = strategies.flatMap((s) => {
      const breaker = this.#byId.get(s.id);
      return breaker === undefined ? [] : [{ breaker, equity: s.equity }];
    });
    this.#total = total;
  }

  /** An equity update (after each bar's fills and marks): checks the drawdown and daily-loss rules. */
  onEquity(time: number): void {
    const sources = this.#sources;
    for (let i = 0; i < sources.length; i++) sources[i]!.breaker.onEquity(time, sources[i]!.equity());
    this.account.onEquity(time, this.#total());
  }

  /**
   * An order of `strategyId` was allowed: counted at once, in the decision that sends it, so a
   * limit of N orders a day lets exactly N through even when several are decided on one bar.
   */
  onOrderSent(strategyId: string, time: number): void {
    this.#byId.get(strategyId)?.onOrderSent(time);
    this.account.onOrderSent(time);
  }

  /** The session closed at `time`: every breaker's day ends (daily rules re-arm, counts restart). */
  endDay(time: number): void {
    for (const b of this.#byId.values()) b.endDay(time);
    this.account.endDay(time);
  }

  /** Before an order of `strategyId`: null when it may go, else why not (the account is asked first). */
  check(strategyId: string, time: number, entry: boolean): string | null {
    return this.account.check(time, entry) ?? this.#byId.get(strategyId)?.check(time, entry) ?? null;
  }

  get(scope: string): CircuitBreaker | undefined {
    return scope === ACCOUNT ? this.account : this.#byId.get(scope);
  }

  /** Strategy breakers, in configuration order. */
  get strategies(): CircuitBreaker[] {
    return [...this.#byId.values()];
  }

  toData(): { account: BreakerData; strategies: Record<string, BreakerData> } {
    return { account: this.account.toData(), strategies: Object.fromEntries([...this.#byId].map(([id, b]) => [id, b.toData()])) };
  }

  /** Puts back the breakers it knows (a tripped breaker stays tripped across a restart). */
  restore(d: { account: BreakerData; strategies: Readonly<Record<string, BreakerData>> }): void {
    this.account.restore(d.account);
    for (const [id, b] of this.#byId) {
      const data = d.strategies[id];
      if (data !== undefined) b.restore(data);
    }
  }

  statuses(): { account: BreakerStatus; strategies: Record<string, BreakerStatus> } {
    return { account: this.account.status(), strategies: Object.fromEntries([...this.#byId].map(([id, b]) => [id, b.status()])) };
  }
}
