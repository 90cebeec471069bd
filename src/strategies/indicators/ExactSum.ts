/**
 * The exact sum of a changing multiset of doubles, rounded once to the nearest double (ties to even),
 * as Python's math.fsum does. Backtrader averages a window with fsum, so two windows holding the
 * same prices always give the same SMA; a plain running sum drifts and would invent or miss crosses
 * when two averages are equal (see the numerical note of the backtrader references).
 *
 * The exact value is kept as a double-double while that is exact (checked at every step), else as
 * non-overlapping partials (Shewchuk's algorithm); removing a value adds its negation, which is exact
 * too, so a sliding window costs O(1) per bar.
 */
export class ExactSum {
  // Fast mode: the exact sum is hi + lo (a double-double). Prices of one symbol span few binary
  // orders of magnitude, so a window's exact sum fits in 106 bits and this mode almost never ends.
  #fast = true;
  #hi = 0;
  #lo = 0;
  // Slow mode: Shewchuk's non-overlapping partials, in increasing magnitude.
  #partials: number[] = [];

  add(value: number): void {
    if (this.#fast) {
      const hi = this.#hi;
      const lo = this.#lo;
      // TwoSum(hi, value) = s + e exactly; then lo + e must be exact too, or the fast mode ends.
      const s = hi + value;
      const bs = s - hi;
      const e = hi - (s - bs) + (value - bs);
      const t = lo + e;
      const bt = t - lo;
      if (lo - (t - bt) + (e - bt) === 0) {
        const h = s + t;
        const bh = h - s;
        this.#lo = s - (h - bh) + (t - bh);
        this.#hi = h;
        return;
      }
      this.#fast = false;
      this.#partials.length = 0;
      this.#addPartial(lo);
      this.#addPartial(hi);
    }
    this.#addPartial(value);
    const p = this.#partials;
    if (p.length <= 2) {
      // Two non-overlapping partials are a double-double again.
      this.#fast = true;
      this.#hi = p[p.length - 1] ?? 0;
      this.#lo = p.length === 2 ? p[0]! : 0;
    }
  }

  remove(value: number): void {
    this.add(-value);
  }

  /** The exact sum, correctly rounded. */
  value(): number {
    // Rounding hi + lo once is rounding the exact sum once. (Small, so callers inline it.)
    return this.#fast ? this.#hi + this.#lo : this.#partialsValue();
  }

  #partialsValue(): number {
    const p = this.#partials;
    let n = p.length;
    if (n === 0) return 0;
    let hi = p[--n]!;
    let lo = 0;
    while (n > 0) {
      const x = hi;
      const y = p[--n]!;
      hi = x + y;
      lo = y - (hi - x);
      if (lo !== 0) break;
    }
    // Round half to even: if the remainder below `lo` has the same sign, the true value is past the tie.
    if (n > 0 && ((lo < 0 && p[n - 1]! < 0) || (lo > 0 && p[n - 1]! > 0))) {
      const y = lo * 2;
      const x = hi + y;
      if (y === x - hi) hi = x;
    }
    return hi;
  }

  clear(): void {
    this.#fast = true;
    this.#hi = 0;
    this.#lo = 0;
    this.#partials.length = 0;
  }

  #addPartial(value: number): void {
    const p = this.#partials;
    let x = value;
    let i = 0;
    for (let j = 0; j < p.length; j++) {
      let y = p[j]!;
      if (Math.abs(x) < Math.abs(y)) {
        const t = x;
        x = y;
        y = t;
      }
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) p[i++] = lo;
      x = hi;
    }
    p.length = i;
    if (x !== 0 || i === 0) p.push(x);
  }
}
