import { MovingAverage } from 'trading-signals';
import { ExactSum } from './ExactSum.js';

/**
 * Simple moving average of the last `interval` values: their exact sum, correctly rounded, divided
 * by `interval` (backtrader's arithmetic, bit for bit). Same streaming API as trading-signals'
 * indicators: `add`, `replace` (a revised last value, e.g. Alpaca's updated bar), `getResult`.
 */
export class ExactSMA extends MovingAverage {
  readonly #window: number[] = [];
  readonly #sum = new ExactSum();

  constructor(interval: number) {
    if (!Number.isInteger(interval) || interval < 1) throw new RangeError(`SMA interval must be a positive integer, got ${interval}`);
    super(interval);
  }

  override getRequiredInputs(): number {
    return this.interval;
  }

  override update(price: number, replace: boolean): number | null {
    const w = this.#window;
    if (replace && w.length > 0) {
      this.#sum.remove(w[w.length - 1]!);
      w[w.length - 1] = price;
    } else {
      w.push(price);
      if (w.length > this.interval) this.#sum.remove(w.shift()!);
    }
    this.#sum.add(price);
    if (w.length < this.interval) return null;
    return this.setResult(this.#sum.value() / this.interval, replace);
  }
}
