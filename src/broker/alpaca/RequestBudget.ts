import type { Clock, TimerHandle } from '../../core/Clock.js';

/** Which requests go first when the budget is short: protecting capital before opening risk before reading. */
export const RequestPriority = { Urgent: 0, Normal: 1, Background: 2 } as const;
export type RequestPriority = (typeof RequestPriority)[keyof typeof RequestPriority];

interface Waiting {
  readonly start: () => void;
}

/**
 * A token bucket under Alpaca's 200 requests a minute: `perMinute` tokens, refilled continuously.
 * Waiting requests leave by priority (cancels and exits before entries, entries before reads), in
 * order within a priority. After a 429, `holdFor` stops everything until Alpaca's reset.
 */
export class RequestBudget {
  readonly #clock: Clock;
  readonly #perMinute: number;
  #tokens: number;
  #refilledAt: number;
  #heldUntil = 0;
  readonly #queues: [Waiting[], Waiting[], Waiting[]] = [[], [], []];
  #timer: TimerHandle | null = null;

  constructor(clock: Clock, perMinute: number) {
    if (!(Number.isFinite(perMinute) && perMinute >= 1)) throw new RangeError(`requests per minute must be ≥ 1, got ${perMinute}`);
    this.#clock = clock;
    this.#perMinute = perMinute;
    this.#tokens = perMinute;
    this.#refilledAt = clock.now();
  }

  /** Runs `fn` once a token is free, in priority order. */
  run<T>(priority: RequestPriority, fn: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queues[priority].push({ start: () => fn().then(resolve, reject) });
      this.#drain();
    });
  }

  /** No request leaves before `ms` from now (Alpaca said 429). */
  holdFor(ms: number): void {
    this.#heldUntil = Math.max(this.#heldUntil, this.#clock.now() + ms);
    this.#drain();
  }

  /** Requests a minute allowed. */
  get perMinute(): number {
    return this.#perMinute;
  }

  /** Whole tokens free now (refilled since the last request), 0 while held after a 429. */
  get available(): number {
    const now = this.#clock.now();
    if (now < this.#heldUntil) return 0;
    return Math.floor(Math.min(this.#perMinute, this.#tokens + ((now - this.#refilledAt) * this.#perMinute) / 60_000));
  }

  /** Requests waiting for a token. */
  get waiting(): number {
    return this.#queues[0].length + this.#queues[1].length + this.#queues[2].length;
  }

  stop(): void {
    this.#timer?.cancel();
    this.#timer = null;
  }

  #drain(): void {
    const now = this.#clock.now();
    this.#tokens = Math.min(this.#perMinute, this.#tokens + ((now - this.#refilledAt) * this.#perMinute) / 60_000);
    this.#refilledAt = now;
    while (now >= this.#heldUntil && this.#tokens >= 1) {
      const next = this.#queues.find((q) => q.length > 0)?.shift();
      if (next === undefined) return;
      this.#tokens -= 1;
      next.start();
    }
    if (this.waiting === 0 || this.#timer !== null) return;
    const wait = Math.max(this.#heldUntil - now, ((1 - this.#tokens) * 60_000) / this.#perMinute, 1);
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = null;
      this.#drain();
    }, Math.ceil(wait));
  }
}
