/** One strategy to run: from the configuration, or from the backtest command line. */
export interface StrategySpec {
  readonly id: string;
  readonly type: string;
  readonly symbols: readonly string[];
  readonly capital: number;
  readonly params: unknown;
}
