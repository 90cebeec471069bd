import { BarTape } from '../market-data/BarTape.js';

/**
 * A tape's columns in memory that every worker thread sees (SharedArrayBuffer): loaded once,
 * posted to each worker without a copy, read by every combination.
 */
export interface SharedTape {
  readonly symbols: readonly string[];
  readonly length: number;
  readonly time: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
  readonly symbolIndex: Uint16Array | null;
}

const sharedF64 = (src: Float64Array, n: number): Float64Array => {
  const a = new Float64Array(new SharedArrayBuffer(Math.max(1, n) * Float64Array.BYTES_PER_ELEMENT));
  a.set(src.subarray(0, n));
  return a;
};

/** Copies a tape's bars into shared memory (once per sweep). */
export function shareTape(tape: BarTape): SharedTape {
  const n = tape.length;
  let symbolIndex: Uint16Array | null = null;
  if (tape.symbolIndex !== null) {
    symbolIndex = new Uint16Array(new SharedArrayBuffer(Math.max(1, n) * Uint16Array.BYTES_PER_ELEMENT));
    symbolIndex.set(tape.symbolIndex.subarray(0, n));
  }
  return {
    symbols: [...tape.symbols],
    length: n,
    time: sharedF64(tape.time, n),
    open: sharedF64(tape.open, n),
    high: sharedF64(tape.high, n),
    low: sharedF64(tape.low, n),
    close: sharedF64(tape.close, n),
    volume: sharedF64(tape.volume, n),
    symbolIndex,
  };
}

/** Bars `lo` … `hi − 1` of a shared tape as a BarTape over the same memory (nothing copied). */
export function tapeView(s: SharedTape, lo: number, hi: number): BarTape {
  const tape = new BarTape(s.symbols, 0);
  tape.time = s.time.subarray(lo, hi);
  tape.open = s.open.subarray(lo, hi);
  tape.high = s.high.subarray(lo, hi);
  tape.low = s.low.subarray(lo, hi);
  tape.close = s.close.subarray(lo, hi);
  tape.volume = s.volume.subarray(lo, hi);
  tape.symbolIndex = s.symbolIndex === null ? null : s.symbolIndex.subarray(lo, hi);
  tape.length = hi - lo;
  return tape;
}
