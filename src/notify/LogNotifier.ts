import type { Logger } from 'pino';
import type { Alert, Notifier } from './Notifier.js';

/** Alerts written to the log only: the notifier when no Telegram bot is configured. */
export class LogNotifier implements Notifier {
  readonly #log: Logger;

  constructor(logger: Logger) {
    this.#log = logger;
  }

  notify(alert: Alert): void {
    this.#log.info({ priority: alert.priority }, alert.text);
  }

  async close(): Promise<void> {}
}
