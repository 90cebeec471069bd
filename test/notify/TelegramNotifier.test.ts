import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { LiveClock } from '../../src/core/LiveClock.js';
import { NetworkError, ParseError, TelegramApiError } from 'node-telegram-bot-api';
import { AlertPriority } from '../../src/notify/Notifier.js';
import { sendFailure } from '../../src/notify/telegramErrors.js';
import { TelegramNotifier } from '../../src/notify/TelegramNotifier.js';
import { FakeTelegram } from '../../drill/FakeTelegram.js';

const TOKEN = '123456:abcdefghijklmnopqrstuvwxyz';

describe('TelegramNotifier through its outbox, against a fake Bot API', () => {
  let fake: FakeTelegram;
  const open: TelegramNotifier[] = [];
  const notifier = (file: string): TelegramNotifier => {
    const n = new TelegramNotifier({ env: { botToken: TOKEN, chatId: '42', apiRoot: fake.apiRoot }, outboxFile: file, clock: new LiveClock(), log: pino({ level: 'silent' }), paceMs: 10 });
    open.push(n);
    return n;
  };
  const outboxFile = (): string => join(mkdtempSync(join(tmpdir(), 'outbox-')), 'telegram_outbox.json');
  const settle = async (predicate: () => boolean, ms = 8000): Promise<void> => {
    await expect.poll(predicate, { timeout: ms, interval: 20 }).toBe(true);
  };

  afterEach(async () => {
    for (const n of open.splice(0)) await n.close();
    await fake.stop();
  });

  it('delivers a trade message to the owner’s chat', async () => {
    fake = new FakeTelegram(TOKEN);
    await fake.start();
    notifier(outboxFile()).notify({ priority: AlertPriority.Trade, text: '📈 Bought 100 AAPL @ $150.25 [sma_fast]' });
    await settle(() => fake.received.length === 1);
    expect(fake.received.map((m) => [m.method, m.chatId, m.text])).toEqual([['sendMessage', '42', '📈 Bought 100 AAPL @ $150.25 [sma_fast]']]);
  });

  it('sends a breaker trip before the trade messages queued ahead of it, and the trades as one digest', async () => {
    fake = new FakeTelegram(TOKEN);
    await fake.start();
    fake.down = true;
    const n = notifier(outboxFile());
    for (let i = 1; i <= 3; i++) n.notify({ priority: AlertPriority.Trade, text: `📈 Bought ${i} SPY` });
    n.notify({ priority: AlertPriority.Risk, text: '🛑 Circuit breaker s1 tripped on max_drawdown' });
    await new Promise((r) => setTimeout(r, 100));
    fake.down = false;
    await settle(() => fake.received.length === 2);
    expect(fake.texts()).toEqual(['🛑 Circuit breaker s1 tripped on max_drawdown', '📊 3 trades\n📈 Bought 1 SPY\n📈 Bought 2 SPY\n📈 Bought 3 SPY']);
  });

  it('sends start/stop notices before the trades queued ahead of them; errors and notices in the order they happened', async () => {
    fake = new FakeTelegram(TOKEN);
    await fake.start();
    fake.down = true;
    const n = notifier(outboxFile());
    n.notify({ priority: AlertPriority.Info, text: '🚀 Daemon started (run 1)' });
    for (let i = 1; i <= 2; i++) n.notify({ priority: AlertPriority.Trade, text: `📈 Bought ${i} SPY` });
    n.notify({ priority: AlertPriority.Summary, text: '📅 Daily summary' });
    n.notify({ priority: AlertPriority.Info, text: '⏹ Daemon stopped (run 1)' });
    n.notify({ priority: AlertPriority.Info, text: '🚀 Daemon started (run 2)' });
    n.notify({ priority: AlertPriority.Error, text: '⚠️ Trade-updates stream down' });
    n.notify({ priority: AlertPriority.Info, text: '✅ Trade-updates stream back' });
    n.notify({ priority: AlertPriority.Trade, text: '📈 Bought 3 SPY' });
    n.notify({ priority: AlertPriority.Risk, text: '🛑 Circuit breaker s1 tripped' });
    await new Promise((r) => setTimeout(r, 100));
    fake.down = false;
    await settle(() => fake.received.length === 8);
    expect(fake.texts()).toEqual([
      '🛑 Circuit breaker s1 tripped',
      '🚀 Daemon started (run 1)',
      '⏹ Daemon stopped (run 1)',
      '🚀 Daemon started (run 2)',
      '⚠️ Trade-updates stream down',
      '✅ Trade-updates stream back',
      '📊 3 trades\n📈 Bought 1 SPY\n📈 Bought 2 SPY\n📈 Bought 3 SPY',
      '📅 Daily summary',
    ]);
  });

  it('retries a 5xx from a Bot API server that answers without Telegram’s error fields (not dropped)', async () => {
    fake = new FakeTelegram(TOKEN);
    await fake.start();
    fake.script.push({ method: 'sendMessage', status: 502, body: '{"message":"bad gateway"}' });
    notifier(outboxFile()).notify({ priority: AlertPriority.Error, text: '❌ something failed' });
    await settle(() => fake.received.length === 1);
    expect(fake.requests).toEqual(['sendMessage', 'sendMessage']);
    expect(fake.texts()).toEqual(['❌ something failed']);
  });

  it('classifies errors: only Telegram’s refusal of the message drops it; 5xx, unknown, bad JSON, a bad token are retried', () => {
    const kind = (e: unknown): string => sendFailure(e).kind;
    expect(kind(new TelegramApiError(400, 'Bad Request: message is too long'))).toBe('rejected');
    expect(kind(new TelegramApiError(403, 'Forbidden: bot was blocked by the user'))).toBe('rejected');
    expect(sendFailure(new TelegramApiError(429, 'Too Many Requests', { retry_after: 3 }))).toEqual({ kind: 'retry_after', ms: 3000 });
    // Every message to a group that became a supergroup is refused: the log names the new chat id.
    expect(sendFailure(new TelegramApiError(400, 'Bad Request: group chat was upgraded to a supergroup chat', { migrate_to_chat_id: -1001234567890 }))).toEqual({
      kind: 'rejected',
      reason: '400 Bad Request: group chat was upgraded to a supergroup chat (set TELEGRAM_CHAT_ID=-1001234567890, the supergroup it became)',
    });
    expect(kind(new TelegramApiError(502, 'Bad Gateway'))).toBe('transient');
    expect(kind(new TelegramApiError(401, 'Unauthorized'))).toBe('transient');
    expect(sendFailure(new TelegramApiError(undefined as unknown as number, undefined as unknown as string))).toEqual({ kind: 'transient', reason: 'an error answer without Telegram’s error fields' });
    expect(kind(new ParseError('Invalid JSON in response to sendMessage'))).toBe('transient');
    expect(kind(new NetworkError('Network request failed: sendMessage'))).toBe('transient');
    expect(kind(new Error('something else'))).toBe('transient');
    expect(kind(undefined)).toBe('transient');
  });

  it('waits out a 429 for its retry_after, then delivers', async () => {
    fake = new FakeTelegram(TOKEN);
    await fake.start();
    fake.tooMany = { count: 1, retryAfter: 2 };
    notifier(outboxFile()).notify({ priority: AlertPriority.Error, text: '❌ something failed' });
    await settle(() => fake.received.length === 1);
    // Telegram asked for 2 s: the second attempt is at least that much later than the first.
    expect(fake.attempts[1]! - fake.attempts[0]!).toBeGreaterThanOrEqual(1_950);
    expect(fake.texts()).toEqual(['❌ something failed']);
  });

  it('splits a 5,000-character summary into two messages at a line boundary', async () => {
    fake = new FakeTelegram(TOKEN);
    await fake.start();
    const lines = Array.from({ length: 100 }, (_, i) => `line ${String(i).padStart(3, '0')} ${'x'.repeat(40)}`);
    const text = lines.join('\n');
    expect(text.length).toBeGreaterThan(4096);
    notifier(outboxFile()).notify({ priority: AlertPriority.Summary, text });
    await settle(() => fake.received.length === 2);
    expect(fake.received.every((m) => m.text.length <= 4096)).toBe(true);
    expect(fake.texts().join('\n')).toBe(text);
  });

  it('cuts a line longer than 4,096 UTF-16 units before an emoji, never inside it (no lone half of a surrogate pair, which arrives as “��”)', async () => {
    fake = new FakeTelegram(TOKEN);
    await fake.start();
    // The emoji is two UTF-16 units, the 4,096th and 4,097th: the cut falls between them.
    const text = `❌ ${'x'.repeat(4093)}😀 rest of the error`;
    notifier(outboxFile()).notify({ priority: AlertPriority.Error, text });
    await settle(() => fake.received.length === 2);
    expect(fake.texts()).toEqual([`❌ ${'x'.repeat(4093)}`, '😀 rest of the error']);
  });

  it('keeps 10 messages on disk while Telegram is down; a restarted notifier sends them all, once each', async () => {
    fake = new FakeTelegram(TOKEN);
    await fake.start();
    fake.down = true;
    const file = outboxFile();
    const first = notifier(file);
    for (let i = 1; i <= 10; i++) first.notify({ priority: AlertPriority.Error, text: `❌ error ${i}` });
    await new Promise((r) => setTimeout(r, 100));
    // The process dies: the notifier is dropped without a goodbye.
    await first.close();
    fake.down = false;
    notifier(file);
    await settle(() => fake.received.length === 10);
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.texts()).toEqual(Array.from({ length: 10 }, (_, i) => `❌ error ${i + 1}`));
  });
});
