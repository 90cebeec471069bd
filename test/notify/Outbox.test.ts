import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TelegramApiError } from 'node-telegram-bot-api';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { SimClock } from '../../src/core/SimClock.js';
import { AlertPriority } from '../../src/notify/Notifier.js';
import { Outbox, type OutboxItem, type SendFailure } from '../../src/notify/Outbox.js';
import { sendFailure } from '../../src/notify/telegramErrors.js';

describe('Outbox while Telegram is down', () => {
  it('logs the outage once, then one count for the window, and nothing more once a message went out', async () => {
    const clock = new SimClock(0);
    const lines: Array<{ msg: string; level: number }> = [];
    const log = pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s) as { msg: string; level: number }) });
    let down = true;
    const sent: string[] = [];
    const send = async (item: OutboxItem): Promise<void> => {
      if (down) throw { kind: 'transient', reason: 'ECONNREFUSED' } satisfies SendFailure;
      sent.push(item.text);
    };
    const outbox = new Outbox({ file: join(mkdtempSync(join(tmpdir(), 'outbox-')), 'outbox.json'), clock, log, send, paceMs: 1000, repeatWindowMs: 300_000 });
    outbox.enqueue(AlertPriority.Info, 'hello');
    // Tries at 0, 1, 3, 7, 15, 31, 63, 123, 183, 243 s (back-off doubling to 60 s), 303, 363 …
    for (let t = 0; t <= 400; t++) {
      if (t === 350) down = false;
      clock.advanceTo(t * 1000);
      for (let i = 0; i < 5; i++) await Promise.resolve();
    }
    await outbox.stop();
    expect(sent).toEqual(['hello']);
    expect(lines.filter((l) => l.level >= 40).map((l) => l.msg)).toEqual([
      'Telegram unreachable (ECONNREFUSED); 1 messages kept on disk, next try in 1 s',
      'Telegram unreachable (last: ECONNREFUSED); 1 messages kept on disk, retrying (×9 in the last 5 min)',
    ]);
  });
});

describe('Outbox when Telegram refuses every message for the same reason (bot blocked, chat not found)', () => {
  it('drops each message once (no retry), and says the refusal once with what to do, then one count for the window', async () => {
    const clock = new SimClock(0);
    const lines: Array<{ msg: string; level: number }> = [];
    const log = pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s) as { msg: string; level: number }) });
    let attempts = 0;
    const send = async (): Promise<void> => {
      attempts++;
      throw sendFailure(new TelegramApiError(403, 'Forbidden: bot was blocked by the user'));
    };
    const outbox = new Outbox({ file: join(mkdtempSync(join(tmpdir(), 'outbox-')), 'outbox.json'), clock, log, send, paceMs: 1000, repeatWindowMs: 300_000 });
    for (let i = 1; i <= 5; i++) outbox.enqueue(AlertPriority.Trade, `📈 Bought ${i} SPY`);
    outbox.enqueue(AlertPriority.Error, '❌ one');
    outbox.enqueue(AlertPriority.Summary, '📅 Daily summary');
    for (let t = 0; t <= 400; t++) {
      clock.advanceTo(t * 1000);
      for (let i = 0; i < 5; i++) await Promise.resolve();
    }
    await outbox.stop();
    // The error, the digest of the 5 trades, the summary: each tried once.
    expect(attempts).toBe(3);
    expect(outbox.pending).toEqual([]);
    const hint = 'the bot cannot write to the chat: unblock it (or add it back to the group) and check TELEGRAM_CHAT_ID';
    expect(lines.filter((l) => l.level >= 40).map((l) => l.msg)).toEqual([
      `Telegram refused a message, dropped: 403 Forbidden: bot was blocked by the user (${hint})`,
      `Telegram refused 2 more messages, dropped: 403 Forbidden: bot was blocked by the user (${hint}) (×2 in the last 5 min)`,
    ]);
  });
});

describe('Outbox digest of trades', () => {
  it('sends a trade message too long to share a digest on its own, then the others; never an empty digest', async () => {
    const clock = new SimClock(0);
    const sent: string[] = [];
    const send = async (item: OutboxItem): Promise<void> => void sent.push(item.text);
    const outbox = new Outbox({ file: join(mkdtempSync(join(tmpdir(), 'outbox-')), 'outbox.json'), clock, log: pino({ level: 'silent' }), send, paceMs: 1000 });
    const long = `📈 Bought 1 SPY ${'x'.repeat(4070)}`;
    outbox.enqueue(AlertPriority.Trade, long);
    outbox.enqueue(AlertPriority.Trade, '📈 Bought 2 SPY');
    for (let t = 0; t <= 10; t++) {
      clock.advanceTo(t * 1000);
      for (let i = 0; i < 5; i++) await Promise.resolve();
    }
    await outbox.stop();
    expect(sent).toEqual([long, '📈 Bought 2 SPY']);
  });
});
