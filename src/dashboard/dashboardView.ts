import type { EquityPoint } from '../portfolio/EquityPoint.js';
import type { BreakerStatus } from '../risk/CircuitBreaker.js';
import { strategyStatus } from '../risk/strategyStatus.js';
import type { DashboardJournal, RecentAlert, RecentFill } from './DashboardJournal.js';
import type { DashboardSource } from './DashboardSource.js';
import { healthVerdict, type HealthVerdict } from './healthVerdict.js';
import type { ReadinessView } from './readinessVerdicts.js';

/** Points per curve sent to the page: enough for a chart a screen wide. */
export const CURVE_POINTS = 400;

export interface BreakerCard {
  readonly state: string;
  /** While PAUSED: the rule, the value that crossed it, the threshold, why, since when (market time). */
  readonly rule: string | null;
  readonly value: number | null;
  readonly threshold: number | null;
  readonly message: string | null;
  readonly since: number | null;
}

export interface StrategyCard {
  readonly id: string;
  readonly type: string;
  readonly status: string;
  readonly statusLabel: string;
  readonly statusReason: string | null;
  readonly capital: number;
  readonly equity: number;
  readonly pnl: number;
  readonly realizedPnl: number;
  readonly trades: number;
  readonly fills: number;
  readonly openOrders: number;
  readonly positions: ReadonlyArray<{ readonly symbol: string; readonly qty: number; readonly avgPrice: number; readonly marketPrice: number | null; readonly unrealizedPnl: number }>;
  readonly breaker: BreakerCard | null;
  /** Orders refused by the RiskGate or rejected by the broker, by rule (as saved in the state). */
  readonly denials: Readonly<Record<string, number>>;
}

/** Everything the page shows, as JSON (no secret: no key, no token, no chat id). */
export interface DashboardView {
  readonly mode: 'sim' | 'alpaca';
  readonly venue: string;
  readonly runId: string;
  /** Market time of the last bar, epoch ms. */
  readonly marketTime: number | null;
  readonly health: HealthVerdict;
  readonly commands: boolean;
  readonly account: {
    readonly equity: number;
    readonly cash: number;
    readonly strategiesEquity: number;
    readonly pnl: number;
    readonly realizedPnl: number;
    readonly unrealizedPnl: number;
    readonly breaker: BreakerCard | null;
  } | null;
  readonly strategies: readonly StrategyCard[];
  /** [time, equity] pairs, thinned to CURVE_POINTS. */
  readonly curves: { readonly total: ReadonlyArray<readonly [number, number]>; readonly strategies: Readonly<Record<string, ReadonlyArray<readonly [number, number]>>> };
  readonly fills: readonly RecentFill[];
  readonly alerts: readonly RecentAlert[];
  /** Each strategy's live-checklist verdict from the saved record (judged at the start and after each session's close); null when the daemon does not judge it. */
  readonly readiness: ReadinessView | null;
  readonly feed: {
    readonly state: string;
    readonly problem: string | null;
    readonly lastBarTime: number | null;
    readonly gaps: number;
    readonly lastGap: { readonly from: number; readonly to: number; readonly backfilled: number } | null;
    readonly reconnects: Readonly<Record<string, number>>;
    readonly requestBudget: { readonly perMinute: number; readonly available: number; readonly waiting: number } | null;
    readonly outboxPending: number | null;
  };
}

/** At most `max` points, evenly spread, always keeping the first and the newest. */
export function thin(points: readonly EquityPoint[], max: number): Array<[number, number]> {
  if (points.length <= max) return points.map((p) => [p.time, p.equity]);
  const out: Array<[number, number]> = [];
  const step = (points.length - 1) / (max - 1);
  for (let i = 0; i < max; i++) {
    const p = points[Math.round(i * step)]!;
    out.push([p.time, p.equity]);
  }
  return out;
}

function breakerCard(b: BreakerStatus | null): BreakerCard | null {
  if (b === null) return null;
  const t = b.trip;
  return { state: b.state, rule: t?.rule ?? null, value: t?.value ?? null, threshold: t?.threshold ?? null, message: t?.message ?? null, since: t?.time ?? null };
}

/** The page's data now: the saved-state view of the books (as `npm run status` shows it), the curves, the journal, the feed. */
export function dashboardView(source: DashboardSource, journal: DashboardJournal, commands: boolean, readiness: ReadinessView | null = null): DashboardView {
  const s = source.snapshot();
  const h = source.health();
  const strategies: StrategyCard[] =
    s === null
      ? []
      : Object.entries(s.strategies).map(([id, x]) => {
          const st = strategyStatus(x, x.circuitBreaker, s.circuitBreaker);
          return {
            id,
            type: x.type,
            status: st.word,
            statusLabel: st.label,
            statusReason: st.reason,
            capital: x.capital,
            equity: x.equity,
            pnl: x.equity - x.capital,
            realizedPnl: x.ledger.realizedPnl,
            trades: x.performance.trades,
            fills: x.performance.fills,
            openOrders: x.openOrders,
            positions: x.ledger.positions.map((p) => ({ symbol: p.symbol, qty: p.qty, avgPrice: p.avgPrice, marketPrice: p.marketPrice, unrealizedPnl: p.unrealizedPnl })),
            breaker: breakerCard(x.circuitBreaker),
            denials: x.denials,
          };
        });
  const capital = strategies.reduce((a, x) => a + x.capital, 0);
  const curves = source.curves();
  return {
    mode: source.mode,
    venue: source.venueName,
    runId: source.runId,
    marketTime: source.lastBarTime(),
    health: healthVerdict(source),
    commands,
    account:
      s === null
        ? null
        : {
            equity: s.account.value,
            cash: s.account.cash,
            strategiesEquity: s.account.allocated.value,
            pnl: s.account.allocated.value - capital,
            realizedPnl: s.performance.realizedPnl,
            unrealizedPnl: s.performance.unrealizedPnl,
            breaker: breakerCard(s.circuitBreaker),
          },
    strategies,
    curves: { total: thin(curves.total, CURVE_POINTS), strategies: Object.fromEntries(Object.entries(curves.strategies).map(([id, c]) => [id, thin(c, CURVE_POINTS)])) },
    fills: journal.fills(),
    alerts: journal.alerts(),
    readiness,
    feed: {
      state: h.feed,
      problem: h.feedProblem,
      lastBarTime: source.lastBarTime(),
      gaps: journal.gaps,
      lastGap: journal.lastGap,
      reconnects: h.reconnects,
      requestBudget: h.requestBudget,
      outboxPending: source.outboxPending(),
    },
  };
}
