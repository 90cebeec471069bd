import type { Logger } from 'pino';
import { AlertPriority, type Alert, type Notifier } from './Notifier.js';

/** Alerts written to the log only: the notifier when no Telegram bot is configured. */
export class LogNotifier implements Notifier {
  readonly #log: Logger;

  constructor(logger: Logger) {
    this.#log = logger;
  }

  notify(alert: Alert): void {
    // Trades and breaker trips are already in the log as they happen; other alerts stand out.
    if (alert.priority === AlertPriority.Trade || alert.priority === AlertPriority.Risk) this.#log.debug({ priority: alert.priority }, alert.text);
    else if (alert.priority <= AlertPriority.Error) this.#log.warn({ priority: alert.priority }, alert.text);
    else this.#log.info({ priority: alert.priority }, alert.text);
  }

  notifyPhoto(alert: Alert): void {
    this.notify(alert);
  }

  async close(): Promise<void> {}
}
