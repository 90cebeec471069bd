import { existsSync, readFileSync, renameSync } from 'node:fs';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Clock, TimerHandle } from '../core/Clock.js';
import { RepeatThrottle, repeatsText } from '../logging/RepeatThrottle.js';
import { warnThrottled } from '../logging/warnThrottled.js';
import { writeFileAtomic } from '../persistence/writeFileAtomic.js';
import { AlertPriority, sendRank } from './Notifier.js';
import { splitMessage, TEXT_LIMIT } from './splitMessage.js';

/** One message waiting to go out; a photo travels as base64 PNG with its caption as `text`. */
export interface OutboxItem {
  readonly id: number;
  readonly priority: AlertPriority;
  readonly text: string;
  readonly photo?: string;
  readonly queuedAt: number;
}

/** What sending an item may end in, decided by the sender from the transport's error. */
export type SendFailure = { readonly kind: 'retry_after'; readonly ms: number } | { readonly kind: 'transient'; readonly reason: string } | { readonly kind: 'rejected'; readonly reason: string };

function isSendFailure(x: unknown): x is SendFailure {
  const kind = typeof x === 'object' && x !== null ? (x as { kind?: unknown }).kind : undefined;
  return kind === 'retry_after' || kind === 'transient' || kind === 'rejected';
}

export interface OutboxOptions {
  readonly file: string;
  readonly clock: Clock;
  readonly log: Logger;
  /** Delivers one item; resolves when Telegram accepted it, rejects with a SendFailure. */
  readonly send: (item: OutboxItem) => Promise<void>;
  /** Least time between two messages (Telegram: about one a second per chat). */
  readonly paceMs?: number;
  /** Send failures are logged once, then as one count per this window of `clock` (default 5 min). */
  readonly repeatWindowMs?: number;
}
const UNREACHABLE = 'unreachable';

const itemSchema = z.strictObject({ id: z.number().int(), priority: z.number().int().min(0).max(4), text: z.string(), photo: z.string().optional(), queuedAt: z.number() });
// `delivered` and `lastDeliveredAt` (wall time, ms) are absent in files of earlier versions.
const fileSchema = z.strictObject({ nextId: z.number().int(), items: z.array(itemSchema), delivered: z.number().int().nonnegative().optional(), lastDeliveredAt: z.number().nullable().optional() });

/** What the outbox file says of the deliveries: monitoring that works delivers (the live checklist reads it). */
export interface OutboxStatus {
  readonly file: string;
  /** Messages Telegram accepted since the file was made (a digest of trades counts once). */
  readonly delivered: number;
  readonly lastDeliveredAt: number | null;
  readonly waiting: number;
  /** When the oldest message still waiting was queued. */
  readonly oldestWaitingSince: number | null;
}

/** The deliveries recorded in an outbox file; null when there is none (Telegram never configured here). */
export function readOutboxStatus(file: string): OutboxStatus | null {
  if (!existsSync(file)) return null;
  const data = fileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  const oldest = data.items.reduce((a, i) => Math.min(a, i.queuedAt), Number.POSITIVE_INFINITY);
  return { file, delivered: data.delivered ?? 0, lastDeliveredAt: data.lastDeliveredAt ?? null, waiting: data.items.length, oldestWaitingSince: Number.isFinite(oldest) ? oldest : null };
}

/**
 * The alert outbox: messages are written to disk the moment they are queued and removed only once
 * Telegram accepted them, so a crash, a restart or a Telegram outage loses none and sends none twice
 * (unless the process dies between Telegram's answer and the removal: at most one repeat). Sent in
 * `SEND_ORDER` (breaker trips; errors and start/stop notices; trades; summaries), oldest first;
 * queued trade messages go out together as one digest; 429s wait `retry_after`; network failures,
 * server errors and anything unexplained back off and try again; only a message Telegram itself
 * refuses (a 4xx about the message or the chat) is dropped. An outage, and a refusal that repeats
 * (the bot blocked), is logged once, then as one count per window (5 min) while it lasts.
 */
export class Outbox {
  readonly #o: OutboxOptions;
  #items: OutboxItem[] = [];
  #nextId = 1;
  #timer: TimerHandle | null = null;
  #sending: Promise<void> | null = null;
  #failures = 0;
  #stopped = false;
  #lastSentAt = Number.NEGATIVE_INFINITY;
  readonly #repeats: RepeatThrottle;
  #delivered = 0;
  #lastDeliveredAt: number | null = null;

  constructor(o: OutboxOptions) {
    this.#o = o;
    this.#repeats = new RepeatThrottle(o.clock, o.repeatWindowMs ?? 300_000);
    this.#load();
  }

  get pending(): readonly OutboxItem[] {
    return this.#items;
  }

  /** Queues a message (split at 4,096 characters on line boundaries), on disk before this returns. */
  enqueue(priority: AlertPriority, text: string, photo?: string): void {
    const now = this.#o.clock.now();
    const first = this.#nextId;
    if (photo !== undefined) this.#items.push({ id: this.#nextId++, priority, text, photo, queuedAt: now });
    else for (const part of splitMessage(text)) this.#items.push({ id: this.#nextId++, priority, text: part, queuedAt: now });
    this.#save();
    // Ids in the log let a drill prove each alert was delivered once.
    this.#o.log.debug({ ids: Array.from({ length: this.#nextId - first }, (_, i) => first + i), priority }, 'alert queued');
    this.#kick(0);
  }

  start(): void {
    this.#stopped = false;
    this.#kick(0);
  }

  /** Lets the queue empty for up to `ms` (a stop sends its last messages), then stops. */
  async drain(ms: number): Promise<void> {
    const deadline = this.#o.clock.now() + ms;
    while (this.#items.length > 0 && !this.#stopped && this.#o.clock.now() < deadline) await new Promise<void>((r) => this.#o.clock.setTimeout(r, 25));
    await this.stop();
  }

  /** Stops sending (what is queued stays on disk for the next start); waits for a send under way. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#timer?.cancel();
    this.#timer = null;
    await this.#sending;
    this.#repeats.flush();
  }

  #kick(ms: number): void {
    if (this.#stopped || this.#timer !== null || this.#sending !== null || this.#items.length === 0) return;
    // The pace holds across idle moments too: a message queued right after one went out waits its turn.
    const paced = this.#lastSentAt + (this.#o.paceMs ?? 1100) - this.#o.clock.now();
    this.#timer = this.#o.clock.setTimeout(() => {
      this.#timer = null;
      this.#sending = this.#sendNext().then((wait) => {
        this.#sending = null;
        this.#kick(wait);
      });
    }, Math.max(ms, paced, 0));
  }

  /** The next message: the most urgent, oldest first; trades queued together become one digest. */
  #next(): { item: OutboxItem; ids: number[] } {
    const sorted = [...this.#items].sort((a, b) => sendRank(a.priority) - sendRank(b.priority) || a.id - b.id);
    const head = sorted[0]!;
    if (head.priority !== AlertPriority.Trade || head.photo !== undefined) return { item: head, ids: [head.id] };
    const trades = sorted.filter((i) => i.priority === AlertPriority.Trade && i.photo === undefined);
    if (trades.length === 1) return { item: head, ids: [head.id] };
    const lines: string[] = [];
    const ids: number[] = [];
    for (const t of trades) {
      const text = [`📊 ${ids.length + 1} trades`, ...lines, t.text].join('\n');
      if (text.length > TEXT_LIMIT) break;
      lines.push(t.text);
      ids.push(t.id);
    }
    // A trade message too long to share a digest goes alone (an empty digest would remove nothing, sent for ever).
    if (ids.length === 0) return { item: head, ids: [head.id] };
    return { item: { ...head, text: [`📊 ${ids.length} trades`, ...lines].join('\n') }, ids };
  }

  /** Sends the next message; resolves with how long to wait before the one after. */
  async #sendNext(): Promise<number> {
    if (this.#items.length === 0) return 0;
    const { item, ids } = this.#next();
    let wait = this.#o.paceMs ?? 1100;
    try {
      await this.#o.send(item);
      this.#lastSentAt = this.#o.clock.now();
      this.#delivered++;
      this.#lastDeliveredAt = this.#lastSentAt;
      // Logged before the outbox forgets them: a crash in between sends them again, and the log
      // then shows the delivery twice (Telegram has no idempotency key; this window is the only one).
      this.#o.log.debug({ ids }, 'alert delivered');
      this.#remove(ids);
      if (this.#failures > 0) this.#repeats.forget(UNREACHABLE);
      this.#failures = 0;
    } catch (error) {
      // Anything the sender did not classify (a bug, a stray throw) is retried like a network failure.
      const f: SendFailure = isSendFailure(error) ? error : { kind: 'transient', reason: error instanceof Error ? error.name : 'unknown error' };
      if (f.kind === 'retry_after') {
        wait = Math.max(wait, f.ms);
        this.#o.log.warn({ retryAfterMs: f.ms, queued: this.#items.length }, `Telegram says wait ${Math.round(f.ms / 1000)} s (429); ${this.#items.length} messages wait`);
      } else if (f.kind === 'rejected') {
        this.#remove(ids);
        this.#o.log.debug({ ids, reason: f.reason }, 'alert dropped');
        // A refusal about the chat (the bot blocked) comes for every message: said once, then counted per window.
        const { reason } = f;
        const said = this.#repeats.admit(`refused|${reason}`, (count, windowMs) =>
          this.#o.log.error({ reason, repeats: count }, `Telegram refused ${count} more message${count === 1 ? '' : 's'}, dropped: ${reason} (${repeatsText(count, windowMs)})`),
        );
        if (said) this.#o.log.error({ reason, text: item.text.slice(0, 200) }, `Telegram refused a message, dropped: ${reason}`);
      } else {
        this.#failures++;
        wait = Math.min(60_000, 1000 * 2 ** Math.min(this.#failures - 1, 6));
        const { reason } = f;
        const queued = this.#items.length;
        warnThrottled(
          this.#repeats,
          this.#o.log,
          UNREACHABLE,
          { reason, attempt: this.#failures, queued },
          `Telegram unreachable (${reason}); ${queued} messages kept on disk, next try in ${wait / 1000} s`,
          `Telegram unreachable (last: ${reason}); ${queued} messages kept on disk, retrying`,
        );
      }
    }
    return wait;
  }

  #remove(ids: readonly number[]): void {
    const gone = new Set(ids);
    this.#items = this.#items.filter((i) => !gone.has(i.id));
    this.#save();
  }

  #save(): void {
    try {
      // writeFileAtomic creates a missing directory owner-only and writes the file 0600, never through a link.
      writeFileAtomic(this.#o.file, JSON.stringify({ nextId: this.#nextId, items: this.#items, delivered: this.#delivered, lastDeliveredAt: this.#lastDeliveredAt }));
    } catch (error) {
      this.#o.log.error({ err: error, file: this.#o.file }, 'the Telegram outbox could not be saved; messages are kept in memory');
    }
  }

  /** A file that cannot be read is set aside (…bad-<time>) and the outbox starts empty, said in the log. */
  #load(): void {
    if (!existsSync(this.#o.file)) return;
    try {
      const data = fileSchema.parse(JSON.parse(readFileSync(this.#o.file, 'utf8')));
      this.#items = data.items.map((i) => ({ ...i, priority: i.priority as AlertPriority }));
      this.#nextId = Math.max(data.nextId, ...this.#items.map((i) => i.id + 1));
      this.#delivered = data.delivered ?? 0;
      this.#lastDeliveredAt = data.lastDeliveredAt ?? null;
      if (this.#items.length > 0) this.#o.log.info({ queued: this.#items.length }, `${this.#items.length} Telegram messages from before the restart will be sent`);
    } catch (error) {
      const aside = `${this.#o.file}.bad-${this.#o.clock.now()}`;
      renameSync(this.#o.file, aside);
      this.#o.log.error({ err: error, file: aside }, `the Telegram outbox could not be read; set aside as ${aside}`);
    }
  }
}
