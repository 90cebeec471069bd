/**
 * What an alert is about. The numbers are stored in the outbox file (`priority`): never renumber
 * them; the order of sending is `SEND_ORDER`.
 */
export const AlertPriority = { Risk: 0, Error: 1, Trade: 2, Summary: 3, Info: 4 } as const;
export type AlertPriority = (typeof AlertPriority)[keyof typeof AlertPriority];

/**
 * The Telegram outbox's order: breaker trips first; then errors and the daemon's notices (start,
 * stop, stream down/back) among themselves in the order they happened, so a start is never read
 * after the trades of the run it announces; then trades (as digests); then summaries.
 */
const SEND_ORDER: Readonly<Record<AlertPriority, number>> = {
  [AlertPriority.Risk]: 0,
  [AlertPriority.Error]: 1,
  [AlertPriority.Info]: 1,
  [AlertPriority.Trade]: 2,
  [AlertPriority.Summary]: 3,
};

/** Lower goes first. */
export function sendRank(priority: AlertPriority): number {
  return SEND_ORDER[priority];
}

export interface Alert {
  readonly priority: AlertPriority;
  readonly text: string;
}

/** Where alerts go. Never on the order path: `notify` only queues. */
export interface Notifier {
  notify(alert: Alert): void;
  /** A picture (a PNG chart) with the alert as its caption; where pictures cannot go, the text alone. */
  notifyPhoto(alert: Alert, png: Uint8Array): void;
  close(): Promise<void>;
  /** Alerts waiting in the outbox to be sent; absent where nothing queues (the log). */
  readonly pending?: number;
}
