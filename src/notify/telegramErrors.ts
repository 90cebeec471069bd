import { NetworkError, TelegramApiError, TelegramBotError, TimeoutError } from 'node-telegram-bot-api';
import type { SendFailure } from './Outbox.js';

/**
 * Telegram's own verdict on a request: a `TelegramApiError` that carries its numeric `error_code`.
 * A Bot API server or proxy answering 5xx with some other JSON body yields a `TelegramApiError`
 * whose fields are undefined: that is no verdict.
 */
function apiCode(error: unknown): number | null {
  return error instanceof TelegramApiError && Number.isInteger(error.errorCode) ? error.errorCode : null;
}

/**
 * Codes about the request itself, which the same message would get again: dropped by the outbox.
 * Not among them: 401 and 404 (the token or the API root is wrong, not the message), 409, 429.
 */
function isRefusal(code: number): boolean {
  return code >= 400 && code < 500 && code !== 401 && code !== 404 && code !== 409 && code !== 429;
}

const CHAT_HINT = 'the bot cannot write to the chat: unblock it (or add it back to the group) and check TELEGRAM_CHAT_ID';

/**
 * A refusal about the chat rather than the message (403 "bot was blocked by the user", "bot was
 * kicked from the group chat", 400 "chat not found"): every message gets it until the owner acts.
 */
function isAboutTheChat(code: number, description: string | undefined): boolean {
  return code === 403 || (code === 400 && /chat not found/i.test(description ?? ''));
}

/** What the owner can do about a refusal that every message will get, in words; '' for one about the message. */
function refusalHint(code: number, error: TelegramApiError): string {
  // A group upgraded to a supergroup has a new id, given in `parameters.migrate_to_chat_id`.
  const migrated = error.migrateToChatId;
  if (typeof migrated === 'number') return ` (set TELEGRAM_CHAT_ID=${migrated}, the supergroup it became)`;
  return isAboutTheChat(code, error.description) ? ` (${CHAT_HINT})` : '';
}

/** An error in words for the log: codes and descriptions only, never the request URL (it holds the bot token). */
export function describeTelegramError(error: unknown): string {
  const code = apiCode(error);
  if (code !== null) return `${code} ${(error as TelegramApiError).description ?? ''}`.trim();
  if (error instanceof TelegramApiError) return 'an error answer without Telegram’s error fields';
  if (error instanceof NetworkError || error instanceof TimeoutError) {
    const inner = error.cause instanceof Error ? error.cause : null;
    const cause = inner === null ? '' : ((inner.cause as { code?: string } | undefined)?.code ?? inner.message);
    return `${error.message}${cause === '' ? '' : ` (${cause})`}`;
  }
  // The library's own errors (ParseError: bad JSON) have messages without the URL; others: the name only.
  if (error instanceof TelegramBotError) return `${error.name}: ${error.message}`;
  return error instanceof Error ? error.name : 'unknown error';
}

/** Seconds Telegram asked to wait (a 429's `retry_after`), or null. */
export function retryAfterSeconds(error: unknown): number | null {
  if (apiCode(error) !== 429) return null;
  const s = (error as TelegramApiError).retryAfter;
  return typeof s === 'number' && Number.isFinite(s) && s >= 0 ? s : 1;
}

/** What a transport error means for the outbox: wait, try again later, or give the message up. */
export function sendFailure(error: unknown): SendFailure {
  const reason = describeTelegramError(error);
  const wait = retryAfterSeconds(error);
  if (wait !== null) return { kind: 'retry_after', ms: wait * 1000 };
  const code = apiCode(error);
  if (code !== null && isRefusal(code)) return { kind: 'rejected', reason: `${reason}${refusalHint(code, error as TelegramApiError)}` };
  // 5xx, network, timeout, bad JSON, an answer without Telegram's fields, anything unknown.
  return { kind: 'transient', reason };
}
