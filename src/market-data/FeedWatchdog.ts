import type { Clock, TimerHandle } from '../core/Clock.js';
import type { MarketCalendar } from '../risk/calendar/MarketCalendar.js';
import { nyDateOf } from './zonedTime.js';

export interface FeedWatchdogOptions {
  readonly calendar: MarketCalendar;
  /** Market time (the venue's clock). */
  readonly venueNow: () => number;
  /** Wall-clock time and the check timer. */
  readonly wall: Clock;
  /** Market milliseconds without a live bar, during the regular session, that make the feed silent. */
  readonly silenceMs: number;
  /**
   * The feed went silent (`first`), or is still silent another `silenceMs` later; `since` is when it
   * was last heard (or the session opened, when later).
   */
  readonly onSilent: (since: number, first: boolean) => void;
  /** A live bar again after a silence that began at `since`. */
  readonly onBack: (since: number) => void;
}

/**
 * Notices a feed that stays connected but sends nothing: no live bar for `silenceMs` while the
 * market is open. Measured in market time (against the emulator at 600× a market minute is 0.1 s),
 * and never before a couple of wall seconds passed too, so a busy event loop is not a silence.
 * Outside the session nothing is expected, so nothing is silent.
 */
export class FeedWatchdog {
  /** Wall milliseconds of quiet needed as well, whatever the venue's speed. */
  static readonly MIN_WALL_MS = 2_000;
  readonly #o: FeedWatchdogOptions;
  #heardVenue: number;
  #heardWall: number;
  /** The session whose open was last seen, and the wall time it was first seen open. */
  #session: string | null = null;
  #openSeenWall = 0;
  /** When the current silence began (market time), null while bars come. */
  #silentSince: number | null = null;
  #timer: TimerHandle | null = null;
  /** The connection is down: that is an outage (reconnection and backfill handle it), not a silence. */
  #suspended = false;

  constructor(o: FeedWatchdogOptions) {
    this.#o = o;
    this.#heardVenue = o.venueNow();
    this.#heardWall = o.wall.now();
    // Started during a session: it counts from now (the start's catch-up came over REST).
    const session = o.calendar.session(nyDateOf(this.#heardVenue));
    if (session !== null && this.#heardVenue >= session.open && this.#heardVenue < session.close) {
      this.#session = session.date;
      this.#openSeenWall = this.#heardWall;
    }
  }

  get silent(): boolean {
    return this.#silentSince !== null;
  }

  start(checkEveryMs = 1_000): void {
    this.#timer ??= this.#o.wall.setInterval(() => this.check(), checkEveryMs);
  }

  stop(): void {
    this.#timer?.cancel();
    this.#timer = null;
  }

  /** The connection went down: no silence is counted until it is back. */
  suspend(): void {
    this.#suspended = true;
  }

  /** The connection is back: the quiet is counted from now. */
  resume(): void {
    this.#suspended = false;
    this.#heardVenue = this.#o.venueNow();
    this.#heardWall = this.#o.wall.now();
  }

  /** A live bar arrived. */
  heard(): void {
    this.#heardVenue = this.#o.venueNow();
    this.#heardWall = this.#o.wall.now();
    const since = this.#silentSince;
    if (since === null) return;
    this.#silentSince = null;
    this.#o.onBack(since);
  }

  check(): void {
    if (this.#suspended) return;
    const now = this.#o.venueNow();
    const wall = this.#o.wall.now();
    const session = this.#o.calendar.session(nyDateOf(now));
    if (session === null || now < session.open || now >= session.close) return;
    if (this.#session !== session.date) {
      this.#session = session.date;
      this.#openSeenWall = wall;
    }
    const quietSince = Math.max(this.#heardVenue, session.open);
    const wallQuiet = wall - Math.max(this.#heardWall, this.#openSeenWall);
    if (now - quietSince < this.#o.silenceMs || wallQuiet < Math.min(this.#o.silenceMs, FeedWatchdog.MIN_WALL_MS)) return;
    const first = this.#silentSince === null;
    this.#silentSince ??= quietSince;
    // Measured again from now: the next nudge comes another silence later.
    this.#heardVenue = now;
    this.#heardWall = wall;
    this.#o.onSilent(this.#silentSince, first);
  }
}
