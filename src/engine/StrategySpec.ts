import type { DaemonConfig } from '../config/configSchema.js';

/** One strategy to run: from the configuration, or from the backtest command line. */
export interface StrategySpec {
  readonly id: string;
  readonly type: string;
  readonly symbols: readonly string[];
  readonly capital: number;
  readonly params: unknown;
}

/** The configuration's enabled strategies, as the engines run them. */
export function enabledStrategies(config: DaemonConfig): StrategySpec[] {
  return config.strategies.filter((s) => s.enabled).map((s) => ({ id: s.id, type: s.type, symbols: s.symbols, capital: s.capital_allocation, params: s.params }));
}
