import { CliError } from '../core/errors.js';
import { dayStarts } from '../market-data/dayStarts.js';

/** Bars `lo` … `hi − 1` of a tape, a whole number of New York trading days. */
export interface BarWindow {
  readonly lo: number;
  readonly hi: number;
  readonly days: number;
}

export interface WalkForwardFold {
  readonly train: BarWindow;
  readonly test: BarWindow;
}

/** `--walk-forward 60/20`: trading days to optimise on, then trading days to test the choice on. */
export function parseWalkForward(text: string): { readonly train: number; readonly test: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const train = m === null ? 0 : Number(m[1]);
  const test = m === null ? 0 : Number(m[2]);
  if (train < 1 || test < 1) throw new CliError(`--walk-forward: must be TRAIN/TEST in trading days, both at least 1, e.g. 60/20; got "${text}"`);
  return { train, test };
}

/**
 * The folds of a walk-forward over bars in time order: fold k trains on the `train` trading days
 * from day k·test and tests on the `test` days right after, so the test windows follow each other
 * without overlap and every test day is out of sample. Days that do not fill a last test window are
 * left out.
 */
export function walkForwardFolds(time: Float64Array, length: number, train: number, test: number): WalkForwardFold[] {
  const starts = dayStarts(time, length);
  const days = starts.length - 1;
  if (days < train + test) {
    throw new CliError(`--walk-forward ${train}/${test}: the data has ${days} trading days; it needs at least ${train + test} (one training and one test window)`);
  }
  const folds: WalkForwardFold[] = [];
  for (let k = 0; k * test + train + test <= days; k++) {
    const a = k * test;
    const b = a + train;
    const c = b + test;
    folds.push({ train: { lo: starts[a]!, hi: starts[b]!, days: train }, test: { lo: starts[b]!, hi: starts[c]!, days: test } });
  }
  return folds;
}
