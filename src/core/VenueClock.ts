import type { Clock, TimerHandle } from './Clock.js';

/**
 * The broker's time, as the daemon last heard it (a bar's end, the venue's clock), moving on with
 * the wall clock in between. Against Alpaca it is the wall clock give or take the network; against
 * the emulator replaying 2019 at 60×, it is the emulator's market time. It never runs backwards.
 * Timers are wall-clock timers.
 */
export class VenueClock implements Clock {
  readonly #wall: Clock;
  #venue: number;
  #at: number;

  constructor(wall: Clock, venueNow: number) {
    this.#wall = wall;
    this.#venue = venueNow;
    this.#at = wall.now();
  }

  now(): number {
    return this.#venue + (this.#wall.now() - this.#at);
  }

  /** The venue says it is `venueTime` (or later): the clock moves there if that is ahead. */
  sync(venueTime: number): void {
    if (venueTime <= this.now()) return;
    this.#venue = venueTime;
    this.#at = this.#wall.now();
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    return this.#wall.setTimeout(fn, ms);
  }

  setInterval(fn: () => void, ms: number): TimerHandle {
    return this.#wall.setInterval(fn, ms);
  }
}
