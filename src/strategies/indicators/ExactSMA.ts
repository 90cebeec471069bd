import { MovingAverage } from 'trading-signals';
import { ExactSum } from './ExactSum.js';

/**
 * Simple moving average of the last `interval` values: their exact sum, correctly rounded, divided
 * by `interval` (backtrader's arithmetic, bit for bit). Same streaming API as trading-signals'
 * indicators: `add`, `replace` (a revised last value, e.g. Alpaca's updated bar), `getResult`.
 */
export class ExactSMA extends MovingAverage {
  readonly #window: Float64Array;
  readonly #sum = new ExactSum();
  /** Slot of the newest value in the ring buffer. */
  #newest = -1;
  #count = 0;

  constructor(interval: number) {
    if (!Number.isInteger(interval) || interval < 1) throw new RangeError(`SMA interval must be a positive integer, got ${interval}`);
    super(interval);
    this.#window = new Float64Array(interval);
  }

  override getRequiredInputs(): number {
    return this.interval;
  }

  override update(price: number, replace: boolean): number | null {
    const w = this.#window;
    if (replace && this.#count > 0) {
      this.#sum.remove(w[this.#newest]!);
    } else {
      this.#newest = (this.#newest + 1) % this.interval;
      if (this.#count === this.interval) this.#sum.remove(w[this.#newest]!);
      else this.#count++;
    }
    w[this.#newest] = price;
    this.#sum.add(price);
    if (this.#count < this.interval) return null;
    return this.setResult(this.#sum.value() / this.interval, replace);
  }
}
