import { dirname, join } from 'node:path';
import type { Logger } from 'pino';
import type { TelegramEnv } from '../config/env.js';
import type { Clock } from '../core/Clock.js';
import { LogNotifier } from './LogNotifier.js';
import type { Notifier } from './Notifier.js';
import { TelegramNotifier } from './TelegramNotifier.js';

/**
 * Telegram when a bot is configured (its outbox beside the state directory:
 * `data_cache/telegram_outbox.json`), else the log, said once at start.
 */
export function createNotifier(telegram: TelegramEnv | null, stateDir: string, clock: Clock, logger: Logger): Notifier {
  const log = logger.child({ component: 'notifier' });
  if (telegram === null) {
    log.info('no Telegram bot configured (TELEGRAM_BOT_TOKEN / TELEGRAM_CHAT_ID): alerts go to the log only');
    return new LogNotifier(log);
  }
  const outboxFile = join(dirname(stateDir), 'telegram_outbox.json');
  log.info({ apiRoot: telegram.apiRoot, chat: telegram.chatId, outbox: outboxFile }, `alerts go to Telegram chat ${telegram.chatId} through the outbox ${outboxFile}`);
  return new TelegramNotifier({ env: telegram, outboxFile, clock, log });
}
