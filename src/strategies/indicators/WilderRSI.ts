import { IndicatorSeries } from 'trading-signals';
import { ExactSum } from './ExactSum.js';

/**
 * Wilder's RSI with backtrader's arithmetic, so thresholds trigger on exactly the same bars:
 * up = max(close − prev, 0), down = max(prev − close, 0); each average is seeded with the plain mean
 * (exact sum) of the first `interval` moves, then m = m·(1 − 1/n) + x·(1/n);
 * RSI = 100 − 100 / (1 + avgUp/avgDown). The first value comes at the (interval+1)-th close.
 * With no down moves at all the RSI is 100; with no moves either way it is 50.
 */
export class WilderRSI extends IndicatorSeries {
  readonly interval: number;
  readonly #alpha: number;
  readonly #alpha1: number;
  // The state, in number fields (no object to reach a bar): the previous close (none before the
  // first), the moves seeded so far and the two averages.
  #hasPrev = false;
  #prevClose = 0;
  #seeded = 0;
  #avgUp = 0;
  #avgDown = 0;
  /** The same before the last value (a revision of it starts from here): copied field by field. */
  #bHasPrev = false;
  #bPrevClose = 0;
  #bSeeded = 0;
  #bAvgUp = 0;
  #bAvgDown = 0;
  #hasBefore = false;
  readonly #seedUp = new ExactSum();
  readonly #seedDown = new ExactSum();
  #lastUp = 0;
  #lastDown = 0;

  constructor(interval: number) {
    super();
    if (!Number.isInteger(interval) || interval < 2) throw new RangeError(`RSI period must be an integer ≥ 2, got ${interval}`);
    this.interval = interval;
    this.#alpha = 1 / interval;
    this.#alpha1 = 1 - this.#alpha;
  }

  override getRequiredInputs(): number {
    return this.interval + 1;
  }

  override update(close: number, replace: boolean): number | null {
    if (replace && this.#hasBefore) {
      // The revised value replaces the last move; if that move went into the seed sums, take it out.
      if (this.#seeded > this.#bSeeded) {
        this.#seedUp.remove(this.#lastUp);
        this.#seedDown.remove(this.#lastDown);
      }
      this.#hasPrev = this.#bHasPrev;
      this.#prevClose = this.#bPrevClose;
      this.#seeded = this.#bSeeded;
      this.#avgUp = this.#bAvgUp;
      this.#avgDown = this.#bAvgDown;
    } else {
      this.#bHasPrev = this.#hasPrev;
      this.#bPrevClose = this.#prevClose;
      this.#bSeeded = this.#seeded;
      this.#bAvgUp = this.#avgUp;
      this.#bAvgDown = this.#avgDown;
      this.#hasBefore = true;
    }
    const hadPrev = this.#hasPrev;
    const prev = this.#prevClose;
    this.#hasPrev = true;
    this.#prevClose = close;
    if (!hadPrev) return null;
    const up = Math.max(close - prev, 0);
    const down = Math.max(prev - close, 0);
    if (this.#seeded < this.interval) {
      this.#seedUp.add(up);
      this.#seedDown.add(down);
      this.#lastUp = up;
      this.#lastDown = down;
      this.#seeded++;
      if (this.#seeded < this.interval) return null;
      this.#avgUp = this.#seedUp.value() / this.interval;
      this.#avgDown = this.#seedDown.value() / this.interval;
    } else {
      this.#avgUp = this.#avgUp * this.#alpha1 + up * this.#alpha;
      this.#avgDown = this.#avgDown * this.#alpha1 + down * this.#alpha;
    }
    return this.setResult(rsiOf(this.#avgUp, this.#avgDown), replace);
  }
}

function rsiOf(avgUp: number, avgDown: number): number {
  if (avgDown === 0) return avgUp === 0 ? 50 : 100;
  return 100 - 100 / (1 + avgUp / avgDown);
}
