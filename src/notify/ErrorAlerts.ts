import type { Clock } from '../core/Clock.js';
import { RepeatThrottle } from '../logging/RepeatThrottle.js';
import { AlertPriority, type Notifier } from './Notifier.js';

/** The alert path's own components: their errors are not alerted (an outbox that cannot save would alert itself forever). */
const SILENT = new Set(['notifier', 'telegram']);

/**
 * System errors as alerts, throttled: the first of a kind goes out at once; repeats within the window
 * are counted and reported once when it ends ("… repeated 41 times in 10 min"); an error that goes
 * on repeating is reported once a window.
 */
export class ErrorAlerts {
  readonly #notifier: () => Notifier | null;
  readonly #throttle: RepeatThrottle;
  #busy = false;

  constructor(notifier: () => Notifier | null, clock: Clock, windowMs = 600_000) {
    this.#notifier = notifier;
    this.#throttle = new RepeatThrottle(clock, windowMs);
  }

  report(message: string, component: string | undefined): void {
    if (this.#busy || (component !== undefined && SILENT.has(component))) return;
    const text = `❌ ${component === undefined ? '' : `[${component}] `}${message}`;
    const first = this.#throttle.admit(`${component ?? ''}|${message}`, (count, windowMs) =>
      this.#send(`${text} (repeated ${count} more time${count === 1 ? '' : 's'} in ${Math.round(windowMs / 60_000)} min)`),
    );
    if (first) this.#send(text);
  }

  /** Reports the repeats still counted (at stop). */
  flush(): void {
    this.#throttle.flush();
  }

  #send(text: string): void {
    this.#busy = true;
    try {
      this.#notifier()?.notify({ priority: AlertPriority.Error, text });
    } finally {
      this.#busy = false;
    }
  }
}
