/** What a request's rate-limit headers say, and whether it may proceed. */
export interface RateLimitState {
  readonly allowed: boolean;
  readonly limit: number;
  readonly remaining: number;
  /** Unix seconds at which the window resets. */
  readonly reset: number;
}

/**
 * Alpaca's 200 requests a minute per account (trading and market data counted apart): a window of
 * 60 s that starts with its first request. Over the limit, requests get 429 until the window resets.
 */
export class RateLimiter {
  readonly #limit: number;
  readonly #windows = new Map<string, { start: number; used: number }>();

  constructor(limit: number) {
    this.#limit = limit;
  }

  take(key: string, now: number): RateLimitState {
    let w = this.#windows.get(key);
    if (w === undefined || now >= w.start + 60_000) {
      w = { start: now, used: 0 };
      this.#windows.set(key, w);
    }
    const allowed = w.used < this.#limit;
    if (allowed) w.used++;
    return { allowed, limit: this.#limit, remaining: this.#limit - w.used, reset: Math.ceil((w.start + 60_000) / 1000) };
  }
}
