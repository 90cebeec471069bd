import { NEW_YORK, zoneOffset } from './zonedTime.js';

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * An instant as people on the US market read it: New York time, `2019-02-12 10:27 ET` (with
 * `seconds`: `2019-02-12 10:27:05 ET`). ET is EST or EDT, whichever is in force on that day.
 */
export function formatEt(ms: number, seconds = false): string {
  const t = new Date(ms + zoneOffset(ms, NEW_YORK));
  const hm = `${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}${seconds ? `:${pad(t.getUTCSeconds())}` : ''}`;
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())} ${hm} ET`;
}
