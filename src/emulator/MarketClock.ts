import type { Clock } from '../core/Clock.js';

/**
 * The emulator's market time, driven by a wall clock: real time (speed 1), accelerated (speed N),
 * paused, or moved by hand (step, jump). Rehearsals and drills run a replayed 2019 week in minutes.
 */
export class MarketClock {
  readonly #wall: Pick<Clock, 'now'>;
  #anchorMarket: number;
  #anchorWall: number;
  #speed: number;
  #paused = false;

  constructor(wall: Pick<Clock, 'now'>, start: number, speed: number) {
    MarketClock.#checkSpeed(speed);
    this.#wall = wall;
    this.#anchorMarket = start;
    this.#anchorWall = wall.now();
    this.#speed = speed;
  }

  now(): number {
    if (this.#paused) return this.#anchorMarket;
    return this.#anchorMarket + Math.floor((this.#wall.now() - this.#anchorWall) * this.#speed);
  }

  get speed(): number {
    return this.#speed;
  }

  get paused(): boolean {
    return this.#paused;
  }

  setSpeed(speed: number): void {
    MarketClock.#checkSpeed(speed);
    this.#rebase();
    this.#speed = speed;
  }

  pause(): void {
    this.#rebase();
    this.#paused = true;
  }

  resume(): void {
    this.#rebase();
    this.#paused = false;
  }

  /** Moves market time forward by `ms` (a step while paused, or a clock jump while running). */
  advance(ms: number): void {
    if (!(Number.isFinite(ms) && ms >= 0)) throw new RangeError(`a clock step must be ≥ 0 ms, got ${ms}`);
    this.#rebase();
    this.#anchorMarket += ms;
  }

  /** Sets market time to `ms` (forward only: the market never runs backwards). */
  jumpTo(ms: number): void {
    this.advance(Math.max(0, ms - this.now()));
  }

  #rebase(): void {
    this.#anchorMarket = this.now();
    this.#anchorWall = this.#wall.now();
  }

  static #checkSpeed(speed: number): void {
    if (!(Number.isFinite(speed) && speed > 0)) throw new RangeError(`speed must be > 0, got ${speed}`);
  }
}
