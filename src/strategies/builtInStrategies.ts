import type { z } from 'zod';
import { MovingAverageCrossover, movingAverageCrossoverParams } from './MovingAverageCrossover.js';
import { RsiStrategy, rsiStrategyParams } from './RsiStrategy.js';
import type { Strategy } from './Strategy.js';

/** How to build a strategy type from its validated parameters. */
export interface StrategyFactory {
  readonly params: z.ZodType;
  readonly description: string;
  create(params: unknown): Strategy;
}

/** The strategy types a configuration or a backtest can name. */
export const builtInStrategies: Readonly<Record<string, StrategyFactory>> = Object.freeze({
  sma_cross: {
    params: movingAverageCrossoverParams,
    description: 'moving-average crossover {fast, slow, qty | fraction}',
    create: (p: unknown) => new MovingAverageCrossover(movingAverageCrossoverParams.parse(p)),
  },
  rsi_reversion: {
    params: rsiStrategyParams,
    description: 'RSI mean reversion {period, lower, upper, qty | fraction}',
    create: (p: unknown) => new RsiStrategy(rsiStrategyParams.parse(p)),
  },
});

/** The params schema of every built-in type, for the config loader. */
export function strategyParamSchemas(): Record<string, z.ZodType> {
  return Object.fromEntries(Object.entries(builtInStrategies).map(([type, f]) => [type, f.params]));
}
