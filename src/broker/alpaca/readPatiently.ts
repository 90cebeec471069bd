import { errors } from '@alpacahq/alpaca-trade-api';
import type { Logger } from 'pino';

/** Tries of a read before its error is the caller's: ~15 s of back-off (plus any 429 hold). */
export const READ_ATTEMPTS = 6;

export interface Patience {
  /** Waits `ms` (the daemon's clock). */
  readonly sleep: (ms: number) => Promise<void>;
  readonly log: Logger;
  /** Alpaca said 429: told how long until its reset (a request budget holds every request that long). */
  readonly onRateLimit?: (ms: number) => void;
  /** Gives up at once (the daemon is stopping). */
  readonly stopped?: () => boolean;
}

/**
 * A read (a GET: asking again changes nothing) that waits out a 429 (until Alpaca's reset), a 5xx
 * or a cut connection, up to READ_ATTEMPTS tries, then throws the last error. A restart in a burst
 * of restarts, or during a blip at Alpaca, reads a moment later instead of failing the start; a
 * 4xx (bad keys, a bad request) is thrown at once.
 */
export async function readPatiently<T>(read: () => Promise<T>, p: Patience): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      const limited = error instanceof errors.RateLimitError;
      const transient = limited || !(error instanceof errors.ApiError) || error.status >= 500;
      if (!transient || attempt >= READ_ATTEMPTS || p.stopped?.() === true) throw error;
      const backoff = Math.min(8_000, 500 * 2 ** (attempt - 1));
      // After a 429, nothing before Alpaca's reset.
      const reset = limited ? (error.retryAfterMs ?? 1000) : 0;
      if (limited) p.onRateLimit?.(reset);
      p.log.warn({ err: error, attempt }, `a read from Alpaca failed (${error instanceof Error ? error.message : String(error)}); trying again`);
      await p.sleep(Math.max(reset, backoff));
    }
  }
}
