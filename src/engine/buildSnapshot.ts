import type { BrokerAccount } from '../broker/Broker.js';
import type { LiveStart, PortfolioSnapshot, StrategySnapshot } from '../persistence/PortfolioSnapshot.js';
import { computeMetrics } from '../portfolio/metrics.js';
import type { Portfolio } from '../portfolio/Portfolio.js';
import type { MultiStrategyRunner } from '../runner/MultiStrategyRunner.js';
import type { CircuitBreakers } from '../risk/CircuitBreakers.js';
import { STATE_VERSION, type EngineState } from '../persistence/engineStateSchema.js';

export interface SnapshotInputs {
  readonly mode: 'sim' | 'alpaca';
  readonly runId: string;
  readonly wallTime: number;
  readonly marketTime: number | null;
  readonly runner: MultiStrategyRunner;
  readonly portfolio: Portfolio;
  readonly brokerAccount: BrokerAccount;
  readonly fillsByStrategy: ReadonlyMap<string, number>;
  readonly breakers: CircuitBreakers | null;
  /** The exact state a restart restores. */
  readonly engine: EngineState;
  /** A live run's readiness decision (kept in the state file). */
  readonly live?: LiveStart;
}

/** The state file's content: the broker's account with positions summed over the ledgers, each strategy's books, performance. */
export function buildSnapshot(i: SnapshotInputs): PortfolioSnapshot {
  const strategies: Record<string, StrategySnapshot> = {};
  let fills = 0;
  const allTrades = [];
  for (const r of i.runner.runners) {
    const n = i.fillsByStrategy.get(r.id) ?? 0;
    fills += n;
    allTrades.push(...r.ledger.closedTrades);
    strategies[r.id] = {
      type: r.type,
      status: r.status,
      pauseReason: r.pauseReason,
      symbols: r.symbols,
      capital: r.capital,
      equity: r.ledger.equity(),
      openOrders: r.openOrderCount,
      circuitBreaker: i.breakers?.get(r.id)?.status() ?? null,
      denials: r.denials,
      ledger: r.ledger.toState(),
      performance: computeMetrics(i.portfolio.curve(r.id), r.ledger.closedTrades, { fills: n }),
    };
  }
  return {
    version: STATE_VERSION,
    timestamp: new Date(i.wallTime).toISOString(),
    mode: i.mode,
    runId: i.runId,
    marketTime: i.marketTime === null ? null : new Date(i.marketTime).toISOString(),
    account: {
      value: i.brokerAccount.equity,
      cash: i.brokerAccount.cash,
      positions: i.portfolio.positions(),
      allocated: { value: i.portfolio.equity(), cash: i.portfolio.cash() },
    },
    engine: i.engine,
    strategies,
    circuitBreaker: i.breakers?.account.status() ?? null,
    performance: {
      ...computeMetrics(i.portfolio.curve(), allTrades, { fills }),
      realizedPnl: i.portfolio.realizedPnl(),
      unrealizedPnl: i.portfolio.unrealizedPnl(),
    },
    ...(i.live === undefined ? {} : { live: i.live }),
  };
}
