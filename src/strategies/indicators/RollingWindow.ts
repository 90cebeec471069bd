/**
 * The last `size` values: the highest, the lowest, the mean and the (population) deviation. A ring
 * buffer: pushing allocates nothing, and each figure is one pass over at most `size` values in the
 * order they came (the same sums, to the last bit, as over an array of them).
 */
export class RollingWindow {
  readonly #size: number;
  readonly #values: Float64Array;
  /** Where the next value goes; the oldest value once the window is full. */
  #next = 0;
  #count = 0;

  constructor(size: number) {
    if (!(Number.isInteger(size) && size >= 1)) throw new RangeError(`window size must be an integer ≥ 1, got ${size}`);
    this.#size = size;
    this.#values = new Float64Array(size);
  }

  push(x: number): void {
    this.#values[this.#next] = x;
    this.#next = this.#next + 1 === this.#size ? 0 : this.#next + 1;
    if (this.#count < this.#size) this.#count++;
  }

  get full(): boolean {
    return this.#count === this.#size;
  }

  max(): number {
    const v = this.#values;
    let m = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < this.#count; i++) if (v[i]! > m) m = v[i]!;
    return m;
  }

  min(): number {
    const v = this.#values;
    let m = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.#count; i++) if (v[i]! < m) m = v[i]!;
    return m;
  }

  mean(): number {
    return this.#sum(0, 0) / this.#count;
  }

  /** The deviation around `mean` (the window's mean, when the caller has it already). */
  stdev(mean = this.mean()): number {
    return Math.sqrt(this.#sum(mean, 1) / this.#count);
  }

  /** Σ x (power 0) or Σ (x − m)² (power 1), oldest value first (two plain runs of the ring: no index arithmetic a value). */
  #sum(m: number, power: 0 | 1): number {
    const v = this.#values;
    const count = this.#count;
    const start = count < this.#size ? 0 : this.#next;
    const firstEnd = count < this.#size ? count : this.#size;
    let total = 0;
    if (power === 0) {
      for (let i = start; i < firstEnd; i++) total += v[i]!;
      for (let i = 0; i < start; i++) total += v[i]!;
    } else {
      for (let i = start; i < firstEnd; i++) total += (v[i]! - m) * (v[i]! - m);
      for (let i = 0; i < start; i++) total += (v[i]! - m) * (v[i]! - m);
    }
    return total;
  }
}
