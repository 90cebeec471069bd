const DAY = 86_400_000;
/** 05:00 UTC: New York's midnight, an hour off in summer (close enough for a ceiling). */
const NY_MIDNIGHT = 18_000_000;

/**
 * Per symbol (by slot): the highest price of its current New York day and of the last day before
 * it that had bars (over a weekend or a holiday too), the order-value rule's price. Three numbers a
 * symbol in one typed array: the per-bar update reads and writes no object.
 */
export class DailyHighs {
  /** Per slot: the day number (NaN: no bar yet), today's high, the high of the day before. */
  #cells = new Float64Array(0);

  /** A bar of the symbol in `slot`, ending at `time`, with its `high`. */
  push(slot: number, time: number, high: number): void {
    const at = slot * 3;
    if (at >= this.#cells.length) this.#grow(slot);
    const c = this.#cells;
    const day = Math.floor((time - NY_MIDNIGHT) / DAY);
    const seen = c[at]!;
    if (seen === day) {
      if (high > c[at + 1]!) c[at + 1] = high;
    } else if (Number.isNaN(seen)) {
      c[at] = day;
      c[at + 1] = high;
      c[at + 2] = 0;
    } else {
      c[at + 2] = c[at + 1]!;
      c[at] = day;
      c[at + 1] = high;
    }
  }

  /** The higher of today's and the day before's high, undefined before the symbol's first bar. */
  ceiling(slot: number): number | undefined {
    const at = slot * 3;
    if (at >= this.#cells.length || Number.isNaN(this.#cells[at])) return undefined;
    return Math.max(this.#cells[at + 1]!, this.#cells[at + 2]!);
  }

  #grow(slot: number): void {
    const next = new Float64Array(Math.max(slot + 1, (this.#cells.length / 3) * 2, 8) * 3).fill(Number.NaN);
    next.set(this.#cells);
    this.#cells = next;
  }
}
