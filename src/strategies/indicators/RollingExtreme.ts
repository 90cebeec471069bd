/**
 * The highest (or lowest) of the last `size` values, in O(1) amortized a value: a monotonic queue of
 * the values that can still be the extreme (each one newer and smaller than the one before it, for
 * the highest), in a ring buffer, so pushing allocates nothing. The same figure as a scan of the
 * window; NaN values count towards the window but are never the extreme.
 */
export class RollingExtreme {
  readonly #size: number;
  readonly #highest: boolean;
  /** The queue: values and the push number of each, `#length` of them from `#head` (ring buffers). */
  readonly #values: Float64Array;
  readonly #ids: Float64Array;
  #head = 0;
  #length = 0;
  /** Values pushed so far. */
  #pushed = 0;

  constructor(size: number, extreme: 'highest' | 'lowest') {
    if (!(Number.isInteger(size) && size >= 1)) throw new RangeError(`window size must be an integer ≥ 1, got ${size}`);
    this.#size = size;
    this.#highest = extreme === 'highest';
    this.#values = new Float64Array(size);
    this.#ids = new Float64Array(size);
  }

  push(x: number): void {
    const id = this.#pushed++;
    const size = this.#size;
    // The oldest leaves the window.
    if (this.#length > 0 && this.#ids[this.#head]! <= id - size) {
      this.#head = this.#head + 1 === size ? 0 : this.#head + 1;
      this.#length--;
    }
    if (Number.isNaN(x)) return;
    // Values the new one beats can never be the extreme again (ties stay: the figure is the same).
    const v = this.#values;
    while (this.#length > 0) {
      let back = this.#head + this.#length - 1;
      if (back >= size) back -= size;
      if (this.#highest ? v[back]! < x : v[back]! > x) this.#length--;
      else break;
    }
    let at = this.#head + this.#length;
    if (at >= size) at -= size;
    v[at] = x;
    this.#ids[at] = id;
    this.#length++;
  }

  /** Whether `size` values have been pushed. */
  get full(): boolean {
    return this.#pushed >= this.#size;
  }

  /** The extreme of the window: −∞ (highest) or +∞ (lowest) when it holds no number. */
  get value(): number {
    if (this.#length === 0) return this.#highest ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    return this.#values[this.#head]!;
  }
}
