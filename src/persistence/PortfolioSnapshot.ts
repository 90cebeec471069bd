import type { LedgerState } from '../portfolio/Ledger.js';
import type { Metrics } from '../portfolio/metrics.js';
import type { BreakerStatus } from '../risk/CircuitBreaker.js';
import type { EngineState } from './engineStateSchema.js';

/** Position of the whole account in one symbol (the sum over strategies). */
export interface AccountPosition {
  readonly qty: number;
  readonly avgPrice: number;
  readonly marketPrice: number | null;
  readonly marketValue: number;
  readonly unrealizedPnl: number;
}

export interface StrategySnapshot {
  readonly type: string;
  readonly status: string;
  readonly pauseReason: string | null;
  readonly symbols: readonly string[];
  readonly capital: number;
  readonly equity: number;
  readonly openOrders: number;
  /** ARMED or PAUSED, with the trip (rule, value, threshold, time) and the counters. */
  readonly circuitBreaker: BreakerStatus | null;
  /** Orders refused by the RiskGate or rejected by the broker, by rule. */
  readonly denials: Readonly<Record<string, number>>;
  readonly ledger: LedgerState;
  readonly performance: Metrics;
}

/**
 * The seed's state file: `{timestamp, account{value, cash, positions}, strategies, performance}`,
 * plus what says where it came from. Versioned; the persistence issue extends it for restore.
 */
export interface PortfolioSnapshot {
  readonly version: 4;
  readonly timestamp: string;
  readonly mode: 'sim' | 'alpaca';
  readonly runId: string;
  /** Market time of the last bar processed (offline replay: the replayed time). */
  readonly marketTime: string | null;
  /** The broker's account (value = cash + positions at market); `allocated` is the strategies' part of it. */
  readonly account: {
    readonly value: number;
    readonly cash: number;
    readonly positions: Readonly<Record<string, AccountPosition>>;
    readonly allocated: { readonly value: number; readonly cash: number };
  };
  /** The exact state a restart restores (validated on load); the other fields are for people and `npm run status`. */
  readonly engine: EngineState;
  readonly strategies: Readonly<Record<string, StrategySnapshot>>;
  /** The account-wide circuit breaker. */
  readonly circuitBreaker: BreakerStatus | null;
  readonly performance: Metrics & { readonly realizedPnl: number; readonly unrealizedPnl: number };
  /**
   * A live run: the strategies the readiness checklist let start and held back, and the reason of
   * `--override-readiness` (null when the checklist decided); absent on paper runs.
   */
  readonly live?: LiveStart;
}

/** What a live start ran with, decided by the live checklist or overridden (docs/readiness.md). */
export interface LiveStart {
  readonly started: readonly string[];
  readonly held: readonly string[];
  readonly override: string | null;
}
