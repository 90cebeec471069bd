import type { Bar } from '../../src/core/Bar.js';
import type { OrderIntent } from '../../src/core/Order.js';
import type { Strategy } from '../../src/strategies/Strategy.js';
import { HigherTimeframes } from '../../src/runner/HigherTimeframes.js';
import { StaticNyseCalendar } from '../../src/risk/calendar/StaticNyseCalendar.js';
import type { OrderOptions, StrategyContext } from '../../src/strategies/StrategyContext.js';

/** What a strategy asked for, in order: `time side qty symbol`. */
export interface Signal {
  readonly at: number;
  readonly side: 'buy' | 'sell';
  readonly qty: number;
  readonly symbol: string;
}

/**
 * Runs a strategy over bars with a context that fills every order at once at the bar's close (no
 * broker, no risk gate), so a test reads the strategy's signals alone.
 */
export function runSignals(strategy: Strategy, bars: readonly Bar[], capital = 10_000): Signal[] {
  const positions = new Map<string, number>();
  const last = new Map<string, Bar>();
  const index = new Map<string, number>();
  let cash = capital;
  const signals: Signal[] = [];
  let now = 0;
  const higher = new HigherTimeframes(new StaticNyseCalendar());
  const fill = (i: OrderIntent): void => {
    const price = last.get(i.symbol)!.close;
    const signed = i.side === 'buy' ? i.qty : -i.qty;
    positions.set(i.symbol, (positions.get(i.symbol) ?? 0) + signed);
    cash -= signed * price;
    signals.push({ at: now, side: i.side, qty: i.qty, symbol: i.symbol });
  };
  const ctx: StrategyContext = {
    strategyId: 'test',
    get now() {
      return now;
    },
    warmingUp: false,
    capital,
    cash: () => cash,
    equity: () => cash + [...positions].reduce((a, [s, q]) => a + q * last.get(s)!.close, 0),
    position: (s) => positions.get(s) ?? 0,
    symbolIndex: (s) => index.get(s) ?? index.set(s, index.size).size - 1,
    hasOpenOrder: () => false,
    lastBar: (s) => last.get(s),
    bars: (s, tf) => higher.bars(s, tf),
    submit: fill,
    buy: (symbol, qty, o?: OrderOptions) => fill({ symbol, side: 'buy', qty, type: o?.type ?? 'market' }),
    sell: (symbol, qty, o?: OrderOptions) => fill({ symbol, side: 'sell', qty, type: o?.type ?? 'market' }),
    closePosition: (symbol) => {
      const q = positions.get(symbol) ?? 0;
      if (q !== 0) fill({ symbol, side: q > 0 ? 'sell' : 'buy', qty: Math.abs(q), type: 'market' });
    },
  };
  for (let i = 0; i < bars.length; i++) {
    const b = bars[i]!;
    now = i;
    last.set(b.symbol, b);
    higher.push(b);
    strategy.onBar(b, ctx);
  }
  return signals;
}

/** Bars from closes (high = close + 0.5, low = close − 0.5 unless given), one a minute. */
export function barsOf(symbol: string, closes: readonly number[], range = 0.5): Bar[] {
  return closes.map((c, i) => ({ symbol, time: i * 60_000, open: c, high: c + range, low: c - range, close: c, volume: 100 }));
}
