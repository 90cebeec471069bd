import type { z } from 'zod';
import { MovingAverageCrossover, movingAverageCrossoverParams } from './MovingAverageCrossover.js';
import { RsiStrategy, rsiStrategyParams } from './RsiStrategy.js';
import { BollingerReversion, bollingerReversionParams } from './BollingerReversion.js';
import { DonchianBreakout, donchianBreakoutParams } from './DonchianBreakout.js';
import { MacdTrend, macdTrendParams } from './MacdTrend.js';
import { RelativeStrengthRotation, relativeStrengthRotationParams } from './RelativeStrengthRotation.js';
import type { Strategy } from './Strategy.js';

/** How to build a strategy type from its validated parameters. */
export interface StrategyFactory {
  readonly params: z.ZodType;
  readonly description: string;
  /** Builds the strategy from its parameters (validated here) and the symbols it trades. */
  create(params: unknown, symbols: readonly string[]): Strategy;
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
  macd_trend: {
    params: macdTrendParams,
    description: 'MACD crossover above a trend average {fast, slow, signal, trend, qty | fraction}',
    create: (p: unknown) => new MacdTrend(macdTrendParams.parse(p)),
  },
  bollinger_reversion: {
    params: bollingerReversionParams,
    description: 'Bollinger-band mean reversion {period, k, qty | fraction}',
    create: (p: unknown) => new BollingerReversion(bollingerReversionParams.parse(p)),
  },
  donchian_breakout: {
    params: donchianBreakoutParams,
    description: 'Donchian-channel breakout with an ATR stop {entry, exit, atr, atrStop, qty | fraction}',
    create: (p: unknown) => new DonchianBreakout(donchianBreakoutParams.parse(p)),
  },
  rs_rotation: {
    params: relativeStrengthRotationParams,
    description: 'relative-strength rotation across its symbols {lookback, rebalance, top, invest}',
    create: (p: unknown, symbols: readonly string[]) => new RelativeStrengthRotation(relativeStrengthRotationParams.parse(p)).withSymbols(symbols),
  },
});

/** The params schema of every built-in type, for the config loader. */
export function strategyParamSchemas(): Record<string, z.ZodType> {
  return Object.fromEntries(Object.entries(builtInStrategies).map(([type, f]) => [type, f.params]));
}
