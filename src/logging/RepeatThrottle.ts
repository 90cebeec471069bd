import type { Clock, TimerHandle } from '../core/Clock.js';

/** Says how many repeats of one kind were held back in a window, and how long the window was. */
export type RepeatReport = (count: number, windowMs: number) => void;

/**
 * Collapses a repeated message (a failing poll, an unreachable server) into two lines a window:
 * the first occurrence of a kind is said at once; the repeats within `windowMs` are only counted,
 * and said once, as a count, when the window ends ("… (×37 in the last 5 min)"). A window that
 * ended with repeats opens the next one, so an outage that goes on says one count a window; a
 * window with no repeat closes quietly and the next occurrence is said at once again. Windows run
 * on the injected clock.
 */
export class RepeatThrottle {
  readonly #clock: Clock;
  readonly #windowMs: number;
  readonly #open = new Map<string, { count: number; report: RepeatReport; timer: TimerHandle }>();

  constructor(clock: Clock, windowMs: number) {
    if (!(windowMs > 0)) throw new RangeError(`windowMs must be positive, got ${windowMs}`);
    this.#clock = clock;
    this.#windowMs = windowMs;
  }

  /**
   * One occurrence of `key`: true when it is to be said now (the first of its window), false when
   * it was counted. `report` (the newest one given) says the count when the window ends.
   */
  admit(key: string, report: RepeatReport): boolean {
    const open = this.#open.get(key);
    if (open !== undefined) {
      open.count++;
      open.report = report;
      return false;
    }
    this.#openWindow(key, 0, report);
    return true;
  }

  /** The trouble of `key` is over (the caller says so itself): its held-back count is dropped, and the next occurrence is said at once. */
  forget(key: string): void {
    this.#open.get(key)?.timer.cancel();
    this.#open.delete(key);
  }

  /** Says every held-back count now and closes all windows (at a stop). */
  flush(): void {
    for (const [key, o] of [...this.#open]) {
      o.timer.cancel();
      this.#open.delete(key);
      if (o.count > 0) o.report(o.count, this.#windowMs);
    }
  }

  #openWindow(key: string, count: number, report: RepeatReport): void {
    const timer = this.#clock.setTimeout(() => this.#close(key), this.#windowMs);
    this.#open.set(key, { count, report, timer });
  }

  #close(key: string): void {
    const o = this.#open.get(key);
    this.#open.delete(key);
    if (o === undefined || o.count === 0) return;
    this.#openWindow(key, 0, o.report);
    o.report(o.count, this.#windowMs);
  }
}

/** `×37 in the last 5 min` (the window in whole minutes, or seconds below one). */
export function repeatsText(count: number, windowMs: number): string {
  const span = windowMs >= 60_000 ? `${Math.round(windowMs / 60_000)} min` : `${Math.round(windowMs / 1000)} s`;
  return `×${count} in the last ${span}`;
}
