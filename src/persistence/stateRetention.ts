import type { DaemonConfig } from '../config/configSchema.js';
import type { StateRetention } from './SnapshotStore.js';

/** The state directory's retention as the configuration's `state` section sets it. */
export function stateRetention(state: DaemonConfig['state']): StateRetention {
  return {
    newestBackups: state.max_backups,
    dailyBackupDays: state.daily_backups_days,
    archives: state.max_archives,
    tradesSegmentBytes: Math.round(state.trades_segment_mb * 2 ** 20),
    tradesKeepDays: state.trades_keep_days,
  };
}
