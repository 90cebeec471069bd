import type { Logger } from 'pino';
import type { Clock } from '../core/Clock.js';
import { AlertPriority, type Notifier } from '../notify/Notifier.js';
import type { PortfolioSnapshot } from '../persistence/PortfolioSnapshot.js';
import type { SnapshotStore } from '../persistence/SnapshotStore.js';

/**
 * Writes an engine's state file, and says so when it cannot: each failure logged with its count,
 * alerted on the first and every 100th (the previous latest_state.json stays intact: the write is
 * atomic), and the first success after failures logged. The engine tries again at its next save.
 */
export class StateWriter {
  readonly #store: SnapshotStore;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #notifier: () => Notifier | null;
  readonly #onSaved: (seconds: number, ok: boolean) => void;
  #failures = 0;

  /** `onSaved`: how long each save took (seconds, a monotonic clock) and whether it was written, for /metrics. */
  constructor(o: { store: SnapshotStore; wallClock: Clock; log: Logger; notifier: () => Notifier | null; onSaved?: (seconds: number, ok: boolean) => void }) {
    this.#onSaved = o.onSaved ?? (() => {});
    this.#store = o.store;
    this.#clock = o.wallClock;
    this.#log = o.log;
    this.#notifier = o.notifier;
  }

  /** `latest_state.json`, and a gzipped backup when `backup`; true when written. */
  save(snapshot: PortfolioSnapshot, why: string, backup: boolean): boolean {
    const file = this.#store.latestPath;
    const began = performance.now();
    try {
      this.#store.save(snapshot, backup ? this.#clock.now() : null);
      this.#onSaved((performance.now() - began) / 1000, true);
    } catch (error) {
      this.#onSaved((performance.now() - began) / 1000, false);
      this.#failures++;
      // The same text every attempt (the count is a field): error alerts then collapse repeats into one.
      this.#log.error({ err: error, file, attempt: this.#failures }, `state could not be saved: ${error instanceof Error ? error.message : String(error)}`);
      if (this.#failures === 1 || this.#failures % 100 === 0) {
        this.#notifier()?.notify({ priority: AlertPriority.Error, text: `❌ State could not be saved to ${file} (attempt ${this.#failures}); the last good state is kept` });
      }
      return false;
    }
    if (this.#failures > 0) this.#log.info({ file }, `state saved again after ${this.#failures} failed attempts`);
    this.#failures = 0;
    this.#log.debug({ why, file }, 'state saved');
    return true;
  }
}
