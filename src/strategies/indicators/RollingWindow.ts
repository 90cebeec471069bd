/** The last `size` values, oldest first: the highest, the lowest, the mean and the (population) deviation. */
export class RollingWindow {
  readonly #size: number;
  readonly #values: number[] = [];

  constructor(size: number) {
    if (!(Number.isInteger(size) && size >= 1)) throw new RangeError(`window size must be an integer ≥ 1, got ${size}`);
    this.#size = size;
  }

  push(x: number): void {
    this.#values.push(x);
    if (this.#values.length > this.#size) this.#values.shift();
  }

  get full(): boolean {
    return this.#values.length === this.#size;
  }

  max(): number {
    return Math.max(...this.#values);
  }

  min(): number {
    return Math.min(...this.#values);
  }

  mean(): number {
    return this.#values.reduce((a, b) => a + b, 0) / this.#values.length;
  }

  stdev(): number {
    const m = this.mean();
    return Math.sqrt(this.#values.reduce((a, b) => a + (b - m) * (b - m), 0) / this.#values.length);
  }
}
