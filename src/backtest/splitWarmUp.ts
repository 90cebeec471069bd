import type { Bar } from '../core/Bar.js';
import { CliError } from '../core/errors.js';
import type { BarTape } from '../market-data/BarTape.js';
import { dayStarts } from '../market-data/dayStarts.js';
import { nyDateOf } from '../market-data/zonedTime.js';

/** The warm-up cut off a tape: its bars as objects, and the New York dates they span. */
export interface WarmUp {
  readonly bars: Bar[];
  readonly days: number;
  readonly from: string;
  readonly to: string;
}

/**
 * `--warm-up-days N --from DATE`: the bars of the N trading days (New York days with bars) right
 * before DATE become a warm-up (indicators only, as the daemon's warm-up on history), and the tape
 * keeps the bars from DATE on. A walk-forward's test window is this, with its training window as
 * the warm-up.
 */
export function splitWarmUp(tape: BarTape, from: string, days: number): WarmUp {
  const starts = dayStarts(tape.time, tape.length);
  const count = starts.length - 1;
  let k = 0;
  while (k < count && nyDateOf(tape.time[starts[k]!]!) < from) k++;
  if (k === count) throw new CliError(`no bars between ${from} and the end of the data`);
  if (k < days) throw new CliError(`--warm-up-days ${days}: the data has ${k} trading day${k === 1 ? '' : 's'} before ${from}`);
  const lo = starts[k - days]!;
  const at = starts[k]!;
  const bars = new Array<Bar>(at - lo);
  for (let i = lo; i < at; i++) bars[i - lo] = tape.bar(i);
  const first = tape.time[at]!;
  tape.retain((t) => t >= first);
  return { bars, days, from: nyDateOf(bars[0]!.time), to: nyDateOf(bars.at(-1)!.time) };
}
