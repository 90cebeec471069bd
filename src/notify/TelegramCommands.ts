import { Api, longPoll } from 'node-telegram-bot-api';
import type { Logger } from 'pino';
import type { TelegramEnv } from '../config/env.js';
import type { Clock } from '../core/Clock.js';
import type { ControlCommands } from '../control/ControlCommands.js';

/** What the commands show, computed when asked. */
export interface CommandViews {
  readonly status: () => string;
  readonly positions: () => string;
  readonly pnl: () => string;
  readonly summary: () => string;
}

export interface TelegramCommandsOptions {
  readonly env: TelegramEnv;
  readonly control: ControlCommands;
  readonly views: CommandViews;
  readonly clock: Clock;
  readonly log: Logger;
  /** Long-poll seconds (Telegram holds a getUpdates this long when nothing comes). */
  readonly pollSeconds?: number;
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

/**
 * The owner's commands over Telegram (long polling). Only messages from `TELEGRAM_CHAT_ID` count;
 * others are ignored and logged, and so is a command addressed to another bot (`/status@otherbot`,
 * which the library does not filter). Pause and resume are the control commands of `npm run ctl`;
 * a resume asks for `/confirm` within a minute.
 */
export class TelegramCommands {
  readonly #o: TelegramCommandsOptions;
  readonly #api: Api;
  readonly #abort = new AbortController();
  #username: string | null = null;
  #pending: { words: string[]; until: number } | null = null;
  #loop: Promise<void> | null = null;

  constructor(o: TelegramCommandsOptions) {
    this.#o = o;
    this.#api = new Api(o.env.botToken, { apiRoot: o.env.apiRoot, maxRetries: 0, timeoutMs: 60_000 });
  }

  start(): void {
    this.#loop = this.#run().catch((error: unknown) => {
      if (!this.#abort.signal.aborted) this.#o.log.error({ reason: error instanceof Error ? error.message : String(error) }, 'Telegram commands stopped');
    });
  }

  async stop(): Promise<void> {
    this.#abort.abort();
    await this.#loop;
  }

  async #run(): Promise<void> {
    try {
      this.#username = (await this.#api.getMe(this.#abort.signal)).username ?? null;
    } catch (error) {
      this.#o.log.warn({ reason: error instanceof Error ? error.message : String(error) }, 'getMe failed: commands addressed to a bot by name are ignored');
    }
    const updates = longPoll(this.#api, { timeout: this.#o.pollSeconds ?? 25, allowedUpdates: ['message'], onError: (e) => this.#o.log.warn({ reason: e instanceof Error ? e.message : String(e) }, 'Telegram polling failed; retrying') }, this.#abort.signal);
    for await (const u of updates) {
      if (!('message' in u)) continue;
      const m = u.message;
      if (m.text === undefined) continue;
      await this.handle(String(m.chat.id), m.text);
    }
  }

  /** One incoming text from chat `chatId`; answers in that chat when it is the owner's and a command. */
  async handle(chatId: string, text: string): Promise<void> {
    const parsed = /^\/([a-z]+)(?:@(\S+))?(?:\s+(.*))?$/i.exec(text.trim());
    if (parsed === null) return;
    const [, command = '', target, rest] = parsed;
    if (chatId !== this.#o.env.chatId) {
      this.#o.log.warn({ chat: chatId, command }, `Telegram command /${command} from chat ${chatId} ignored: only the owner's chat ${this.#o.env.chatId} may command`);
      return;
    }
    if (target !== undefined && (this.#username === null || target.toLowerCase() !== this.#username.toLowerCase())) {
      this.#o.log.info({ command, target }, `Telegram command /${command}@${target} is for another bot: ignored`);
      return;
    }
    const args = (rest ?? '').trim().split(/\s+/).filter((w) => w !== '');
    await this.#reply(this.#answer(command.toLowerCase(), args));
  }

  #answer(command: string, args: string[]): string {
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

  async #reply(text: string): Promise<void> {
    try {
      await this.#api.sendMessage({ chat_id: this.#o.env.chatId, text: text.slice(0, 4096) }, this.#abort.signal);
    } catch (error) {
      this.#o.log.warn({ reason: error instanceof Error ? error.message : String(error) }, 'Telegram command reply failed');
    }
  }
}
