import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether `given` is the token, in constant time: both are hashed first so that neither their
 * lengths nor their first differing byte show in the time taken.
 */
export function tokenMatches(token: string, given: string | null): boolean {
  if (given === null) return false;
  const a = createHash('sha256').update(token, 'utf8').digest();
  const b = createHash('sha256').update(given, 'utf8').digest();
  return timingSafeEqual(a, b);
}
