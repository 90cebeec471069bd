import type { Bar } from '../core/Bar.js';

/**
 * Bars in columns (typed arrays): 52 bytes a bar instead of a few hundred for objects, nothing for
 * the garbage collector to walk, so a file of ten million bars loads. Time order (ties in symbol
 * order) once built by the loader or `BarTape.merge`. `bar(i)` makes the i-th bar as an object
 * when a consumer needs one (the backtest makes them one at a time as it replays).
 */
export class BarTape {
  /** Symbols by index (`symbolIndex`); one symbol: all bars are `symbols[0]`. */
  readonly symbols: readonly string[];
  length = 0;
  time: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  /** Index into `symbols` of each bar; null when there is one symbol. */
  symbolIndex: Uint16Array | null;
  /** Line of the file each bar was read from (the loader's, for messages); null once merged. */
  line: Uint32Array | null;

  constructor(symbols: readonly string[], capacity: number, withLines = false) {
    this.symbols = symbols;
    const n = Math.max(16, Math.ceil(capacity));
    this.time = new Float64Array(n);
    this.open = new Float64Array(n);
    this.high = new Float64Array(n);
    this.low = new Float64Array(n);
    this.close = new Float64Array(n);
    this.volume = new Float64Array(n);
    this.symbolIndex = symbols.length > 1 ? new Uint16Array(n) : null;
    this.line = withLines ? new Uint32Array(n) : null;
  }

  get capacity(): number {
    return this.time.length;
  }

  /** Appends a bar (of `symbols[0]`); the caller keeps the order. */
  push(time: number, open: number, high: number, low: number, close: number, volume: number, line: number): void {
    const i = this.length;
    if (i === this.time.length) this.resize(Math.ceil(i * 1.5) + 16);
    this.time[i] = time;
    this.open[i] = open;
    this.high[i] = high;
    this.low[i] = low;
    this.close[i] = close;
    this.volume[i] = volume;
    if (this.line !== null) this.line[i] = line;
    this.length = i + 1;
  }

  /** Appends a bar from `row` = [_, time, open, high, low, close, volume] (the loader's scratch row). */
  pushRow(row: Float64Array, line: number): void {
    const i = this.length;
    if (i === this.time.length) this.resize(Math.ceil(i * 1.5) + 16);
    this.time[i] = row[1]!;
    this.open[i] = row[2]!;
    this.high[i] = row[3]!;
    this.low[i] = row[4]!;
    this.close[i] = row[5]!;
    this.volume[i] = row[6]!;
    if (this.line !== null) this.line[i] = line;
    this.length = i + 1;
  }

  /** The i-th bar as an object. */
  bar(i: number): Bar {
    const s = this.symbolIndex;
    return { symbol: this.symbols[s === null ? 0 : s[i]!]!, time: this.time[i]!, open: this.open[i]!, high: this.high[i]!, low: this.low[i]!, close: this.close[i]!, volume: this.volume[i]! };
  }

  /** Every bar as objects (callers that want an array). */
  toBars(): Bar[] {
    const out = new Array<Bar>(this.length);
    for (let i = 0; i < this.length; i++) out[i] = this.bar(i);
    return out;
  }

  /** Gives the columns exactly `capacity` slots (keeps the first `length` bars): grows, or frees what is unused. */
  resize(capacity: number): void {
    const n = Math.max(capacity, this.length);
    const copy = <T extends Float64Array | Uint16Array | Uint32Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a.subarray(0, this.length));
      return b;
    };
    const f64 = (k: number): Float64Array => new Float64Array(k);
    this.time = copy(this.time, f64);
    this.open = copy(this.open, f64);
    this.high = copy(this.high, f64);
    this.low = copy(this.low, f64);
    this.close = copy(this.close, f64);
    this.volume = copy(this.volume, f64);
    if (this.symbolIndex !== null) this.symbolIndex = copy(this.symbolIndex, (k) => new Uint16Array(k));
    if (this.line !== null) this.line = copy(this.line, (k) => new Uint32Array(k));
  }

  /** Frees the unused slots when they are more than an eighth of the columns. */
  trim(): void {
    if (this.time.length - this.length > this.time.length / 8) this.resize(this.length);
  }

  /** Keeps the bars for which `keep(time)` holds, in order, in place. */
  retain(keep: (time: number) => boolean): void {
    const cols = this.#columns();
    let w = 0;
    for (let r = 0; r < this.length; r++) {
      if (!keep(this.time[r]!)) continue;
      if (w !== r) for (const a of cols) a[w] = a[r]!;
      w++;
    }
    this.length = w;
  }

  /** Reverses the order of the bars (a newest-first file). */
  reverse(): void {
    for (const a of this.#columns()) a.subarray(0, this.length).reverse();
  }

  /**
   * Puts the bars in time order (stable): ascending and descending files take the fast ways; true
   * when they were in no order (a general sort).
   */
  sort(): boolean {
    const n = this.length;
    const t = this.time;
    let ascending = true;
    let descending = true;
    for (let i = 1; i < n && (ascending || descending); i++) {
      if (t[i]! < t[i - 1]!) ascending = false;
      else if (t[i]! > t[i - 1]!) descending = false;
    }
    if (ascending) return false;
    if (descending) {
      this.reverse();
      return false;
    }
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, b) => t[a]! - t[b]! || a - b);
    for (const a of this.#columns()) {
      const copy = a.slice(0, n);
      for (let i = 0; i < n; i++) a[i] = copy[order[i]!]!;
    }
    return true;
  }

  /**
   * One tape of several, in time order and, at the same time, in the order of `symbols` (each tape
   * holds one symbol, in time order).
   */
  static merge(tapes: readonly BarTape[]): BarTape {
    if (tapes.length === 1) return tapes[0]!;
    const ordered = [...tapes].sort((a, b) => (a.symbols[0]! < b.symbols[0]! ? -1 : a.symbols[0]! > b.symbols[0]! ? 1 : 0));
    const total = ordered.reduce((a, t) => a + t.length, 0);
    const out = new BarTape(
      ordered.map((t) => t.symbols[0]!),
      total,
    );
    const at = new Array<number>(ordered.length).fill(0);
    let w = 0;
    while (w < total) {
      // The earliest time among the heads, then every head at that time in symbol order: with
      // symbols that trade the same minutes, each pass moves one bar per symbol.
      let best = Number.POSITIVE_INFINITY;
      for (let j = 0; j < ordered.length; j++) {
        const tape = ordered[j]!;
        const i = at[j]!;
        if (i < tape.length && tape.time[i]! < best) best = tape.time[i]!;
      }
      for (let j = 0; j < ordered.length; j++) {
        const src = ordered[j]!;
        const i = at[j]!;
        if (i >= src.length || src.time[i] !== best) continue;
        at[j] = i + 1;
        out.time[w] = best;
        out.open[w] = src.open[i]!;
        out.high[w] = src.high[i]!;
        out.low[w] = src.low[i]!;
        out.close[w] = src.close[i]!;
        out.volume[w] = src.volume[i]!;
        out.symbolIndex![w] = j;
        w++;
      }
    }
    out.length = total;
    return out;
  }

  #columns(): Array<Float64Array | Uint16Array | Uint32Array> {
    const cols: Array<Float64Array | Uint16Array | Uint32Array> = [this.time, this.open, this.high, this.low, this.close, this.volume];
    if (this.symbolIndex !== null) cols.push(this.symbolIndex);
    if (this.line !== null) cols.push(this.line);
    return cols;
  }
}
