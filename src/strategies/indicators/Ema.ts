/**
 * Exponential moving average with smoothing 2 / (period + 1), seeded with the simple average of the
 * first `period` values (backtrader's and TA-Lib's convention); null until then.
 */
export class Ema {
  readonly #period: number;
  readonly #alpha: number;
  #seedSum = 0;
  #count = 0;
  /** NaN until seeded (a number field: updating it allocates nothing). */
  #value = Number.NaN;

  constructor(period: number) {
    if (!(Number.isInteger(period) && period >= 1)) throw new RangeError(`EMA period must be an integer ≥ 1, got ${period}`);
    this.#period = period;
    this.#alpha = 2 / (period + 1);
  }

  add(x: number): number | null {
    const v = this.push(x);
    return this.#count < this.#period ? null : v;
  }

  /**
   * `add` for hot loops: the average, NaN until seeded. Always a number, so a caller that keeps it in
   * a local allocates nothing (a `number | null` result is boxed on every bar).
   */
  push(x: number): number {
    if (this.#count < this.#period) {
      this.#seedSum += x;
      if (++this.#count < this.#period) return Number.NaN;
      this.#value = this.#seedSum / this.#period;
      return this.#value;
    }
    this.#value += this.#alpha * (x - this.#value);
    return this.#value;
  }

  get value(): number | null {
    return this.#count < this.#period ? null : this.#value;
  }
}
