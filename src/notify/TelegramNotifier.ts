import { Api, InputFile } from 'node-telegram-bot-api';
import type { Logger } from 'pino';
import type { TelegramEnv } from '../config/env.js';
import type { Clock } from '../core/Clock.js';
import type { Alert, Notifier } from './Notifier.js';
import { Outbox, type OutboxItem } from './Outbox.js';
import { CAPTION_LIMIT, splitMessage } from './splitMessage.js';
import { sendFailure } from './telegramErrors.js';

export interface TelegramNotifierOptions {
  readonly env: TelegramEnv;
  /** The outbox file (`data_cache/telegram_outbox.json`). */
  readonly outboxFile: string;
  readonly clock: Clock;
  readonly log: Logger;
  readonly paceMs?: number;
}

/**
 * Alerts to the owner's Telegram chat through the persistent outbox. `notify` only queues (it is
 * never on the order path); the SDK's own retries are off: the outbox decides when to try again.
 */
export class TelegramNotifier implements Notifier {
  readonly #outbox: Outbox;

  constructor(o: TelegramNotifierOptions) {
    const api = new Api(o.env.botToken, { apiRoot: o.env.apiRoot, maxRetries: 0, timeoutMs: 15_000 });
    const send = async (item: OutboxItem): Promise<void> => {
      try {
        if (item.photo === undefined) await api.sendMessage({ chat_id: o.env.chatId, text: item.text });
        else await api.sendPhoto({ chat_id: o.env.chatId, photo: new InputFile(Buffer.from(item.photo, 'base64'), { filename: 'chart.png', contentType: 'image/png' }), caption: item.text });
      } catch (error) {
        throw sendFailure(error);
      }
    };
    this.#outbox = new Outbox({ file: o.outboxFile, clock: o.clock, log: o.log, send, ...(o.paceMs === undefined ? {} : { paceMs: o.paceMs }) });
    this.#outbox.start();
  }

  notify(alert: Alert): void {
    this.#outbox.enqueue(alert.priority, alert.text);
  }

  /** A picture (a PNG chart) with its caption; a caption over 1,024 characters continues as text. */
  notifyPhoto(alert: Alert, png: Uint8Array): void {
    const [caption = '', ...rest] = splitMessage(alert.text, CAPTION_LIMIT);
    this.#outbox.enqueue(alert.priority, caption, Buffer.from(png).toString('base64'));
    if (rest.length > 0) this.#outbox.enqueue(alert.priority, rest.join('\n'));
  }

  get pending(): number {
    return this.#outbox.pending.length;
  }

  /** Sends what it can within two seconds, then stops; the rest stays on disk for the next start. */
  close(): Promise<void> {
    return this.#outbox.drain(2_000);
  }
}
