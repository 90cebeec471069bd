import { ExactSum } from './ExactSum.js';

/**
 * Simple moving average of the last `interval` values: their exact sum, correctly rounded, divided
 * by `interval` (backtrader's arithmetic, bit for bit). Same streaming API as trading-signals'
 * indicators: `add`, `replace` (a revised last value, e.g. Alpaca's updated bar), `getResult`,
 * `isStable`. Its state lives in numeric fields and a ring buffer, so an update allocates nothing.
 */
export class ExactSMA {
  readonly interval: number;
  readonly #window: Float64Array;
  readonly #sum = new ExactSum();
  /** Slot of the newest value in the ring buffer. */
  #newest = -1;
  #count = 0;
  #result = Number.NaN;

  constructor(interval: number) {
    if (!Number.isInteger(interval) || interval < 1) throw new RangeError(`SMA interval must be a positive integer, got ${interval}`);
    this.interval = interval;
    this.#window = new Float64Array(interval);
  }

  getRequiredInputs(): number {
    return this.interval;
  }

  get isStable(): boolean {
    return this.#count === this.interval;
  }

  /** The average of the last `interval` values, or null before that many have arrived. */
  getResult(): number | null {
    return this.#count === this.interval ? this.#result : null;
  }

  add(price: number): number | null {
    this.#update(price, false);
    return this.getResult();
  }

  /** Replaces the newest value (the first value is added when there is none). */
  replace(price: number): number | null {
    this.#update(price, true);
    return this.getResult();
  }

  /** Adds a value without returning the average: read `value` (hot loops avoid boxing a result). */
  push(price: number): void {
    this.#update(price, false);
  }

  /** The average, NaN before `interval` values have arrived. */
  get value(): number {
    return this.#count === this.interval ? this.#result : Number.NaN;
  }

  #update(price: number, replace: boolean): void {
    const w = this.#window;
    if (replace && this.#count > 0) {
      this.#sum.remove(w[this.#newest]!);
    } else {
      this.#newest = this.#newest + 1 === this.interval ? 0 : this.#newest + 1;
      if (this.#count === this.interval) this.#sum.remove(w[this.#newest]!);
      else this.#count++;
    }
    w[this.#newest] = price;
    this.#sum.add(price);
    if (this.#count === this.interval) this.#result = this.#sum.value() / this.interval;
  }
}
