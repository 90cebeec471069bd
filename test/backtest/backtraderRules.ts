/**
 * backtrader's rules (shared/reference/backtrader/README.md), written out plainly and independently
 * of the daemon's code, for data backtrader itself cannot be run on here. Bars are stepped in time
 * order, one at a time, whatever their stamps mean (backtrader does not care how a file labels its
 * bars):
 * - a signal is computed when a bar closes; a market order sent then fills at the open of the next
 *   bar; an order sent on the last bar never fills;
 * - `sma_cross`: SMA = exact sum of the last N closes (Python's math.fsum: correctly rounded) / N;
 *   cross up at bar i when fast > slow there and the last non-zero fast − slow before i was
 *   negative, cross down the mirror; equal averages are no cross and keep the sign; flat and
 *   crossing up: buy qty; long and crossing down: sell all;
 * - `rsi_reversion`: Wilder RSI; up/down moves of the close, each averaged from a seed (fsum of the
 *   first `period` moves / period) by m = m·(1 − α) + x·α with α = 1/period (backtrader's
 *   ExponentialSmoothing); RSI = 100 − 100/(1 + up/down), 100 with no down move (50 with no move);
 *   flat and RSI < lower: buy qty; long and RSI > upper: sell all;
 * - cash 100,000, no costs; final value = cash + position × last close.
 */
export interface RuleBar {
  /** The file's stamp, as an ISO-8601 UTC string. */
  readonly stamp: string;
  readonly open: number;
  readonly close: number;
}

export interface RuleFill {
  readonly signal_time: string;
  readonly fill_time: string;
  readonly side: 'buy' | 'sell';
  readonly qty: number;
  readonly price: number;
}

export interface RuleRun {
  readonly fills: RuleFill[];
  readonly final_value: number;
}

export type RuleStrategy = { type: 'sma_cross'; fast: number; slow: number; qty: number } | { type: 'rsi_reversion'; period: number; lower: number; upper: number; qty: number };

/** CPython's math.fsum: the correctly rounded sum of `xs[from…to)`. */
export function fsum(xs: ArrayLike<number>, from = 0, to = xs.length): number {
  const partials: number[] = [];
  for (let k = from; k < to; k++) {
    let x = xs[k]!;
    let i = 0;
    for (let j = 0; j < partials.length; j++) {
      let y = partials[j]!;
      if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x];
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) partials[i++] = lo;
      x = hi;
    }
    partials.length = i;
    partials.push(x);
  }
  let n = partials.length;
  let hi = 0;
  if (n > 0) {
    hi = partials[--n]!;
    let lo = 0;
    while (n > 0) {
      const x = hi;
      const y = partials[--n]!;
      hi = x + y;
      lo = y - (hi - x);
      if (lo !== 0) break;
    }
    // Half-way cases: round as the exact sum would.
    if (n > 0 && ((lo < 0 && partials[n - 1]! < 0) || (lo > 0 && partials[n - 1]! > 0))) {
      const y = lo * 2;
      const x = hi + y;
      if (y === x - hi) hi = x;
    }
  }
  return hi;
}

/** What backtrader does with `strategy` on `bars` (time order). */
export function backtraderRun(bars: readonly RuleBar[], strategy: RuleStrategy, cash = 100_000): RuleRun {
  const closes = bars.map((b) => b.close);
  const fills: RuleFill[] = [];
  let position = 0;
  let pending: { side: 'buy' | 'sell'; qty: number; signal: string } | null = null;
  let lastDiff = 0;
  let up = 0;
  let down = 0;
  for (let i = 0; i < bars.length; i++) {
    const bar = bars[i]!;
    if (pending !== null) {
      const price = bar.open;
      cash += pending.side === 'buy' ? -pending.qty * price : pending.qty * price;
      position += pending.side === 'buy' ? pending.qty : -pending.qty;
      fills.push({ signal_time: pending.signal, fill_time: bar.stamp, side: pending.side, qty: pending.qty, price });
      pending = null;
    }
    let buy: boolean;
    let sell: boolean;
    if (strategy.type === 'sma_cross') {
      if (i < strategy.slow - 1) continue;
      const diff = fsum(closes, i - strategy.fast + 1, i + 1) / strategy.fast - fsum(closes, i - strategy.slow + 1, i + 1) / strategy.slow;
      buy = diff > 0 && lastDiff < 0;
      sell = diff < 0 && lastDiff > 0;
      if (diff !== 0) lastDiff = diff;
    } else {
      const n = strategy.period;
      if (i < n) continue;
      const alpha = 1 / n;
      if (i === n) {
        const ups: number[] = [];
        const downs: number[] = [];
        for (let k = 1; k <= n; k++) {
          ups.push(Math.max(closes[k]! - closes[k - 1]!, 0));
          downs.push(Math.max(closes[k - 1]! - closes[k]!, 0));
        }
        up = fsum(ups) / n;
        down = fsum(downs) / n;
      } else {
        up = up * (1 - alpha) + Math.max(closes[i]! - closes[i - 1]!, 0) * alpha;
        down = down * (1 - alpha) + Math.max(closes[i - 1]! - closes[i]!, 0) * alpha;
      }
      const rsi = down === 0 ? (up === 0 ? 50 : 100) : 100 - 100 / (1 + up / down);
      buy = rsi < strategy.lower;
      sell = rsi > strategy.upper;
    }
    if (position === 0 && buy) pending = { side: 'buy', qty: strategy.qty, signal: bar.stamp };
    else if (position > 0 && sell) pending = { side: 'sell', qty: position, signal: bar.stamp };
  }
  return { fills, final_value: cash + position * (bars.at(-1)?.close ?? 0) };
}
