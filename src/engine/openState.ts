import type { Logger } from 'pino';
import { ConfigError } from '../core/errors.js';
import type { LoadedSnapshot, SnapshotStore } from '../persistence/SnapshotStore.js';

/** The state a start continues from, and what to do with the earlier files once the start has succeeded. */
export interface OpenedState {
  readonly loaded: LoadedSnapshot | null;
  /** Called once the start succeeded: a fresh start moves the earlier files to archive/ only then. */
  commit(): void;
}

/**
 * The state a start continues from. A failed start changes nothing on disk: a fresh start (no
 * `--restore`) archives the earlier files only once it has succeeded (`commit`). With `--restore`:
 * the newest valid snapshot of this mode; when no file can be read the start stops (the files stay
 * where they are: they may be repaired); when there is none at all, it stops too, unless
 * `allowFresh` (`--allow-fresh`, for a service's very first start).
 */
export function openState(store: SnapshotStore, o: { readonly restore: boolean; readonly allowFresh: boolean }, mode: 'sim' | 'alpaca', now: number, log: Logger): OpenedState {
  const fresh = (): OpenedState => ({
    loaded: null,
    commit: () => {
      const archived = store.archive(now);
      if (archived !== null) log.warn({ archive: archived }, `earlier state files moved to ${archived} (start with --restore to continue from them)`);
    },
  });
  if (!o.restore) return fresh();
  const skipped: string[] = [];
  const loaded = store.loadNewest(
    (w) => {
      skipped.push(w);
      log.warn({ skipped: w }, `skipped a state file: ${w}`);
    },
    // The file is restored; what a log holds after its position is ignored (cut at the first save).
    (w) => log.warn({ ignored: w }, `restoring ${w}`),
  );
  if (loaded === null) {
    if (skipped.length > 0) {
      throw new ConfigError(`--restore: no state file in ${store.dir} can be restored (${skipped.join('; ')}); nothing was changed. Repair or move them, or start without --restore to archive them and start fresh`);
    }
    if (!o.allowFresh) throw new ConfigError(`--restore: there is no state file in ${store.dir} to restore; start without --restore for a fresh start (or add --allow-fresh, as a service's first start does)`);
    log.warn({ dir: store.dir }, `--restore: no state file in ${store.dir} yet; starting fresh (--allow-fresh)`);
    return { loaded: null, commit: () => {} };
  }
  if (loaded.snapshot.mode !== mode) {
    throw new ConfigError(`${loaded.file}: saved by the ${loaded.snapshot.mode} mode, cannot be restored in ${mode} mode (use another state.dir)`);
  }
  return { loaded, commit: () => {} };
}
