import type { EquityPoint } from './EquityPoint.js';

/**
 * Equity over time, in growable typed arrays: a point per bar costs no allocation, which matters
 * in a backtest of millions of bars. A point at the same time as the last one replaces it (several
 * symbols' bars share a timestamp). `exposed` says whether any position was open at that point.
 */
export class EquityCurve {
  #times: Float64Array;
  #values: Float64Array;
  #exposed: Uint8Array;
  #length = 0;

  /** `capacity`: the expected number of points (a backtest knows it), to grow the arrays once at most. */
  constructor(capacity = 256) {
    const size = Math.max(16, Math.ceil(capacity));
    this.#times = new Float64Array(size);
    this.#values = new Float64Array(size);
    this.#exposed = new Uint8Array(size);
  }

  get length(): number {
    return this.#length;
  }

  push(time: number, equity: number, exposed: boolean): void {
    let i = this.#length;
    if (i > 0 && this.#times[i - 1] === time) i--;
    else if (i === this.#times.length) this.#grow();
    this.#times[i] = time;
    this.#values[i] = equity;
    this.#exposed[i] = exposed ? 1 : 0;
    this.#length = i + 1;
  }

  time(i: number): number {
    return this.#times[i]!;
  }

  equity(i: number): number {
    return this.#values[i]!;
  }

  exposed(i: number): boolean {
    return this.#exposed[i] === 1;
  }

  /** The points as typed-array views (no copy), for single-pass computations over long curves. */
  view(): { readonly times: Float64Array; readonly values: Float64Array; readonly exposed: Uint8Array } {
    const n = this.#length;
    return { times: this.#times.subarray(0, n), values: this.#values.subarray(0, n), exposed: this.#exposed.subarray(0, n) };
  }

  /** Plain points, for reports and JSON. */
  toPoints(): EquityPoint[] {
    const out = new Array<EquityPoint>(this.#length);
    for (let i = 0; i < this.#length; i++) out[i] = { time: this.#times[i]!, equity: this.#values[i]! };
    return out;
  }

  #grow(): void {
    const size = this.#times.length * 2;
    const times = new Float64Array(size);
    const values = new Float64Array(size);
    const exposed = new Uint8Array(size);
    times.set(this.#times);
    values.set(this.#values);
    exposed.set(this.#exposed);
    this.#times = times;
    this.#values = values;
    this.#exposed = exposed;
  }
}
