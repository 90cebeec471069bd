import { nyNextMidnight } from '../market-data/zonedTime.js';
import type { EquityPoint } from './EquityPoint.js';

/** The worst fall of a curve from a running peak. */
export interface Drawdown {
  /** Deepest fall from a running peak, as a fraction of that peak (0.1 = 10 %). */
  readonly depth: number;
  readonly peakTime: number | null;
  readonly troughTime: number | null;
  /** First time equity was back at the peak after the trough; null if it never was. */
  readonly recoveryTime: number | null;
  /** From the peak to the recovery (or to the last point when not recovered), in ms. */
  readonly durationMs: number;
}

/** What the metrics need from a curve, exact over every point pushed. */
export interface CurveSummary {
  readonly startingEquity: number;
  readonly finalEquity: number;
  /** Daily returns: the last equity of each New York day with points, the first against the start. */
  readonly returns: readonly number[];
  readonly drawdown: Drawdown;
  readonly points: number;
  readonly exposedPoints: number;
}

const DEFAULT_SAMPLES = 1024;

/** The running figures over the committed points (NaN times: none yet). */
interface Running {
  points: number;
  exposedPoints: number;
  readonly returns: number[];
  previousClose: number;
  close: number;
  dayEnd: number;
  peak: number;
  peakTime: number;
  depth: number;
  worstPeakTime: number;
  troughTime: number;
  recoveryTime: number;
  lastTime: number;
  /** The last point of every finished New York day (time, equity): the long-term history. */
  readonly closeTimes: number[];
  readonly closeValues: number[];
  /** Every point of the current New York day, since its first bar. */
  readonly todayTimes: number[];
  readonly todayValues: number[];
}

/**
 * Adds one point to the running figures. A new New York day closes the previous one: its last
 * equity against the day before's gives a daily return. Equity at or above the running peak is a
 * new peak (and, after the worst fall, its recovery); below it, a fall deeper than any before is
 * the new worst drawdown.
 */
function step(r: Running, t: number, e: number, exposed: boolean): void {
  if (t >= r.dayEnd) {
    if (r.points > 0) {
      r.returns.push(r.close / r.previousClose - 1);
      r.previousClose = r.close;
      r.closeTimes.push(r.lastTime);
      r.closeValues.push(r.close);
    }
    r.dayEnd = nyNextMidnight(t);
    r.todayTimes.length = 0;
    r.todayValues.length = 0;
  }
  r.todayTimes.push(t);
  r.todayValues.push(e);
  r.close = e;
  if (exposed) r.exposedPoints++;
  if (r.points === 0) r.peakTime = t;
  if (e >= r.peak) {
    if (r.depth > 0 && Number.isNaN(r.recoveryTime)) r.recoveryTime = t;
    r.peak = e;
    r.peakTime = t;
  } else {
    const d = r.peak > 0 ? (r.peak - e) / r.peak : 0;
    if (d > r.depth) {
      r.depth = d;
      r.worstPeakTime = r.peakTime;
      r.troughTime = t;
      r.recoveryTime = Number.NaN;
    }
  }
  r.lastTime = t;
  r.points++;
}

const orNull = (t: number): number | null => (Number.isNaN(t) ? null : t);
const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** Everything a curve holds, for the state file (null: none yet). */
export interface CurveData {
  readonly pending: { readonly time: number; readonly equity: number; readonly exposed: boolean } | null;
  readonly points: number;
  readonly exposedPoints: number;
  readonly returns: readonly number[];
  readonly previousClose: number;
  readonly close: number;
  readonly dayEnd: number | null;
  readonly peak: number;
  readonly peakTime: number | null;
  readonly depth: number;
  readonly worstPeakTime: number | null;
  readonly troughTime: number | null;
  readonly recoveryTime: number | null;
  readonly lastTime: number | null;
  readonly stride: number;
  readonly closeTimes: readonly number[];
  readonly closeValues: readonly number[];
  readonly todayTimes: readonly number[];
  readonly todayValues: readonly number[];
  /** The thinned sample as two parallel arrays (compact in JSON). */
  readonly sampleTimes: readonly number[];
  readonly sampleValues: readonly number[];
}

/**
 * Equity over time, summarized as it grows: daily returns, the worst drawdown and the exposure are
 * exact over every point, while the points themselves are kept as an evenly thinned sample of at
 * most `maxSamples` (for charts). Memory stays bounded over months of minute bars and a point costs
 * no allocation. A point at the same time as the last one replaces it (several symbols' bars share
 * a timestamp), so the newest point is held back until time moves on.
 */
export class EquityCurve {
  readonly startingEquity: number;
  // The newest point, not yet committed (it may still be replaced).
  #pending = false;
  #pTime = 0;
  #pEquity = 0;
  #pExposed = false;
  readonly #run: Running;
  // The thinned sample: committed point k is kept when k is a multiple of the stride.
  readonly #sTimes: Float64Array;
  readonly #sValues: Float64Array;
  #samples = 0;
  #stride = 1;

  constructor(startingEquity: number, maxSamples = DEFAULT_SAMPLES) {
    if (!Number.isFinite(startingEquity)) throw new RangeError(`starting equity must be finite, got ${startingEquity}`);
    if (!(Number.isInteger(maxSamples) && maxSamples >= 2)) throw new RangeError(`maxSamples must be an integer ≥ 2, got ${maxSamples}`);
    this.startingEquity = startingEquity;
    this.#run = {
      points: 0,
      exposedPoints: 0,
      returns: [],
      previousClose: startingEquity,
      close: startingEquity,
      dayEnd: Number.NEGATIVE_INFINITY,
      peak: startingEquity,
      peakTime: Number.NaN,
      depth: 0,
      worstPeakTime: Number.NaN,
      troughTime: Number.NaN,
      recoveryTime: Number.NaN,
      lastTime: Number.NaN,
      closeTimes: [],
      closeValues: [],
      todayTimes: [],
      todayValues: [],
    };
    this.#sTimes = new Float64Array(maxSamples);
    this.#sValues = new Float64Array(maxSamples);
  }

  /** Points pushed, counting a replaced point once. */
  get length(): number {
    return this.#run.points + (this.#pending ? 1 : 0);
  }

  /** The newest equity (the starting equity before any point). */
  get lastEquity(): number {
    return this.#pending ? this.#pEquity : this.#run.close;
  }

  push(time: number, equity: number, exposed: boolean): void {
    if (this.#pending && time !== this.#pTime) this.#commit();
    this.#pending = true;
    this.#pTime = time;
    this.#pEquity = equity;
    this.#pExposed = exposed;
  }

  /** The exact figures over every point, the newest included. */
  summary(): CurveSummary {
    // The held-back point is applied to a copy: the curve itself does not change.
    const run = this.#run;
    const r: Running = { ...run, returns: run.returns.slice(), closeTimes: [], closeValues: [], todayTimes: [], todayValues: [] };
    if (this.#pending) step(r, this.#pTime, this.#pEquity, this.#pExposed);
    if (r.points > 0) r.returns.push(r.close / r.previousClose - 1);
    const worst = orNull(r.worstPeakTime);
    const recovery = orNull(r.recoveryTime);
    const end = recovery ?? (r.points > 0 ? r.lastTime : 0);
    return {
      startingEquity: this.startingEquity,
      finalEquity: r.close,
      returns: r.returns,
      drawdown: { depth: r.depth, peakTime: worst, troughTime: orNull(r.troughTime), recoveryTime: recovery, durationMs: worst === null ? 0 : end - worst },
      points: r.points,
      exposedPoints: r.exposedPoints,
    };
  }

  toData(): CurveData {
    const r = this.#run;
    return {
      pending: this.#pending ? { time: this.#pTime, equity: this.#pEquity, exposed: this.#pExposed } : null,
      points: r.points,
      exposedPoints: r.exposedPoints,
      returns: [...r.returns],
      previousClose: r.previousClose,
      close: r.close,
      dayEnd: finiteOrNull(r.dayEnd),
      peak: r.peak,
      peakTime: orNull(r.peakTime),
      depth: r.depth,
      worstPeakTime: orNull(r.worstPeakTime),
      troughTime: orNull(r.troughTime),
      recoveryTime: orNull(r.recoveryTime),
      lastTime: orNull(r.lastTime),
      stride: this.#stride,
      closeTimes: [...r.closeTimes],
      closeValues: [...r.closeValues],
      todayTimes: [...r.todayTimes],
      todayValues: [...r.todayValues],
      sampleTimes: Array.from(this.#sTimes.subarray(0, this.#samples)),
      sampleValues: Array.from(this.#sValues.subarray(0, this.#samples)),
    };
  }

  /** Puts the curve back as `toData` saw it. */
  restore(d: CurveData): void {
    const n = d.sampleTimes.length;
    if (n > this.#sTimes.length || d.sampleValues.length !== n) throw new RangeError(`${n} samples (${d.sampleValues.length} values) do not fit in ${this.#sTimes.length}`);
    const r = this.#run;
    r.points = d.points;
    r.exposedPoints = d.exposedPoints;
    r.returns.length = 0;
    r.returns.push(...d.returns);
    r.previousClose = d.previousClose;
    r.close = d.close;
    r.dayEnd = d.dayEnd ?? Number.NEGATIVE_INFINITY;
    r.peak = d.peak;
    r.peakTime = d.peakTime ?? Number.NaN;
    r.depth = d.depth;
    r.worstPeakTime = d.worstPeakTime ?? Number.NaN;
    r.troughTime = d.troughTime ?? Number.NaN;
    r.recoveryTime = d.recoveryTime ?? Number.NaN;
    r.lastTime = d.lastTime ?? Number.NaN;
    this.#stride = d.stride;
    if (d.closeTimes.length !== d.closeValues.length || d.todayTimes.length !== d.todayValues.length) throw new RangeError('equity history arrays differ in length');
    for (const [to, from] of [
      [r.closeTimes, d.closeTimes],
      [r.closeValues, d.closeValues],
      [r.todayTimes, d.todayTimes],
      [r.todayValues, d.todayValues],
    ] as const) {
      to.length = 0;
      to.push(...from);
    }
    this.#samples = n;
    this.#sTimes.set(d.sampleTimes);
    this.#sValues.set(d.sampleValues);
    this.#pending = d.pending !== null;
    this.#pTime = d.pending?.time ?? 0;
    this.#pEquity = d.pending?.equity ?? 0;
    this.#pExposed = d.pending?.exposed ?? false;
  }

  /**
   * The curve's history at two resolutions: the close of every finished New York day, and every
   * point of the current day (the newest included).
   */
  history(): { dailyCloses: EquityPoint[]; today: EquityPoint[] } {
    const r = this.#run;
    const dailyCloses = r.closeTimes.map((time, i) => ({ time, equity: r.closeValues[i]! }));
    const today = r.todayTimes.map((time, i) => ({ time, equity: r.todayValues[i]! }));
    if (this.#pending) {
      // The held-back point opens a new day or joins today's.
      if (this.#pTime >= r.dayEnd && r.points > 0) {
        dailyCloses.push({ time: r.lastTime, equity: r.close });
        today.length = 0;
      }
      today.push({ time: this.#pTime, equity: this.#pEquity });
    }
    return { dailyCloses, today };
  }

  /** The thinned points in time order, always ending with the newest point. */
  samples(): EquityPoint[] {
    const out: EquityPoint[] = [];
    for (let i = 0; i < this.#samples; i++) out.push({ time: this.#sTimes[i]!, equity: this.#sValues[i]! });
    const lastSampled = this.#samples > 0 ? this.#sTimes[this.#samples - 1]! : Number.NaN;
    if (this.#pending) out.push({ time: this.#pTime, equity: this.#pEquity });
    else if (this.#run.points > 0 && this.#run.lastTime !== lastSampled) out.push({ time: this.#run.lastTime, equity: this.#run.close });
    return out;
  }

  #commit(): void {
    const k = this.#run.points;
    step(this.#run, this.#pTime, this.#pEquity, this.#pExposed);
    if (k % this.#stride === 0) this.#sample(k, this.#pTime, this.#pEquity);
    this.#pending = false;
  }

  /** Keeps committed point `k` (a multiple of the stride) in the sample, thinning it when full. */
  #sample(k: number, t: number, e: number): void {
    if (this.#samples === this.#sTimes.length) {
      // Full: keep every other sample (points 0, 2·stride, 4·stride …) and sample half as often.
      const kept = Math.ceil(this.#samples / 2);
      for (let i = 1; i < kept; i++) {
        this.#sTimes[i] = this.#sTimes[2 * i]!;
        this.#sValues[i] = this.#sValues[2 * i]!;
      }
      this.#samples = kept;
      this.#stride *= 2;
      if (k % this.#stride !== 0) return;
    }
    this.#sTimes[this.#samples] = t;
    this.#sValues[this.#samples] = e;
    this.#samples++;
  }
}
