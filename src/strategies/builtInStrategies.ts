import type { z } from 'zod';
import { MovingAverageCrossover, movingAverageCrossoverParams } from './MovingAverageCrossover.js';
import { RsiStrategy, rsiStrategyParams } from './RsiStrategy.js';
import { BollingerReversion, bollingerReversionParams } from './BollingerReversion.js';
import { DonchianBreakout, donchianBreakoutParams } from './DonchianBreakout.js';
import { MacdTrend, macdTrendParams } from './MacdTrend.js';
import { RelativeStrengthRotation, relativeStrengthRotationParams } from './RelativeStrengthRotation.js';
import type { Strategy } from './Strategy.js';
import { StrategyOrigin, type StrategyType } from './StrategyCatalog.js';
import { builtInSourceHash } from './strategySourceHash.js';

/** How to build a strategy type from its validated parameters. */
export interface StrategyFactory {
  readonly params: z.ZodType;
  readonly description: string;
  /** Its source file under src/strategies/ (its fingerprint: strategySourceHash). */
  readonly file: string;
  /** Builds the strategy from its parameters (validated here) and the symbols it trades. */
  create(params: unknown, symbols: readonly string[]): Strategy;
}

/** The strategy types a configuration or a backtest can name. */
export const builtInStrategies: Readonly<Record<string, StrategyFactory>> = Object.freeze({
  sma_cross: {
    params: movingAverageCrossoverParams,
    file: 'MovingAverageCrossover.ts',
    description: 'moving-average crossover {fast, slow, qty | fraction}',
    create: (p: unknown) => new MovingAverageCrossover(movingAverageCrossoverParams.parse(p)),
  },
  rsi_reversion: {
    params: rsiStrategyParams,
    file: 'RsiStrategy.ts',
    description: 'RSI mean reversion {period, lower, upper, qty | fraction}',
    create: (p: unknown) => new RsiStrategy(rsiStrategyParams.parse(p)),
  },
  macd_trend: {
    params: macdTrendParams,
    file: 'MacdTrend.ts',
    description: 'MACD crossover above a trend average {fast, slow, signal, trend, qty | fraction}',
    create: (p: unknown) => new MacdTrend(macdTrendParams.parse(p)),
  },
  bollinger_reversion: {
    params: bollingerReversionParams,
    file: 'BollingerReversion.ts',
    description: 'Bollinger-band mean reversion {period, k, qty | fraction}',
    create: (p: unknown) => new BollingerReversion(bollingerReversionParams.parse(p)),
  },
  donchian_breakout: {
    params: donchianBreakoutParams,
    file: 'DonchianBreakout.ts',
    description: 'Donchian-channel breakout with an ATR stop {entry, exit, atr, atrStop, qty | fraction}',
    create: (p: unknown) => new DonchianBreakout(donchianBreakoutParams.parse(p)),
  },
  rs_rotation: {
    params: relativeStrengthRotationParams,
    file: 'RelativeStrengthRotation.ts',
    description: 'relative-strength rotation across its symbols {lookback, rebalance, top, invest}',
    create: (p: unknown, symbols: readonly string[]) => new RelativeStrengthRotation(relativeStrengthRotationParams.parse(p)).withSymbols(symbols),
  },
});

/** The built-ins as catalog entries (loadStrategyCatalog adds the user's modules to them). */
export function builtInStrategyTypes(): StrategyType[] {
  return Object.entries(builtInStrategies).map(([type, f]) => {
    let hash: string | null = null;
    return {
      type,
      origin: StrategyOrigin.BuiltIn,
      file: `src/strategies/${f.file}`,
      params: f.params,
      description: f.description,
      create: f.create,
      sourceHash: () => (hash ??= builtInSourceHash(f.file)),
    };
  });
}

/** The params schema of every built-in type (tests; the commands ask their StrategyCatalog). */
export function strategyParamSchemas(): Record<string, z.ZodType> {
  return Object.fromEntries(Object.entries(builtInStrategies).map(([type, f]) => [type, f.params]));
}
