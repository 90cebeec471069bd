import type { Bar } from '../../core/Bar.js';
import type { Quote } from '../../core/Quote.js';
import type { Trade } from './MarketEvent.js';
import { LATE_REPORT_DELAY, minuteTape, type TapeOptions } from './minuteTape.js';
import { firstBarAt } from '../../core/firstBarAt.js';

const MINUTE = 60_000;

/** Where a page of ticks resumes: the first tick at or after (before, descending) this one. */
export interface TickKey {
  readonly time: number;
  readonly id: number;
}

export interface TickRange {
  readonly start: number;
  readonly end: number;
  /** Ticks reported after this moment are not known yet. */
  readonly now: number;
  readonly desc: boolean;
  readonly from?: TickKey | undefined;
}

/** A print and the moment it was reported (a late print after its minute, every other one when made). */
const reportedAt = (t: Trade, minute: Bar): number => (t.time >= minute.time + MINUTE - 1 ? minute.time + MINUTE + LATE_REPORT_DELAY : t.time);

/**
 * The historical trades of one symbol in [start, end] known at `now`, oldest first (or newest first):
 * the prints the replay put on the tape (and will put: the same tape), late prints included once
 * reported. Generated minute by minute as they are read, so long ranges cost only what is read.
 */
export function* tradesIn(bars: readonly Bar[], tape: TapeOptions, r: TickRange): Generator<Trade> {
  for (const minute of minutesIn(bars, r)) {
    const t = minuteTape(minute, tape);
    const all = t.late === null ? [...t.prints] : [...t.prints, t.late];
    if (r.desc) all.reverse();
    for (const x of all) {
      if (x.time < r.start || x.time > r.end || reportedAt(x, minute) > r.now) continue;
      if (r.from !== undefined && !after(x.time, x.id, r.from, r.desc)) continue;
      yield x;
    }
  }
}

/** The historical quotes (NBBO changes) of one symbol in [start, end] known at `now`; `id` is always 0. */
export function* quotesIn(bars: readonly Bar[], tape: TapeOptions, r: TickRange): Generator<Quote> {
  for (const minute of minutesIn(bars, r)) {
    const all = [...minuteTape(minute, tape).quotes];
    if (r.desc) all.reverse();
    for (const q of all) {
      if (q.time < r.start || q.time > r.end || q.time > r.now) continue;
      if (r.from !== undefined && !after(q.time, 0, r.from, r.desc)) continue;
      yield q;
    }
  }
}

/** At or past the resume key, in the direction read. */
function after(time: number, id: number, from: TickKey, desc: boolean): boolean {
  if (desc) return time < from.time || (time === from.time && id <= from.id);
  return time > from.time || (time === from.time && id >= from.id);
}

/** The minutes whose ticks can fall in the range, in the direction read. */
function* minutesIn(bars: readonly Bar[], r: TickRange): Generator<Bar> {
  const lo = r.desc ? r.start : Math.max(r.start, r.from?.time ?? r.start);
  const hi = Math.min(r.end, r.now, r.desc ? (r.from?.time ?? r.end) : r.end);
  if (lo > hi) return;
  const first = firstBarAt(bars, lo - MINUTE + 1);
  const last = firstBarAt(bars, hi + 1) - 1;
  if (r.desc) for (let i = last; i >= first; i--) yield bars[i]!;
  else for (let i = first; i <= last; i++) yield bars[i]!;
}
