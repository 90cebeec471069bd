import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { BreakerState } from '../risk/CircuitBreaker.js';
import type { DashboardJournal } from './DashboardJournal.js';
import type { DashboardSource } from './DashboardSource.js';
import { healthVerdict } from './healthVerdict.js';

const P = 'paper_daemon_';

/** Sets a counter to the journal's counts (they only grow: the counter stays monotonic). */
function setCounts(counter: Counter<string>, counts: ReadonlyMap<string, number>, labels: readonly string[]): void {
  counter.reset();
  for (const [key, n] of counts) {
    const parts = key.split('\u0000');
    counter.inc(Object.fromEntries(labels.map((l, i) => [l, parts[i] ?? ''])), n);
  }
}

/**
 * The daemon's figures in Prometheus' text format (prom-client, a registry of its own: nothing
 * global): equity and P&L of the account and each strategy, positions, open orders, orders sent,
 * fills, refusals by rule, breaker states and trips, health, stream reconnections, data gaps,
 * Alpaca's request budget, the Telegram outbox's depth, how long state saves take; and the
 * process' own (memory, CPU, event-loop lag). Money is in dollars.
 */
export class DashboardMetrics {
  readonly registry = new Registry();
  readonly #source: DashboardSource;
  readonly #journal: DashboardJournal;
  readonly #g: Record<string, Gauge<string>>;
  readonly #c: Record<string, Counter<string>>;
  readonly #saves: Histogram<string>;

  constructor(source: DashboardSource, journal: DashboardJournal) {
    this.#source = source;
    this.#journal = journal;
    const r = [this.registry];
    const gauge = (name: string, help: string, labelNames: string[] = []): Gauge<string> => new Gauge({ name: P + name, help, labelNames, registers: r });
    const counter = (name: string, help: string, labelNames: string[] = []): Counter<string> => new Counter({ name: P + name, help, labelNames, registers: r });
    this.#g = {
      up: gauge('up', '1 when the daemon is trading with a healthy broker and data feed (what /healthz says), else 0'),
      component: gauge('component_healthy', '1 when the component is healthy, else 0', ['component']),
      accountEquity: gauge('account_equity_dollars', "The broker account's equity (cash + positions at market)"),
      accountCash: gauge('account_cash_dollars', "The broker account's cash"),
      pnl: gauge('pnl_dollars', "P&L of the strategies' total since their capital was allocated", ['kind']),
      equity: gauge('strategy_equity_dollars', "A strategy's equity (its cash + positions at market)", ['strategy']),
      spnl: gauge('strategy_pnl_dollars', "A strategy's P&L: total (equity - capital) and realized", ['strategy', 'kind']),
      position: gauge('position_quantity', 'Shares held, per strategy and symbol', ['strategy', 'symbol']),
      positions: gauge('positions', 'Open positions (symbols held) per strategy', ['strategy']),
      openOrders: gauge('open_orders', 'Orders working at the broker per strategy', ['strategy']),
      breaker: gauge('breaker_paused', '1 while the circuit breaker of the scope (a strategy or account) is PAUSED, else 0', ['scope', 'rule']),
      lastBar: gauge('last_bar_timestamp_seconds', 'Market time of the last bar the strategies saw (Unix seconds)'),
    };
    // Only what this daemon has: Alpaca's request budget on Alpaca, the outbox with Telegram.
    if (source.mode === 'alpaca') {
      this.#g['budgetAvailable'] = gauge('alpaca_request_budget_available', "Requests Alpaca's budget allows right now (of alpaca.requests_per_minute)");
      this.#g['budgetWaiting'] = gauge('alpaca_requests_waiting', 'Requests waiting for the budget');
      this.#g['budgetLimit'] = gauge('alpaca_requests_per_minute', 'The request budget per minute');
    }
    if (source.outboxPending() !== null) this.#g['outbox'] = gauge('telegram_outbox_depth', 'Alerts waiting in the Telegram outbox');
    this.#c = {
      orders: counter('orders_submitted_total', 'Orders the RiskGate let through to the broker since the start', ['strategy']),
      fills: counter('fills_total', 'Fills booked since the start', ['strategy']),
      denials: counter('order_denials_total', 'Orders refused by the RiskGate since the start, by rule', ['strategy', 'rule']),
      trips: counter('breaker_trips_total', 'Circuit-breaker trips since the start, by scope and rule', ['scope', 'rule']),
      gaps: counter('data_gaps_total', 'Holes in the live market data (reconnections, missing minutes) since the start'),
      gapMinutes: counter('data_gap_minutes_total', 'Minutes missed by the live stream (backfilled over REST or missing) since the start'),
      reconnects: counter('stream_reconnects_total', 'Reconnections of a stream after it went down, since the start', ['stream']),
      saveFailures: counter('state_save_failures_total', 'State saves that failed since the start'),
    };
    this.#saves = new Histogram({ name: `${P}state_save_duration_seconds`, help: 'How long writing the state file took', buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers: r });
    collectDefaultMetrics({ register: this.registry });
  }

  /** A state save took `seconds` (failed when not `ok`). */
  saved(seconds: number, ok: boolean): void {
    this.#saves.observe(seconds);
    if (!ok) this.#c['saveFailures']!.inc();
  }

  /** The text a scrape gets. */
  async text(): Promise<string> {
    this.#refresh();
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** A figure not known yet (before the start completed, before the first bar) is left out, not reported as 0. */
  #known(g: Gauge<string>, value: number | null): void {
    const name = (g as unknown as { name: string }).name;
    const registered = this.registry.getSingleMetric(name) !== undefined;
    if (value === null) {
      if (registered) this.registry.removeSingleMetric(name);
      return;
    }
    if (!registered) this.registry.registerMetric(g);
    g.set(value);
  }

  #refresh(): void {
    const g = this.#g;
    const c = this.#c;
    const j = this.#journal;
    const verdict = healthVerdict(this.#source);
    const h = this.#source.health();
    g['up']!.set(verdict.ok ? 1 : 0);
    g['component']!.set({ component: 'broker' }, h.broker === null ? 1 : 0);
    g['component']!.set({ component: 'data_feed' }, h.feedProblem === null ? 1 : 0);
    for (const k of ['equity', 'spnl', 'position', 'positions', 'openOrders', 'breaker', 'pnl']) g[k]!.reset();
    const s = this.#source.snapshot();
    if (s !== null) {
      const capital = Object.values(s.strategies).reduce((a, x) => a + x.capital, 0);
      g['pnl']!.set({ kind: 'total' }, s.account.allocated.value - capital);
      g['pnl']!.set({ kind: 'realized' }, s.performance.realizedPnl);
      g['pnl']!.set({ kind: 'unrealized' }, s.performance.unrealizedPnl);
      const paused = (scope: string, trip: { readonly rule: string } | null | undefined): void => {
        g['breaker']!.set({ scope, rule: trip?.rule ?? '' }, trip === null || trip === undefined ? 0 : 1);
      };
      paused('account', s.circuitBreaker?.state === BreakerState.Paused ? s.circuitBreaker.trip : null);
      for (const [id, x] of Object.entries(s.strategies)) {
        g['equity']!.set({ strategy: id }, x.equity);
        g['spnl']!.set({ strategy: id, kind: 'total' }, x.equity - x.capital);
        g['spnl']!.set({ strategy: id, kind: 'realized' }, x.ledger.realizedPnl);
        g['positions']!.set({ strategy: id }, x.ledger.positions.length);
        for (const p of x.ledger.positions) g['position']!.set({ strategy: id, symbol: p.symbol }, p.qty);
        g['openOrders']!.set({ strategy: id }, x.openOrders);
        if (x.circuitBreaker !== null) paused(id, x.circuitBreaker.state === BreakerState.Paused ? x.circuitBreaker.trip : null);
      }
    }
    this.#known(g['accountEquity']!, s?.account.value ?? null);
    this.#known(g['accountCash']!, s?.account.cash ?? null);
    const last = this.#source.lastBarTime();
    this.#known(g['lastBar']!, last === null ? null : last / 1000);
    if (h.requestBudget !== null) {
      g['budgetAvailable']?.set(h.requestBudget.available);
      g['budgetWaiting']?.set(h.requestBudget.waiting);
      g['budgetLimit']?.set(h.requestBudget.perMinute);
    }
    const pending = this.#source.outboxPending();
    if (pending !== null) g['outbox']?.set(pending);
    setCounts(c['orders']!, j.ordersBy, ['strategy']);
    setCounts(c['fills']!, j.fillsBy, ['strategy']);
    setCounts(c['denials']!, j.denialsBy, ['strategy', 'rule']);
    setCounts(c['trips']!, j.tripsBy, ['scope', 'rule']);
    c['gaps']!.reset();
    c['gaps']!.inc(j.gaps);
    c['gapMinutes']!.reset();
    c['gapMinutes']!.inc(j.gapMinutes);
    setCounts(c['reconnects']!, new Map(Object.entries(h.reconnects)), ['stream']);
  }
}
