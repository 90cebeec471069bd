import type { Clock, TimerHandle } from './Clock.js';

interface Timer {
  readonly id: number;
  at: number;
  readonly every: number | null;
  readonly fn: () => void;
  cancelled: boolean;
}

/**
 * Simulated time: it moves only when `advanceTo` is called (a backtest moves it to each bar's time),
 * and fires due timers in time order, ties in creation order, so a run is repeatable bit for bit.
 */
export class SimClock implements Clock {
  #now: number;
  #nextId = 0;
  #timers: Timer[] = [];

  constructor(start = 0) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    return this.#add(fn, ms, null);
  }

  setInterval(fn: () => void, ms: number): TimerHandle {
    if (!(ms > 0)) throw new RangeError(`interval must be positive, got ${ms}`);
    return this.#add(fn, ms, ms);
  }

  /** Moves time forward to `time`, firing every timer due on the way. Time never goes back. */
  advanceTo(time: number): void {
    if (time < this.#now) return;
    for (;;) {
      const due = this.#nextDue(time);
      if (due === undefined) break;
      this.#now = due.at;
      if (due.every === null) {
        due.cancelled = true;
        this.#timers = this.#timers.filter((t) => t !== due);
      } else {
        due.at += due.every;
      }
      due.fn();
    }
    this.#now = time;
  }

  #nextDue(limit: number): Timer | undefined {
    let best: Timer | undefined;
    for (const t of this.#timers) {
      if (t.cancelled || t.at > limit) continue;
      if (best === undefined || t.at < best.at || (t.at === best.at && t.id < best.id)) best = t;
    }
    return best;
  }

  #add(fn: () => void, ms: number, every: number | null): TimerHandle {
    const timer: Timer = { id: this.#nextId++, at: this.#now + Math.max(0, ms), every, fn, cancelled: false };
    this.#timers.push(timer);
    return {
      cancel: () => {
        timer.cancelled = true;
        this.#timers = this.#timers.filter((t) => t !== timer);
      },
    };
  }
}
