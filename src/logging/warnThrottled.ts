import type { Logger } from 'pino';
import { repeatsText, type RepeatThrottle } from './RepeatThrottle.js';

/**
 * A warning that may repeat: logged as `first` the first time in its window; the repeats of the
 * window as one line, `again (×37 in the last 5 min)`, when it ends (the fields of the newest one,
 * with `repeats`).
 */
export function warnThrottled(throttle: RepeatThrottle, log: Logger, key: string, fields: Record<string, unknown>, first: string, again: string): void {
  const said = throttle.admit(key, (count, windowMs) => log.warn({ ...fields, repeats: count }, `${again} (${repeatsText(count, windowMs)})`));
  if (said) log.warn(fields, first);
}
