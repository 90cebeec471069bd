import type { Bar } from '../core/Bar.js';

/** How many bars in a row at a new level make it the market's, not a bad print. */
export const CONFIRMING_BARS = 3;

export type GuardEvent =
  | { readonly kind: 'quarantined'; readonly symbol: string; readonly bar: Bar; readonly reference: number; readonly move: number }
  | { readonly kind: 'released'; readonly symbol: string; readonly time: number; readonly reference: number; readonly dropped: number; readonly why: 'back' | 'confirmed' };

interface SymbolGuard {
  /** The last close let through: what a bar is compared with. */
  reference: number | null;
  /** Bars held back since the jump, oldest first (empty: not quarantined). */
  readonly held: Bar[];
}

/**
 * A price jump check on live data: a bar any of whose prices lies more than `maxMove` (a fraction,
 * 0.25 = 25 %) from the symbol's last price is held back and the symbol **quarantined** — a bad
 * print (a close at a thousandth of the open) must never reach a strategy, a mark or a breaker. It
 * ends when prices come back within `maxMove` of the old level (the jump was bad data: the held bars
 * are dropped), or when `CONFIRMING_BARS` bars in a row agree with each other at the new level (the
 * market really moved: trading goes on from there). Each symbol is judged alone; the others flow.
 */
export class PriceGuard {
  readonly #maxMove: number;
  readonly #report: (e: GuardEvent) => void;
  readonly #symbols = new Map<string, SymbolGuard>();

  constructor(maxMove: number, report: (e: GuardEvent) => void) {
    if (!(maxMove > 0)) throw new RangeError(`maxMove must be > 0, got ${maxMove}`);
    this.#maxMove = maxMove;
    this.#report = report;
  }

  /** Whether the bar goes on to the strategies (false: held back, its symbol quarantined). */
  accept(bar: Bar): boolean {
    let g = this.#symbols.get(bar.symbol);
    if (g === undefined) {
      g = { reference: null, held: [] };
      this.#symbols.set(bar.symbol, g);
    }
    const ref = g.reference;
    if (ref === null) {
      g.reference = bar.close;
      return true;
    }
    if (g.held.length === 0) {
      const move = this.#move(bar, ref);
      if (move <= this.#maxMove) {
        g.reference = bar.close;
        return true;
      }
      g.held.push(bar);
      this.#report({ kind: 'quarantined', symbol: bar.symbol, bar, reference: ref, move });
      return false;
    }
    if (this.#move(bar, ref) <= this.#maxMove) {
      // Back at the old level: the bars that jumped were bad data.
      this.#report({ kind: 'released', symbol: bar.symbol, time: bar.time, reference: ref, dropped: g.held.length, why: 'back' });
      g.held.length = 0;
      g.reference = bar.close;
      return true;
    }
    const last = g.held[g.held.length - 1]!;
    if (this.#move(bar, last.close) > this.#maxMove) {
      // Far from both levels: the count starts again from this bar.
      g.held.length = 0;
      g.held.push(bar);
      return false;
    }
    g.held.push(bar);
    if (g.held.length < CONFIRMING_BARS) return false;
    this.#report({ kind: 'released', symbol: bar.symbol, time: bar.time, reference: bar.close, dropped: g.held.length - 1, why: 'confirmed' });
    g.held.length = 0;
    g.reference = bar.close;
    return true;
  }

  /** Symbols held back now. */
  quarantined(): string[] {
    return [...this.#symbols].filter(([, g]) => g.held.length > 0).map(([s]) => s);
  }

  /** The largest relative distance of the bar's prices from `ref`. */
  #move(bar: Bar, ref: number): number {
    const lo = Math.min(bar.open, bar.low, bar.close);
    const hi = Math.max(bar.open, bar.high, bar.close);
    return Math.max(Math.abs(lo / ref - 1), Math.abs(hi / ref - 1));
  }
}
