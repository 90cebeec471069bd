import type { Clock, TimerHandle } from '../core/Clock.js';
import { AlertPriority, type Notifier } from './Notifier.js';

/** The alert path's own components: their errors are not alerted (an outbox that cannot save would alert itself forever). */
const SILENT = new Set(['notifier', 'telegram']);

/**
 * System errors as alerts, throttled: the first of a kind goes out at once; repeats within the window
 * are counted and reported once when it ends ("… repeated 41 times in 10 min").
 */
export class ErrorAlerts {
  readonly #notifier: () => Notifier | null;
  readonly #clock: Clock;
  readonly #windowMs: number;
  readonly #open = new Map<string, { count: number; timer: TimerHandle }>();
  #busy = false;

  constructor(notifier: () => Notifier | null, clock: Clock, windowMs = 600_000) {
    this.#notifier = notifier;
    this.#clock = clock;
    this.#windowMs = windowMs;
  }

  report(message: string, component: string | undefined): void {
    if (this.#busy || (component !== undefined && SILENT.has(component))) return;
    const key = `${component ?? ''}|${message}`;
    const open = this.#open.get(key);
    if (open !== undefined) {
      open.count++;
      return;
    }
    const timer = this.#clock.setTimeout(() => this.#close(key, message, component), this.#windowMs);
    this.#open.set(key, { count: 0, timer });
    this.#send(`❌ ${component === undefined ? '' : `[${component}] `}${message}`);
  }

  /** Reports the repeats still counted (at stop). */
  flush(): void {
    for (const [key, o] of [...this.#open]) {
      o.timer.cancel();
      const [component, message] = key.split('|', 2) as [string, string];
      this.#close(key, message, component === '' ? undefined : component);
    }
  }

  #close(key: string, message: string, component: string | undefined): void {
    const o = this.#open.get(key);
    this.#open.delete(key);
    if (o !== undefined && o.count > 0) this.#send(`❌ ${component === undefined ? '' : `[${component}] `}${message} (repeated ${o.count} more time${o.count === 1 ? '' : 's'} in ${Math.round(this.#windowMs / 60_000)} min)`);
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
