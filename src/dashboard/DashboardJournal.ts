import type { Clock } from '../core/Clock.js';
import type { DaemonEvents } from '../core/DaemonEvents.js';
import type { EventBus } from '../core/EventBus.js';
import { AlertPriority, type Alert } from '../notify/Notifier.js';

/** How many fills and alerts the page keeps (the newest). */
export const RECENT = 50;

export interface RecentFill {
  /** Market time of the fill. */
  readonly time: number;
  readonly strategy: string;
  readonly symbol: string;
  readonly side: string;
  readonly qty: number;
  readonly price: number;
  readonly realizedPnl: number;
}

export interface RecentAlert {
  /** Wall time the alert was raised. */
  readonly time: number;
  readonly priority: string;
  readonly text: string;
}

const PRIORITY_NAMES: Readonly<Record<AlertPriority, string>> = {
  [AlertPriority.Risk]: 'risk',
  [AlertPriority.Error]: 'error',
  [AlertPriority.Trade]: 'trade',
  [AlertPriority.Summary]: 'summary',
  [AlertPriority.Info]: 'info',
};

/**
 * What happened since the start, as the dashboard and /metrics count it: the recent fills and
 * alerts, and counters by strategy (orders sent, fills), by strategy and rule (refusals), by scope
 * and rule (breaker trips), data gaps, saves. Counters start at zero with the process, as
 * Prometheus expects of counters.
 */
export class DashboardJournal {
  readonly #clock: Clock;
  readonly #fills: RecentFill[] = [];
  readonly #alerts: RecentAlert[] = [];
  readonly #unsubscribe: Array<() => void> = [];
  readonly fillsBy = new Map<string, number>();
  readonly ordersBy = new Map<string, number>();
  /** Key: `strategy\u0000rule`. */
  readonly denialsBy = new Map<string, number>();
  /** Key: `scope\u0000rule`. */
  readonly tripsBy = new Map<string, number>();
  gaps = 0;
  gapMinutes = 0;
  lastGap: { readonly from: number; readonly to: number; readonly backfilled: number } | null = null;
  /** Listeners told that something the page shows changed. */
  #onChange: () => void = () => {};

  constructor(bus: EventBus<DaemonEvents>, clock: Clock) {
    this.#clock = clock;
    const inc = (m: Map<string, number>, k: string): void => void m.set(k, (m.get(k) ?? 0) + 1);
    this.#unsubscribe.push(
      bus.on('fill.booked', (e) => {
        inc(this.fillsBy, e.strategyId);
        this.#push(this.#fills, { time: e.fill.time, strategy: e.strategyId, symbol: e.fill.symbol, side: e.fill.side, qty: e.fill.qty, price: e.fill.price, realizedPnl: e.realizedPnl });
        this.#onChange();
      }),
      bus.on('order.submitted', (e) => {
        inc(this.ordersBy, e.strategyId);
        this.#onChange();
      }),
      bus.on('order.denied', (e) => {
        inc(this.denialsBy, `${e.strategyId}\u0000${e.rule}`);
        this.#onChange();
      }),
      bus.on('breaker.tripped', (e) => {
        inc(this.tripsBy, `${e.scope}\u0000${e.rule}`);
        this.#onChange();
      }),
      bus.on('breaker.resumed', () => this.#onChange()),
      bus.on('data.gap', (e) => {
        this.gaps++;
        this.gapMinutes += Math.max(0, Math.round((e.to - e.from) / 60_000));
        this.lastGap = { from: e.from, to: e.to, backfilled: e.backfilled };
        this.#onChange();
      }),
    );
  }

  /** Called after each recorded event (the server pushes a new view soon after). */
  onChange(listener: () => void): void {
    this.#onChange = listener;
  }

  /** An alert to the owner, as sent to Telegram or the log. */
  alert(a: Alert): void {
    this.#push(this.#alerts, { time: this.#clock.now(), priority: PRIORITY_NAMES[a.priority], text: a.text });
    this.#onChange();
  }

  /** Newest first. */
  fills(): readonly RecentFill[] {
    return [...this.#fills].reverse();
  }

  /** Newest first. */
  alerts(): readonly RecentAlert[] {
    return [...this.#alerts].reverse();
  }

  close(): void {
    for (const u of this.#unsubscribe.splice(0)) u();
    this.#onChange = () => {};
  }

  #push<T>(list: T[], item: T): void {
    list.push(item);
    if (list.length > RECENT) list.splice(0, list.length - RECENT);
  }
}
