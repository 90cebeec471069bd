import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { BacktestResult } from '../src/backtest/BacktestResult.js';
import { runBacktest } from '../src/backtest/runBacktest.js';
import { noCommission } from '../src/broker/sim/CommissionModel.js';
import { noSlippage } from '../src/broker/sim/SlippageModel.js';
import type { Bar } from '../src/core/Bar.js';
import type { StrategySpec } from '../src/engine/StrategySpec.js';
import { StaticNyseCalendar } from '../src/risk/calendar/StaticNyseCalendar.js';
import { BarTape } from '../src/market-data/BarTape.js';
import { syntheticBars } from './syntheticBars.js';

/** `runBacktest` as `npm run backtest` runs it (market hours included), no costs, timed by `performance.now()`. */
export function benchBacktest(strategies: readonly StrategySpec[], bars: readonly Bar[] | BarTape, startingCash: number, logger: Logger): BacktestResult {
  return runBacktest({ strategies, bars, startingCash, slippage: noSlippage, commission: noCommission, maxPositionPct: 0.25, calendar: new StaticNyseCalendar(), logger, stopwatch: () => performance.now() });
}

/** Ten strategies of five built-in types, two parameter sets each. */
export function tenStrategies(symbols: readonly string[], capital: number): StrategySpec[] {
  const types: ReadonlyArray<readonly [string, Record<string, number>]> = [
    ['sma_cross', { fast: 10, slow: 30, qty: 1 }],
    ['sma_cross', { fast: 5, slow: 20, qty: 1 }],
    ['rsi_reversion', { period: 14, lower: 30, upper: 70, qty: 1 }],
    ['rsi_reversion', { period: 7, lower: 25, upper: 75, qty: 1 }],
    ['macd_trend', { fast: 12, slow: 26, signal: 9, trend: 50, qty: 1 }],
    ['macd_trend', { fast: 8, slow: 21, signal: 5, trend: 30, qty: 1 }],
    ['bollinger_reversion', { period: 20, k: 2, qty: 1 }],
    ['bollinger_reversion', { period: 10, k: 1.5, qty: 1 }],
    ['donchian_breakout', { entry: 20, exit: 10, atr: 14, atrStop: 2, qty: 1 }],
    ['donchian_breakout', { entry: 55, exit: 20, atr: 14, atrStop: 3, qty: 1 }],
  ];
  return types.map(([type, params], i) => ({ id: `${type}_${i}`, type, symbols, capital, params }));
}

/** `count` symbols' synthetic minute bars, merged in time then symbol order. */
export function manySymbols(count: number, barsEach: number): { symbols: string[]; bars: Bar[] } {
  const symbols = Array.from({ length: count }, (_, i) => `S${String(i).padStart(4, '0')}`);
  const series = symbols.map((s, i) => syntheticBars(barsEach, s, 7 + i * 7919));
  const bars: Bar[] = new Array<Bar>(count * barsEach);
  let k = 0;
  for (let j = 0; j < barsEach; j++) for (let i = 0; i < count; i++) bars[k++] = series[i]![j]!;
  return { symbols, bars };
}

/**
 * The bars as `npm run backtest -- --data FILE …` holds them: one tape (columns) per symbol's file,
 * merged; the run makes each bar's object as it replays it.
 */
export function tapeOf(symbols: readonly string[], bars: readonly Bar[]): BarTape {
  const tapes = symbols.map((s) => new BarTape([s], bars.length / symbols.length));
  const bySymbol = new Map(symbols.map((s, i) => [s, tapes[i]!]));
  for (const b of bars) bySymbol.get(b.symbol)!.push(b.time, b.open, b.high, b.low, b.close, b.volume ?? 0, 0);
  return BarTape.merge(tapes);
}

/**
 * The fills and final value of the portfolio run as they were before its hot path was rewritten
 * (issue 19): speed is never bought with different results.
 */
export const PORTFOLIO_FILLS = 76_476;
export const PORTFOLIO_FINAL_VALUE = 999_840.9100000022;

/**
 * `backtest_portfolio_strategy_bars_per_second`: 10 strategies, each on the same 100 symbols,
 * 2,000 minute bars a symbol (200,000 bars, 2,000,000 strategy-bars), through `runBacktest`
 * end to end (set-up, the daemon's runners, RiskGate, ExecutionService, simulated venue, report),
 * replayed from columns as the command line replays a hundred files (see tapeOf).
 */
export function portfolioBench(logger: Logger, runs: number, collect: () => void): { strategyBarsPerSecond: number; fills: number } {
  const { symbols, bars } = manySymbols(100, 2000);
  const tape = tapeOf(symbols, bars);
  const strategies = tenStrategies(symbols, 100_000);
  let best = 0;
  let fills = 0;
  for (let i = 0; i <= runs; i++) {
    collect();
    const started = performance.now();
    const r = benchBacktest(strategies, tape, 1_000_000, logger);
    const seconds = (performance.now() - started) / 1000;
    fills = r.fills.length;
    if (fills !== PORTFOLIO_FILLS || r.finalValue !== PORTFOLIO_FINAL_VALUE) {
      throw new Error(`portfolio bench: ${fills} fills, final value ${r.finalValue}; expected ${PORTFOLIO_FILLS} fills, final value ${PORTFOLIO_FINAL_VALUE}`);
    }
    // The first run warms the JIT up and is not counted.
    if (i > 0) best = Math.max(best, (tape.length * strategies.length) / seconds);
  }
  return { strategyBarsPerSecond: Math.round(best), fills };
}

// Run as its own process by bench.ts (a portfolio backtest runs in a process of its own, not after
// 11 single-strategy runs that leave V8's code specialised for one strategy type), bundled as
// dist/main.js is: one JSON line.
if (/portfolioBench\.(ts|mjs)$/.test(process.argv[1] ?? '')) {
  const { pino } = await import('pino');
  const collect = (globalThis as { gc?: () => void }).gc ?? ((): void => {});
  process.stdout.write(`${JSON.stringify(portfolioBench(pino({ level: 'silent' }), Number(process.argv[2] ?? 3), collect))}\n`);
}
