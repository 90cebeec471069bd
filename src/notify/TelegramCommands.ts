import { Api, type Update } from 'node-telegram-bot-api';
import type { Logger } from 'pino';
import type { TelegramEnv } from '../config/env.js';
import type { Clock } from '../core/Clock.js';
import type { ControlCommands } from '../control/ControlCommands.js';
import { RepeatThrottle } from '../logging/RepeatThrottle.js';
import { warnThrottled } from '../logging/warnThrottled.js';
import { parseCommand } from './parseCommand.js';
import { splitMessage } from './splitMessage.js';
import { describeTelegramError, retryAfterSeconds } from './telegramErrors.js';

/** What the commands show, computed when asked. */
export interface CommandViews {
  readonly status: () => string;
  readonly positions: () => string;
  readonly pnl: () => string;
  readonly summary: () => string;
}

export interface TelegramCommandsOptions {
  readonly env: TelegramEnv;
  /**
   * The user whose messages are obeyed (`from.id`), in the chat `env.chatId`. Default: the chat id,
   * which in a private chat is the user's own id; in a group it must be given (`TELEGRAM_OWNER_ID`).
   */
  readonly ownerId?: string;
  readonly control: ControlCommands;
  readonly views: CommandViews;
  /** Wall time (message dates are Telegram's wall time). */
  readonly clock: Clock;
  readonly log: Logger;
  /** When the daemon started (epoch ms of `clock`); a message sent before is not obeyed. Default: when this is made. */
  readonly startedAt?: number;
  /** Long-poll seconds (Telegram holds a getUpdates this long when nothing comes). */
  readonly pollSeconds?: number;
  /** Wait after a failed poll: doubling from `baseMs` up to `maxMs` (default 1 s to 60 s); a 429 waits its `retry_after`. */
  readonly backoff?: { readonly baseMs: number; readonly maxMs: number };
  /** Poll failures are logged once, then as one count per this window of `clock` (default 5 min). */
  readonly repeatWindowMs?: number;
}

/** The parts of an incoming Telegram message the commands look at. */
export interface IncomingMessage {
  readonly chatId: string;
  /** The sender's user id; null when the message has none (a channel post). */
  readonly fromId: string | null;
  /** When Telegram received it: Unix seconds. */
  readonly date: number;
  readonly text: string;
}

const HELP = [
  '/status – strategies, breakers, account',
  '/positions – open positions by strategy',
  '/pnl – profit and loss',
  '/summary – the day so far',
  '/pause <strategy|all> – block entries (exits still go)',
  '/resume <strategy|all> – allow entries again (asks to confirm)',
  '/help – this list',
].join('\n');
const CONFIRM_MS = 60_000;
/** A command is obeyed only this soon after it was sent: one queued while the daemon was down is stale. */
const MAX_AGE_MS = 60_000;
/** How much of an ignored message the log shows. */
const PREVIEW = 64;
const POLL_FAILED = 'poll';
/** The longest 429 wait a reply sits out (the poll waits with it); a longer flood wait loses the reply, said in the log. */
const MAX_REPLY_WAIT_S = 60;

/**
 * The owner's commands over Telegram (long polling). A message is obeyed only when it comes from the
 * owner (`from.id`) in the owner's chat (`TELEGRAM_CHAT_ID`), was sent after the daemon started and
 * less than a minute ago (a `/resume` queued while the daemon was down must not override the
 * breakers it restored), and is not addressed to another bot (`/status@otherbot`, which Telegram
 * delivers to every bot in a group). Everything else is ignored and logged, before the text is
 * parsed. Pause and resume are the control commands of `npm run ctl`; a resume asks for `/confirm`
 * within a minute. Any failure of the poll (network, 5xx, bad JSON, 401, 409 from a second poller)
 * restarts it after a back-off; it is logged once, then once every 5 minutes with the count.
 */
export class TelegramCommands {
  readonly #o: TelegramCommandsOptions;
  readonly #api: Api;
  readonly #abort = new AbortController();
  readonly #ownerId: string;
  readonly #startedAt: number;
  #username: string | null = null;
  #identified = false;
  #pending: { words: string[]; until: number } | null = null;
  #loop: Promise<void> | null = null;
  #failures = 0;
  readonly #repeats: RepeatThrottle;

  constructor(o: TelegramCommandsOptions) {
    this.#o = o;
    this.#ownerId = o.ownerId ?? o.env.chatId;
    this.#startedAt = o.startedAt ?? o.clock.now();
    this.#repeats = new RepeatThrottle(o.clock, o.repeatWindowMs ?? 300_000);
    this.#api = new Api(o.env.botToken, { apiRoot: o.env.apiRoot, maxRetries: 0, timeoutMs: 60_000 });
  }

  start(): void {
    this.#loop ??= this.#run().catch((error: unknown) => {
      // #run catches every failure of the poll; this is the last guard against a bug in it.
      this.#o.log.error({ reason: describeTelegramError(error) }, 'Telegram commands stopped');
    });
  }

  async stop(): Promise<void> {
    this.#abort.abort();
    await this.#loop;
    this.#repeats.flush();
  }

  async #run(): Promise<void> {
    const signal = this.#abort.signal;
    let offset: number | undefined;
    while (!signal.aborted) {
      let updates: Update[];
      try {
        if (!this.#identified) {
          // Needed to tell `/cmd@thisbot` from `/cmd@otherbot`; a failure is a failed poll like any other.
          this.#username = (await this.#api.getMe(signal)).username ?? null;
          this.#identified = true;
        }
        updates = await this.#api.getUpdates({ offset, timeout: this.#o.pollSeconds ?? 25, allowed_updates: ['message'] }, signal);
      } catch (error) {
        if (signal.aborted) return;
        await this.#failed(error);
        continue;
      }
      this.#recovered();
      for (const u of updates) {
        // Confirmed to Telegram by the next poll: an update that throws is not delivered again.
        offset = Math.max(offset ?? 0, u.update_id + 1);
        if (signal.aborted) return;
        if (!('message' in u)) continue;
        const m = u.message;
        if (m.text === undefined) continue;
        try {
          await this.handle({ chatId: String(m.chat.id), fromId: m.from === undefined ? null : String(m.from.id), date: m.date, text: m.text });
        } catch (error) {
          this.#o.log.error({ reason: error instanceof Error ? error.message : String(error) }, 'a Telegram command failed');
        }
      }
    }
  }

  /** A failed poll: logged the first time, then counted (one line a window); waits before the next (a 429: its retry_after). */
  async #failed(error: unknown): Promise<void> {
    this.#failures++;
    const reason = describeTelegramError(error);
    warnThrottled(this.#repeats, this.#o.log, POLL_FAILED, { reason, failures: this.#failures }, `Telegram polling failed (${reason}); commands wait, retrying with back-off`, `Telegram polling failed (last: ${reason}); commands wait, retrying`);
    const { baseMs, maxMs } = this.#o.backoff ?? { baseMs: 1000, maxMs: 60_000 };
    const retryAfter = retryAfterSeconds(error);
    await this.#sleep(retryAfter !== null ? retryAfter * 1000 : Math.min(maxMs, baseMs * 2 ** Math.min(this.#failures - 1, 20)));
  }

  #recovered(): void {
    if (this.#failures === 0) return;
    this.#repeats.forget(POLL_FAILED);
    this.#o.log.info({ failures: this.#failures }, `Telegram polling back after ${this.#failures} failed attempt${this.#failures === 1 ? '' : 's'}`);
    this.#failures = 0;
  }

  /** Waits `ms` of the clock's time, or less when stopped. */
  #sleep(ms: number): Promise<void> {
    const signal = this.#abort.signal;
    return new Promise<void>((resolve) => {
      const done = (): void => {
        timer.cancel();
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = this.#o.clock.setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
      if (signal.aborted) done();
    });
  }

  /**
   * One incoming message; answers in the owner's chat when it is the owner's and a command for this
   * bot (a stale one: that it is ignored now). Who sent it is checked before the text is read.
   */
  async handle(m: IncomingMessage): Promise<void> {
    const { env, log, clock } = this.#o;
    if (m.chatId !== env.chatId || m.fromId !== this.#ownerId) {
      const hint = m.chatId === env.chatId && this.#o.ownerId === undefined ? ' (to command from a group, set TELEGRAM_OWNER_ID to your user id)' : '';
      log.warn({ chat: m.chatId, from: m.fromId, text: m.text.slice(0, PREVIEW) }, `Telegram message from user ${m.fromId ?? 'unknown'} in chat ${m.chatId} ignored: only user ${this.#ownerId} in chat ${env.chatId} may command${hint}`);
      return;
    }
    const sentAt = m.date * 1000;
    // Telegram dates are whole seconds: a message of the start's own second counts as after it.
    const stale = sentAt < Math.floor(this.#startedAt / 1000) * 1000 ? `sent before this start (${new Date(this.#startedAt).toISOString()})` : clock.now() - sentAt > MAX_AGE_MS ? 'older than a minute' : null;
    if (stale !== null) log.warn({ sentAt: new Date(sentAt).toISOString(), text: m.text.slice(0, PREVIEW) }, `Telegram message sent at ${new Date(sentAt).toISOString()} ignored: ${stale}`);
    const c = parseCommand(m.text);
    if (c === null) return;
    if (c.target !== null && (this.#username === null || c.target.toLowerCase() !== this.#username.toLowerCase())) {
      log.info({ command: c.name, target: c.target }, `Telegram command /${c.name}@${c.target} is for another bot: ignored`);
      return;
    }
    // The owner hears that a stale command is ignored now (a /pause sent while the daemon restarted): silence would read as done. "Now": the
    // last batch before a kill -9 comes again after the restart, and its commands were obeyed by the run that heard them.
    if (stale !== null) return this.#reply(`⌛ /${c.name} ignored now: sent at ${new Date(sentAt).toISOString()}, ${stale}. Send it again if you still want it.`);
    await this.#reply(this.#answer(c.name, c.args));
  }

  #answer(command: string, args: readonly string[]): string {
    const { views, control } = this.#o;
    switch (command) {
      case 'help':
      case 'start':
        return HELP;
      case 'status':
        return `${views.status()}\n${control.run(['status'], 'telegram').message}`;
      case 'positions':
        return views.positions();
      case 'pnl':
        return views.pnl();
      case 'summary':
        return views.summary();
      case 'pause': {
        if (args.length !== 1) return 'usage: /pause <strategy|all>';
        const r = control.run(['pause', args[0]!], 'telegram');
        return r.ok ? `⏸ ${r.message}` : `❌ ${r.message}`;
      }
      case 'resume': {
        if (args.length !== 1) return 'usage: /resume <strategy|all>';
        // A strategy that does not exist is said at once: no /confirm round trip for a typo.
        const unknown = control.unknownTarget(args[0]!);
        if (unknown !== null) return `❌ ${unknown}`;
        this.#pending = { words: ['resume', args[0]!], until: this.#o.clock.now() + CONFIRM_MS };
        return `Resume ${args[0]}? Entries will be allowed again. Send /confirm within a minute.`;
      }
      case 'confirm': {
        const p = this.#pending;
        this.#pending = null;
        if (p === null || this.#o.clock.now() > p.until) return 'nothing to confirm (a /resume is confirmed within a minute)';
        const r = control.run(p.words, 'telegram');
        return r.ok ? `▶️ ${r.message}` : `❌ ${r.message}`;
      }
      default:
        return `unknown command /${command}\n${HELP}`;
    }
  }

  /** An answer longer than Telegram's 4,096 units goes as several messages, cut at lines. */
  async #reply(text: string): Promise<void> {
    for (const part of splitMessage(text)) if (!(await this.#send(part))) return;
  }

  /** One message; a 429 (the chat gets more than Telegram allows) is waited out when it asks a minute or less, twice at most. */
  async #send(text: string): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#api.sendMessage({ chat_id: this.#o.env.chatId, text }, this.#abort.signal);
        return true;
      } catch (error) {
        const wait = retryAfterSeconds(error);
        if (wait === null || wait > MAX_REPLY_WAIT_S || attempt > 2 || this.#abort.signal.aborted) {
          this.#o.log.warn({ reason: describeTelegramError(error) }, 'Telegram command reply failed');
          return false;
        }
        await this.#sleep(wait * 1000);
      }
    }
  }
}
