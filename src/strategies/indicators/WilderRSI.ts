import { IndicatorSeries } from 'trading-signals';
import { ExactSum } from './ExactSum.js';

interface RsiState {
  prevClose: number | null;
  seeded: number;
  avgUp: number;
  avgDown: number;
}

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
  readonly #state: RsiState = { prevClose: null, seeded: 0, avgUp: 0, avgDown: 0 };
  /** The state before the last value (a revision of it starts from here); copied field by field, nothing allocated a bar. */
  readonly #before: RsiState = { prevClose: null, seeded: 0, avgUp: 0, avgDown: 0 };
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
      if (this.#state.seeded > this.#before.seeded) {
        this.#seedUp.remove(this.#lastUp);
        this.#seedDown.remove(this.#lastDown);
      }
      copyState(this.#before, this.#state);
    } else {
      copyState(this.#state, this.#before);
      this.#hasBefore = true;
    }
    const s = this.#state;
    const prev = s.prevClose;
    s.prevClose = close;
    if (prev === null) return null;
    const up = Math.max(close - prev, 0);
    const down = Math.max(prev - close, 0);
    if (s.seeded < this.interval) {
      this.#seedUp.add(up);
      this.#seedDown.add(down);
      this.#lastUp = up;
      this.#lastDown = down;
      s.seeded++;
      if (s.seeded < this.interval) return null;
      s.avgUp = this.#seedUp.value() / this.interval;
      s.avgDown = this.#seedDown.value() / this.interval;
    } else {
      s.avgUp = s.avgUp * this.#alpha1 + up * this.#alpha;
      s.avgDown = s.avgDown * this.#alpha1 + down * this.#alpha;
    }
    return this.setResult(rsiOf(s.avgUp, s.avgDown), replace);
  }
}

function copyState(from: RsiState, to: RsiState): void {
  to.prevClose = from.prevClose;
  to.seeded = from.seeded;
  to.avgUp = from.avgUp;
  to.avgDown = from.avgDown;
}

function rsiOf(avgUp: number, avgDown: number): number {
  if (avgDown === 0) return avgUp === 0 ? 50 : 100;
  return 100 - 100 / (1 + avgUp / avgDown);
}
