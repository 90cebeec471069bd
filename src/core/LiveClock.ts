import type { Clock, TimerHandle } from './Clock.js';

/** Node runs a timer of more than this many ms (about 24.8 days) at once, with a TimeoutOverflowWarning. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Wall-clock time and real timers. */
export class LiveClock implements Clock {
  now(): number {
    return Date.now();
  }

  /** Any delay is waited in full (`--duration` of a month): a longer one is a chain of timers Node can hold. */
  setTimeout(fn: () => void, ms: number): TimerHandle {
    let t: NodeJS.Timeout;
    const wait = (left: number): void => {
      t = left > MAX_TIMER_MS ? setTimeout(() => wait(left - MAX_TIMER_MS), MAX_TIMER_MS) : setTimeout(fn, left);
    };
    wait(ms);
    return { cancel: () => clearTimeout(t) };
  }

  setInterval(fn: () => void, ms: number): TimerHandle {
    const t = setInterval(fn, ms);
    return { cancel: () => clearInterval(t) };
  }
}
