import type { Bar } from '../core/Bar.js';
import type { Clock, TimerHandle } from '../core/Clock.js';

/** Bars of one timestamp, in symbol order: what a live feed delivers at one instant. */
export interface BarBatch {
  readonly time: number;
  readonly bars: readonly Bar[];
}

/** Groups time-ordered bars into batches by timestamp. */
export function batchByTime(bars: readonly Bar[]): BarBatch[] {
  const out: BarBatch[] = [];
  let current: Bar[] = [];
  let time = Number.NaN;
  for (const bar of bars) {
    if (bar.time !== time) {
      if (current.length > 0) out.push({ time, bars: current });
      current = [];
      time = bar.time;
    }
    current.push(bar);
  }
  if (current.length > 0) out.push({ time, bars: current });
  return out;
}

/**
 * Replays batches at a fixed pace on a clock: one batch every `intervalMs` (the bar duration divided
 * by the speed). Offline paper trading uses it on the wall clock; a backtest does not pace at all.
 */
export class ReplayFeed {
  readonly #batches: readonly BarBatch[];
  readonly #clock: Clock;
  readonly #intervalMs: number;
  #next = 0;
  #timer: TimerHandle | null = null;

  constructor(batches: readonly BarBatch[], clock: Clock, intervalMs: number) {
    this.#batches = batches;
    this.#clock = clock;
    this.#intervalMs = Math.max(0, intervalMs);
  }

  get delivered(): number {
    return this.#next;
  }

  get total(): number {
    return this.#batches.length;
  }

  start(onBatch: (batch: BarBatch) => void, onEnd: () => void): void {
    if (this.#timer !== null) return;
    const tick = (): void => {
      const batch = this.#batches[this.#next];
      if (batch === undefined) {
        this.#timer = null;
        onEnd();
        return;
      }
      this.#next++;
      this.#timer = this.#clock.setTimeout(tick, this.#intervalMs);
      onBatch(batch);
    };
    this.#timer = this.#clock.setTimeout(tick, 0);
  }

  stop(): void {
    this.#timer?.cancel();
    this.#timer = null;
  }
}
