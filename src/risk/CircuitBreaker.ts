import { nyDateOf, nyNextMidnight } from '../market-data/zonedTime.js';

export const BreakerRule = {
  Drawdown: 'max_drawdown',
  DailyLoss: 'max_daily_loss',
  LossStreak: 'max_consecutive_losses',
  TradesPerDay: 'max_trades_per_day',
  Manual: 'manual',
} as const;
export type BreakerRule = (typeof BreakerRule)[keyof typeof BreakerRule];

export const BreakerState = { Armed: 'ARMED', Paused: 'PAUSED' } as const;
export type BreakerState = (typeof BreakerState)[keyof typeof BreakerState];

/** What a paused breaker lets through: exits only (`block_entries`, `flatten`, which also closes the positions at the trip) or nothing (`halt_all`). */
export const BreakerAction = { BlockEntries: 'block_entries', Flatten: 'flatten', HaltAll: 'halt_all' } as const;
export type BreakerAction = (typeof BreakerAction)[keyof typeof BreakerAction];

/** Thresholds; null turns a rule off. Fractions: 0.2 = 20 %. */
export interface BreakerLimits {
  readonly maxDrawdownPct: number | null;
  readonly maxDailyLossPct: number | null;
  readonly maxConsecutiveLosses: number | null;
  readonly maxTradesPerDay: number | null;
  readonly action: BreakerAction;
}

export interface BreakerTrip {
  readonly rule: BreakerRule;
  /** The measured value that crossed the threshold (a fraction, a count). */
  readonly value: number;
  readonly threshold: number;
  readonly time: number;
  readonly message: string;
}

export type BreakerChange =
  | { readonly kind: 'tripped'; readonly scope: string; readonly trip: BreakerTrip; readonly action: BreakerAction }
  | { readonly kind: 'resumed'; readonly scope: string; readonly trip: BreakerTrip; readonly time: number; readonly reason: string };

/** The saved state of a breaker (the persistence issue restores from it). */
export interface BreakerStatus {
  readonly scope: string;
  readonly state: BreakerState;
  readonly trip: BreakerTrip | null;
  readonly highWaterMark: number | null;
  readonly dayStartEquity: number | null;
  readonly day: string | null;
  readonly lossesInRow: number;
  readonly ordersToday: number;
}

/** Everything a breaker holds, for the state file (null: not known yet). */
export interface BreakerData {
  readonly trip: BreakerTrip | null;
  readonly highWater: number | null;
  readonly lastEquity: number | null;
  readonly dayStart: number | null;
  readonly dayEnd: number | null;
  readonly day: string | null;
  readonly lossesInRow: number;
  readonly ordersToday: number;
}

/** Daily rules re-arm by themselves at the next session; the others wait to be resumed by hand. */
const DAILY: ReadonlySet<BreakerRule> = new Set([BreakerRule.DailyLoss, BreakerRule.TradesPerDay]);

const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;
const nul = (x: number): number | null => (Number.isNaN(x) ? null : x);

/**
 * The seed's four rules for one scope (a strategy, or the whole account), checked on every equity
 * update and before every order:
 * - drawdown from the high-water mark of equity reaches `maxDrawdownPct`;
 * - the day's loss, from the equity at the start of the New York trading day, reaches `maxDailyLossPct`;
 * - `maxConsecutiveLosses` closed round trips in a row lose money after costs;
 * - an order would be number `maxTradesPerDay + 1` sent this New York day.
 * A trip pauses the scope (`PAUSED`, with rule, value, threshold, time): entries are denied, exits
 * pass (none with `halt_all`). Daily rules re-arm at the next session; drawdown, loss-streak and
 * manual pauses stay until resumed by hand, which re-bases the high-water mark or the streak.
 */
export class CircuitBreaker {
  readonly scope: string;
  readonly limits: BreakerLimits;
  readonly #emit: (change: BreakerChange) => void;
  #trip: BreakerTrip | null = null;
  #highWater = Number.NaN;
  #lastEquity = Number.NaN;
  #dayStart = Number.NaN;
  #dayEnd = Number.NEGATIVE_INFINITY;
  #day: string | null = null;
  #lossesInRow = 0;
  #ordersToday = 0;

  constructor(scope: string, limits: BreakerLimits, emit: (change: BreakerChange) => void) {
    this.scope = scope;
    this.limits = limits;
    this.#emit = emit;
  }

  get state(): BreakerState {
    return this.#trip === null ? BreakerState.Armed : BreakerState.Paused;
  }

  get trip(): BreakerTrip | null {
    return this.#trip;
  }

  onEquity(time: number, equity: number): void {
    this.#roll(time);
    if (Number.isNaN(this.#dayStart)) this.#dayStart = equity;
    if (!(equity <= this.#highWater)) this.#highWater = equity;
    this.#lastEquity = equity;
    if (this.#trip !== null) return;
    const l = this.limits;
    if (l.maxDrawdownPct !== null && this.#highWater > 0) {
      const drawdown = (this.#highWater - equity) / this.#highWater;
      if (drawdown >= l.maxDrawdownPct) {
        return this.#tripOn(BreakerRule.Drawdown, drawdown, l.maxDrawdownPct, time, `drawdown ${pct(drawdown)} from the high-water mark $${this.#highWater.toFixed(2)} reached the ${pct(l.maxDrawdownPct)} limit`);
      }
    }
    if (l.maxDailyLossPct !== null && this.#dayStart > 0) {
      const loss = (this.#dayStart - equity) / this.#dayStart;
      if (loss >= l.maxDailyLossPct) {
        return this.#tripOn(BreakerRule.DailyLoss, loss, l.maxDailyLossPct, time, `loss today ${pct(loss)} from $${this.#dayStart.toFixed(2)} at the start of the day reached the ${pct(l.maxDailyLossPct)} limit`);
      }
    }
  }

  /** A closed round trip: a loss after costs lengthens the streak, anything else ends it. */
  onClosedTrade(time: number, netPnl: number): void {
    this.#roll(time);
    this.#lossesInRow = netPnl < 0 ? this.#lossesInRow + 1 : 0;
    const max = this.limits.maxConsecutiveLosses;
    if (this.#trip === null && max !== null && this.#lossesInRow >= max) {
      this.#tripOn(BreakerRule.LossStreak, this.#lossesInRow, max, time, `${this.#lossesInRow} losing trades in a row reached the limit of ${max}`);
    }
  }

  onOrderSent(time: number): void {
    this.#roll(time);
    this.#ordersToday++;
  }

  /**
   * Before an order: null when it may go, else why not. `entry`: it adds to exposure. Reaching the
   * day's order limit trips the breaker (the order over it is an entry) or lets an exit through.
   */
  check(time: number, entry: boolean): string | null {
    this.#roll(time);
    const max = this.limits.maxTradesPerDay;
    if (this.#trip === null && max !== null && this.#ordersToday >= max && entry) {
      this.#tripOn(BreakerRule.TradesPerDay, this.#ordersToday + 1, max, time, `order ${this.#ordersToday + 1} today is over the limit of ${max} a day`);
    }
    const trip = this.#trip;
    if (trip === null) return null;
    if (!entry && this.limits.action !== BreakerAction.HaltAll) return null;
    const what = entry ? 'entries are blocked' : 'all orders are halted (halt_all)';
    return `${this.#pausedBy(trip)}; ${what}${DAILY.has(trip.rule) ? ' until the next session' : ' until resumed'}`;
  }

  /**
   * Why the breaker is paused and how that ends, null when armed: a trip survives a restart whatever
   * the limits are now (loosened ones included), so a start that restores one says so.
   */
  get pausedNote(): string | null {
    const trip = this.#trip;
    if (trip === null) return null;
    return `${this.#pausedBy(trip)}; ${DAILY.has(trip.rule) ? 'until the next session' : `until resumed (npm run ctl -- resume ${this.scope})`}`;
  }

  #pausedBy(trip: BreakerTrip): string {
    return `circuit breaker ${this.scope} is paused by ${trip.rule} since ${new Date(trip.time).toISOString()}: ${trip.message}`;
  }

  /** Pauses by hand (until resumed by hand). False when already paused. */
  pause(time: number, by: string): boolean {
    if (this.#trip !== null) return false;
    this.#tripOn(BreakerRule.Manual, 0, 0, time, `paused by hand (${by})`);
    return true;
  }

  /** Resumes by hand. A drawdown trip re-bases the high-water mark on the current equity; a loss streak restarts. */
  resume(time: number, by: string): boolean {
    const trip = this.#trip;
    if (trip === null) return false;
    if (trip.rule === BreakerRule.Drawdown && !Number.isNaN(this.#lastEquity)) this.#highWater = this.#lastEquity;
    if (trip.rule === BreakerRule.LossStreak) this.#lossesInRow = 0;
    this.#trip = null;
    this.#emit({ kind: 'resumed', scope: this.scope, trip, time, reason: `resumed by hand (${by})` });
    return true;
  }

  status(): BreakerStatus {
    return {
      scope: this.scope,
      state: this.state,
      trip: this.#trip,
      highWaterMark: nul(this.#highWater),
      dayStartEquity: nul(this.#dayStart),
      day: this.#day,
      lossesInRow: this.#lossesInRow,
      ordersToday: this.#ordersToday,
    };
  }

  toData(): BreakerData {
    return {
      trip: this.#trip,
      highWater: nul(this.#highWater),
      lastEquity: nul(this.#lastEquity),
      dayStart: nul(this.#dayStart),
      dayEnd: Number.isFinite(this.#dayEnd) ? this.#dayEnd : null,
      day: this.#day,
      lossesInRow: this.#lossesInRow,
      ordersToday: this.#ordersToday,
    };
  }

  /** Puts the breaker back as it was (a trip survives a restart), without announcing anything. */
  restore(d: BreakerData): void {
    this.#trip = d.trip;
    this.#highWater = d.highWater ?? Number.NaN;
    this.#lastEquity = d.lastEquity ?? Number.NaN;
    this.#dayStart = d.dayStart ?? Number.NaN;
    this.#dayEnd = d.dayEnd ?? Number.NEGATIVE_INFINITY;
    this.#day = d.day;
    this.#lossesInRow = d.lossesInRow;
    this.#ordersToday = d.ordersToday;
  }

  #tripOn(rule: BreakerRule, value: number, threshold: number, time: number, message: string): void {
    this.#trip = { rule, value, threshold, time, message };
    this.#emit({ kind: 'tripped', scope: this.scope, trip: this.#trip, action: this.limits.action });
  }

  /**
   * The session closed at `time`: the trading day is over for the daily rules (they re-arm now, the
   * next day starts from this equity and with no order counted), not at the next session's first bar.
   */
  endDay(time: number): void {
    this.#roll(nyNextMidnight(time), `re-armed at the close of ${nyDateOf(time)}`, time);
  }

  /** A new New York day: the day starts from the last equity, the order count restarts, daily trips re-arm. */
  #roll(time: number, reason?: string, at = time): void {
    if (time < this.#dayEnd) return;
    const first = this.#day === null;
    this.#dayEnd = nyNextMidnight(time);
    this.#day = nyDateOf(time);
    this.#ordersToday = 0;
    if (!first) this.#dayStart = this.#lastEquity;
    const trip = this.#trip;
    if (trip !== null && DAILY.has(trip.rule)) {
      this.#trip = null;
      this.#emit({ kind: 'resumed', scope: this.scope, trip, time: at, reason: reason ?? `re-armed at the session of ${this.#day}` });
    }
  }
}
