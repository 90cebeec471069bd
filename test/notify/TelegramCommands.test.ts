import { pino, type Logger } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ControlCommands, ControlReply } from '../../src/control/ControlCommands.js';
import type { Clock } from '../../src/core/Clock.js';
import { LiveClock } from '../../src/core/LiveClock.js';
import { SimClock } from '../../src/core/SimClock.js';
import { parseCommand } from '../../src/notify/parseCommand.js';
import { TelegramCommands, type TelegramCommandsOptions } from '../../src/notify/TelegramCommands.js';
import { FakeTelegram } from '../../drill/FakeTelegram.js';

// The parser, spied on (it still parses): proves which messages reach it.
vi.mock('../../src/notify/parseCommand.js', async (importOriginal) => {
  const real = await importOriginal<{ parseCommand: typeof parseCommand }>();
  return { parseCommand: vi.fn(real.parseCommand) };
});

const TOKEN = '123456:abcdefghijklmnopqrstuvwxyz';
/** Quadratic for the regular expression the parser replaced (~0.2 s per message). */
const SLOW_FOR_THE_OLD_REGEX = `/a${' '.repeat(4090)}\nx\ny`;

interface LogLine {
  readonly level: number;
  readonly msg: string;
}

describe('TelegramCommands against a fake Bot API', () => {
  let fake: FakeTelegram;
  let lines: LogLine[];
  let log: Logger;
  let runs: string[][];
  const open: TelegramCommands[] = [];
  const control = {
    run: (words: readonly string[]): ControlReply => (runs.push([...words]), { ok: true, message: words.join(' ') }),
    unknownTarget: (target: string): string | null => (['all', 'account', 'sma'].includes(target) ? null : `unknown strategy "${target}" (known: account, sma, or all)`),
  } as unknown as ControlCommands;
  let positions = 'POSITIONS';
  const views = { status: () => 'STATUS', positions: () => positions, pnl: () => 'PNL', summary: () => 'SUMMARY' };
  const commands = (clock: Clock, o: Partial<TelegramCommandsOptions> = {}): TelegramCommands => {
    const c = new TelegramCommands({ env: { botToken: TOKEN, chatId: '42', apiRoot: fake.apiRoot }, control, views, clock, log, pollSeconds: 0, backoff: { baseMs: 1, maxMs: 2 }, ...o });
    open.push(c);
    return c;
  };
  const nowSeconds = (): number => Math.floor(Date.now() / 1000);
  const logged = (pattern: RegExp): string[] => lines.filter((l) => pattern.test(l.msg)).map((l) => l.msg);
  const polls = (): number => fake.requests.filter((m) => m === 'getUpdates').length;

  beforeEach(async () => {
    fake = new FakeTelegram(TOKEN);
    await fake.start();
    lines = [];
    runs = [];
    positions = 'POSITIONS';
    log = pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s) as LogLine) });
    vi.mocked(parseCommand).mockClear();
  });

  afterEach(async () => {
    for (const c of open.splice(0)) await c.stop();
    await fake.stop();
  });

  it('ignores a /resume all and its /confirm queued while the daemon was down, and logs them', async () => {
    // Sent 30 s ago (less than a minute), before this start.
    const date = nowSeconds() - 30;
    fake.pushMessage(42, '/resume all', { date });
    fake.pushMessage(42, '/confirm', { date });
    const started = Date.now();
    commands(new LiveClock(), { startedAt: started }).start();
    await expect.poll(() => logged(/ignored: sent before this start/).length).toBe(2);
    fake.pushMessage(42, '/status');
    // The owner is told each is ignored now: silence would read as done.
    const sentAt = new Date(date * 1000).toISOString();
    const before = `sent at ${sentAt}, sent before this start (${new Date(started).toISOString()}). Send it again if you still want it.`;
    await expect.poll(() => fake.texts()).toEqual([`⌛ /resume ignored now: ${before}`, `⌛ /confirm ignored now: ${before}`, 'STATUS\nstatus']);
    expect(runs).toEqual([['status']]);
  });

  it('ignores a command older than a minute, even one sent after the start', async () => {
    const t = 1_700_000_000_000;
    const c = commands(new SimClock(t), { startedAt: t - 600_000 });
    await c.handle({ chatId: '42', fromId: '42', date: (t - 90_000) / 1000, text: '/pause all' });
    expect(logged(/ignored: older than a minute/)).toHaveLength(1);
    await c.handle({ chatId: '42', fromId: '42', date: (t - 5_000) / 1000, text: '/pause all' });
    expect(runs).toEqual([['pause', 'all']]);
    expect(fake.texts()).toEqual([`⌛ /pause ignored now: sent at ${new Date(t - 90_000).toISOString()}, older than a minute. Send it again if you still want it.`, '⏸ pause all']);
  });

  it('answers a /resume of a strategy that does not exist at once, without asking for a /confirm', async () => {
    const c = commands(new SimClock(Date.now()));
    await c.handle({ chatId: '42', fromId: '42', date: nowSeconds(), text: '/resume nosuch' });
    await c.handle({ chatId: '42', fromId: '42', date: nowSeconds(), text: '/confirm' });
    expect(fake.texts()).toEqual(['❌ unknown strategy "nosuch" (known: account, sma, or all)', 'nothing to confirm (a /resume is confirmed within a minute)']);
    expect(runs).toEqual([]);
  });

  it('answers with more than 4,096 characters in several messages cut at lines, none lost (Telegram refuses a longer one)', async () => {
    const c = commands(new SimClock(Date.now()));
    const lines = Array.from({ length: 100 }, (_, i) => `s${i}: 10 AAPL @ $150.25 (now $151.00, +$7.50) ${'x'.repeat(10)}`);
    positions = lines.join('\n');
    expect(positions.length).toBeGreaterThan(4096);
    await c.handle({ chatId: '42', fromId: '42', date: nowSeconds(), text: '/positions' });
    expect(fake.texts()).toHaveLength(2);
    expect(fake.texts().join('\n')).toBe(positions);
  });

  it('sends the answer after the wait a 429 asks for, not never', async () => {
    const c = commands(new LiveClock());
    fake.tooMany = { count: 1, retryAfter: 1 };
    await c.handle({ chatId: '42', fromId: '42', date: nowSeconds(), text: '/pnl' });
    expect(fake.texts()).toEqual(['PNL']);
    expect(fake.attempts[1]! - fake.attempts[0]!).toBeGreaterThanOrEqual(950);
    expect(logged(/reply failed/)).toEqual([]);
  });

  it('obeys only the owner (from.id) in the owner’s chat: not another member of that chat', async () => {
    const c = commands(new SimClock(Date.now()));
    await c.handle({ chatId: '42', fromId: '666', date: nowSeconds(), text: '/pause all' });
    await c.handle({ chatId: '42', fromId: null, date: nowSeconds(), text: '/pause all' });
    expect(runs).toEqual([]);
    expect(fake.received).toEqual([]);
    expect(logged(/^Telegram message from user 666 in chat 42 ignored: only user 42 in chat 42 may command/)).toHaveLength(1);
  });

  it('in a group, obeys the owner given by ownerId and no other member, nor the owner’s private chat', async () => {
    commands(new LiveClock(), { env: { botToken: TOKEN, chatId: '-100123', apiRoot: fake.apiRoot }, ownerId: '7' }).start();
    fake.pushMessage(-100123, '/pause all', { fromId: 8 });
    fake.pushMessage(7, '/pause all');
    fake.pushMessage(-100123, '/pause@daemon_test_bot sma', { fromId: 7 });
    await expect.poll(() => fake.texts()).toEqual(['⏸ pause sma']);
    expect(fake.received.map((m) => m.chatId)).toEqual(['-100123']);
    expect(runs).toEqual([['pause', 'sma']]);
    expect(logged(/ignored: only user 7 in chat -100123 may command/)).toHaveLength(2);
  });

  it('rejects a stranger’s 4 KB message before any parsing; parses the owner’s in one pass', async () => {
    const c = commands(new SimClock(Date.now()));
    await c.handle({ chatId: '666', fromId: '666', date: nowSeconds(), text: SLOW_FOR_THE_OLD_REGEX });
    expect(vi.mocked(parseCommand)).not.toHaveBeenCalled();
    expect(logged(/from user 666 in chat 666 ignored/)).toHaveLength(1);
    await c.handle({ chatId: '42', fromId: '42', date: nowSeconds(), text: SLOW_FOR_THE_OLD_REGEX });
    expect(vi.mocked(parseCommand)).toHaveBeenCalledTimes(1);
    expect(fake.texts()[0]).toMatch(/^unknown command \/a\n/);
  });

  it('restarts the poller after every kind of error (bad JSON, 401, 409, 5xx without Telegram’s fields, a failed getMe)', async () => {
    fake.script.push(
      { method: 'getMe', status: 502, body: '{"message":"bad gateway"}' },
      { method: 'getUpdates', status: 200, body: 'not json' },
      { method: 'getUpdates', status: 401, body: '{"ok":false,"error_code":401,"description":"Unauthorized"}' },
      { method: 'getUpdates', status: 409, body: '{"ok":false,"error_code":409,"description":"Conflict: terminated by other getUpdates request"}' },
      { method: 'getUpdates', status: 502, body: '{}' },
      { method: 'getUpdates', status: 500, body: '<html>oops</html>' },
    );
    commands(new LiveClock()).start();
    await expect.poll(() => fake.script.length).toBe(0);
    // Addressed by name: getMe was retried, so the bot knows its name.
    fake.pushMessage(42, '/status@daemon_test_bot');
    await expect.poll(() => fake.texts()).toEqual(['STATUS\nstatus']);
  });

  it('backs off on the injected clock, doubling: no poll until the clock has moved', async () => {
    const clock = new SimClock(Date.now());
    for (let i = 0; i < 3; i++) fake.script.push({ method: 'getUpdates', status: 409, body: '{"ok":false,"error_code":409,"description":"Conflict"}' });
    commands(clock, { backoff: undefined }).start();
    await expect.poll(() => logged(/^Telegram polling failed \(409 Conflict\)/).length).toBe(1);
    expect(polls()).toBe(1);
    clock.advanceTo(clock.now() + 999);
    await new Promise((r) => setTimeout(r, 100));
    expect(polls()).toBe(1);
    clock.advanceTo(clock.now() + 1);
    await expect.poll(polls).toBe(2);
    clock.advanceTo(clock.now() + 1999);
    await new Promise((r) => setTimeout(r, 100));
    expect(polls()).toBe(2);
    clock.advanceTo(clock.now() + 1);
    await expect.poll(polls).toBe(3);
  });

  it('a failing poller logs once, then that it is back (repeats within the window are only counted)', async () => {
    for (let i = 0; i < 25; i++) fake.script.push({ method: 'getUpdates', status: 503, body: '<html>Service Unavailable</html>' });
    commands(new LiveClock()).start();
    await expect.poll(() => logged(/^Telegram polling back/)).toEqual(['Telegram polling back after 25 failed attempts']);
    expect(logged(/^Telegram polling failed/)).toEqual(['Telegram polling failed (Server error 503 on getUpdates); commands wait, retrying with back-off']);
    expect(lines.filter((l) => l.level >= 40)).toHaveLength(1);
  });

  it('a poller failing for longer than the window logs one count for it, on the injected clock', async () => {
    const clock = new SimClock(Date.now());
    for (let i = 0; i < 12; i++) fake.script.push({ method: 'getUpdates', status: 503, body: '<html>Service Unavailable</html>' });
    commands(clock, { backoff: { baseMs: 1000, maxMs: 1000 }, repeatWindowMs: 10_000 }).start();
    // Poll k fails at k-1 seconds; the window of the first failure ends at 10 s, before poll 11.
    for (let k = 1; k <= 12; k++) {
      await expect.poll(polls).toBe(k);
      await expect.poll(() => fake.script.length).toBe(12 - k);
      clock.advanceTo(clock.now() + 1000);
    }
    await expect.poll(() => logged(/^Telegram polling back/)).toEqual(['Telegram polling back after 12 failed attempts']);
    expect(logged(/^Telegram polling failed/)).toEqual([
      'Telegram polling failed (Server error 503 on getUpdates); commands wait, retrying with back-off',
      'Telegram polling failed (last: Server error 503 on getUpdates); commands wait, retrying (×9 in the last 10 s)',
    ]);
    expect(lines.filter((l) => l.level >= 40)).toHaveLength(2);
  });
});

describe('parseCommand', () => {
  it('reads /name[@bot] and its words; anything else is not a command', () => {
    expect(parseCommand('/status')).toEqual({ name: 'status', target: null, args: [] });
    expect(parseCommand('  /Pause   all  ')).toEqual({ name: 'pause', target: null, args: ['all'] });
    expect(parseCommand('/status@Daemon_Test_Bot')).toEqual({ name: 'status', target: 'Daemon_Test_Bot', args: [] });
    expect(parseCommand('/resume\nrsi_banks')).toEqual({ name: 'resume', target: null, args: ['rsi_banks'] });
    expect(parseCommand('/a@b@c x')).toEqual({ name: 'a', target: 'b@c', args: ['x'] });
    for (const text of ['hello /status', '/', '/pause1 all', '/status@', '/ status', '']) expect(parseCommand(text)).toBeNull();
    expect(parseCommand(SLOW_FOR_THE_OLD_REGEX)).toEqual({ name: 'a', target: null, args: ['x', 'y'] });
  });
});
