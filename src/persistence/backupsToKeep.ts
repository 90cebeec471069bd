import { nyDayNumber } from '../market-data/zonedTime.js';

/** How many backups are kept: the newest `newest`, and the newest of each New York day for `days` days. */
export interface BackupRetention {
  readonly newest: number;
  readonly days: number;
}

/** `portfolio_state_20261125T125900123Z.json.gz` (a second one in the same millisecond: `…Z_1.json.gz`). */
const STAMP = /^portfolio_state_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z/;

/** The time a backup was written, from its name; NaN for a name that is not a backup's. */
export function backupTime(name: string): number {
  const m = STAMP.exec(name);
  if (m === null) return Number.NaN;
  const [y, mo, d, h, mi, s, ms] = m.slice(1).map(Number) as [number, number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s, ms);
}

/**
 * The backups that stay, of `names` (oldest first, as they sort): the newest `newest` ones, and the
 * last one of each New York calendar day among the `days` days that end with the newest backup's
 * day (today included; counted back from the newest backup, not the clock, so a daemon stopped for
 * a week keeps the month before it stopped). After a long weekend the backups of Friday's close,
 * Saturday, Sunday and Monday are all still there, and a month back one a day.
 */
export function backupsToKeep(names: readonly string[], r: BackupRetention): Set<string> {
  const keep = new Set(names.slice(Math.max(0, names.length - r.newest)));
  if (names.length === 0 || r.days === 0) return keep;
  const lastDay = nyDayNumber(backupTime(names[names.length - 1]!));
  const seen = new Set<number>();
  for (let i = names.length - 1; i >= 0; i--) {
    const day = nyDayNumber(backupTime(names[i]!));
    if (day <= lastDay - r.days) break;
    if (seen.has(day)) continue;
    seen.add(day);
    keep.add(names[i]!);
  }
  return keep;
}
