/** How urgent an alert is; the Telegram outbox sends higher priorities first. */
export const AlertPriority = { Risk: 0, Error: 1, Trade: 2, Summary: 3, Info: 4 } as const;
export type AlertPriority = (typeof AlertPriority)[keyof typeof AlertPriority];

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
}
