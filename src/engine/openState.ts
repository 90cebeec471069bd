import type { Logger } from 'pino';
import { ConfigError } from '../core/errors.js';
import type { LoadedSnapshot, SnapshotStore } from '../persistence/SnapshotStore.js';

/**
 * The state a start continues from. With `--restore`: the newest valid snapshot of this mode, or null
 * (nothing usable: a fresh start, the unusable files kept in archive/). Without: earlier state files
 * move to archive/ and the start is fresh.
 */
export function openState(store: SnapshotStore, restore: boolean, mode: 'sim' | 'alpaca', now: number, log: Logger): LoadedSnapshot | null {
  if (!restore) {
    const archived = store.archive(now);
    if (archived !== null) log.warn({ archive: archived }, `earlier state files moved to ${archived} (start with --restore to continue from them)`);
    return null;
  }
  const loaded = store.loadNewest((w) => log.warn({ skipped: w }, `skipped a state file: ${w}`));
  if (loaded === null) {
    const archived = store.archive(now);
    log.warn({ dir: store.dir, archive: archived }, `--restore: no state file in ${store.dir} can be restored; starting fresh${archived === null ? '' : ` (the files are kept in ${archived})`}`);
    return null;
  }
  if (loaded.snapshot.mode !== mode) {
    throw new ConfigError(`${loaded.file}: saved by the ${loaded.snapshot.mode} mode, cannot be restored in ${mode} mode (use another state.dir)`);
  }
  return loaded;
}
