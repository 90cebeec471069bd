/**
 * The exact sum of a changing multiset of doubles, rounded once to the nearest double (ties to even),
 * as Python's math.fsum does. Backtrader averages a window with fsum, so two windows holding the
 * same prices always give the same SMA; a plain running sum drifts and would invent or miss crosses
 * when two averages are equal (see the numerical note of the backtrader references).
 *
 * The exact value is kept as non-overlapping partials (Shewchuk's algorithm); removing a value adds
 * its negation, which is exact too, so a sliding window costs O(1) per bar.
 */
export class ExactSum {
  #partials: number[] = [];

  add(value: number): void {
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
    p.push(x);
  }

  remove(value: number): void {
    this.add(-value);
  }

  /** The exact sum, correctly rounded. */
  value(): number {
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
    this.#partials.length = 0;
  }
}
