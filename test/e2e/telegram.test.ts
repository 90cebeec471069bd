import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeTelegram } from '../../drill/FakeTelegram.js';
import { decodePng } from '../notify/decodePng.js';
import { runCli, scratchDir, writeConfig } from './cli.js';

const TOKEN = '123456:abcdefghijklmnopqrstuvwxyz';

describe('Telegram alerts from the daemon (fake Bot API)', () => {
  it('announces the start, sends trades as they fill (bursts as digests), a daily summary with its chart, and says goodbye', async () => {
    const fake = new FakeTelegram(TOKEN);
    await fake.start();
    try {
      const dir = scratchDir();
      // 6000×: the 12th's close comes a few seconds into the 12 s run, leaving room for a busy machine
      // (the replay skips the night, so a fast machine reaches the 13th's close too).
      const r = await runCli(['start', '--config', writeConfig(dir, (c) => (c.sim.speed = 6000)), '--duration', '12'], dir, { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_CHAT_ID: '42', TELEGRAM_API_ROOT: fake.apiRoot });
      expect(r.code).toBe(0);
      const texts = fake.texts();
      expect(texts[0]).toBe('🚀 Daemon started (offline simulation): 5 strategies on 12 symbols');
      expect(texts.some((t) => /📈 Bought \d+ [A-Z]+ @ \$[\d,.]+/.test(t))).toBe(true);
      // What Telegram had not taken within the stop's two seconds waits in the outbox for the next start.
      const queued = (JSON.parse(readFileSync(join(dir, 'telegram_outbox.json'), 'utf8')) as { items: Array<{ text: string; photo?: string }> }).items;
      const all = [...texts, ...queued.map((i) => i.text)];
      expect(all.filter((t) => /^⏹ Daemon stopped \(--duration 12s elapsed\)\. P&L [+-]\$/.test(t))).toHaveLength(1);
      expect(fake.received.every((m) => m.chatId === '42')).toBe(true);
      // The stop goes ahead of the last trades and the summary comes after them: it may still be queued.
      const photos = [...fake.received.filter((m) => m.method === 'sendPhoto'), ...queued.filter((i) => i.photo !== undefined).map((i) => ({ text: i.text, photo: new Uint8Array(Buffer.from(i.photo!, 'base64')) }))];
      // Each traded close has its summary at the close (the 12th's is not held until a bar of the 13th);
      // the 11th is the warm-up's day, which the daemon did not trade.
      const heads = photos.map((p) => p.text.split('\n')[0]);
      expect(heads.length).toBeGreaterThan(0);
      expect(heads).toEqual(['2019-02-12', '2019-02-13', '2019-02-14', '2019-02-15'].slice(0, heads.length).map((d) => `📅 Daily summary ${d}`));
      const summary = photos[0];
      expect(summary?.text).toMatch(/^📅 Daily summary 2019-02-12\nAccount \$[\d,.]+ · strategies [+-]\$/);
      expect(summary?.text).toContain('• rsi_banks: ');
      const png = decodePng(summary!.photo!);
      expect([png.width, png.height]).toEqual([800, 400]);
      expect(r.stdout).not.toContain(TOKEN);
    } finally {
      await fake.stop();
    }
  });
});

describe('Telegram commands (fake Bot API)', () => {
  it('obeys only the owner in the owner’s chat, only commands sent since the start, only when addressed to this bot; /pause all blocks entries and is saved', async () => {
    const fake = new FakeTelegram(TOKEN);
    await fake.start();
    try {
      // Queued while the daemon was down: must not override the breakers it restores.
      const date = Math.floor(Date.now() / 1000) - 20;
      fake.pushMessage(42, '/resume all', { date });
      fake.pushMessage(42, '/confirm', { date });
      const dir = scratchDir();
      const { spawnCli } = await import('./cli.js');
      const run = spawnCli(['start', '--config', writeConfig(dir), '--duration', '30'], dir, { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_CHAT_ID: '42', TELEGRAM_API_ROOT: fake.apiRoot });
      await expect.poll(() => fake.texts().some((t) => t.startsWith('🚀 Daemon started')), { timeout: 20_000 }).toBe(true);
      fake.pushMessage(666, '/pause all');
      // Another member of the owner's chat (a group): only chat.id was checked before.
      fake.pushMessage(42, '/pause all', { fromId: 666 });
      fake.pushMessage(42, '/status@someotherbot');
      fake.pushMessage(42, '/pause all');
      await expect.poll(() => fake.texts().find((t) => t.startsWith('⏸')), { timeout: 10_000 }).toBe('⏸ paused: account, sma_fast_index, sma_slow_tech, sma_momentum, rsi_banks, rsi_fast_etf');
      fake.pushMessage(42, '/resume rsi_banks');
      await expect.poll(() => fake.texts().some((t) => t.startsWith('Resume rsi_banks?')), { timeout: 10_000 }).toBe(true);
      run.child.kill('SIGTERM');
      const r = await run.result;
      expect(r.code).toBe(0);
      // The stale commands are answered as ignored now; nothing answered the strangers or the command meant for another bot.
      const stale = (command: string): RegExp => new RegExp(`^⌛ /${command} ignored now: sent at ${new Date(date * 1000).toISOString().replace(/\./g, '\\.')}, sent before this start \\(\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\)\\. Send it again if you still want it\\.$`);
      expect(fake.texts().filter((t) => !/^(🚀|📈|📉|📊|🛑|✅|⏹|📅)/.test(t))).toEqual([
        expect.stringMatching(stale('resume')),
        expect.stringMatching(stale('confirm')),
        '⏸ paused: account, sma_fast_index, sma_slow_tech, sma_momentum, rsi_banks, rsi_fast_etf',
        'Resume rsi_banks? Entries will be allowed again. Send /confirm within a minute.',
      ]);
      const state = JSON.parse(readFileSync(join(dir, 'state', 'latest_state.json'), 'utf8')) as { circuitBreaker: { state: string }; strategies: Record<string, { circuitBreaker: { state: string; trip: { rule: string } } }> };
      expect(state.circuitBreaker.state).toBe('PAUSED');
      expect(Object.values(state.strategies).map((s) => [s.circuitBreaker.state, s.circuitBreaker.trip.rule])).toEqual(Array.from({ length: 5 }, () => ['PAUSED', 'manual']));
      expect(r.stdout).toContain('Telegram message from user 666 in chat 666 ignored');
      expect(r.stdout).toContain('Telegram message from user 666 in chat 42 ignored');
      expect(r.stdout.match(/ignored: sent before this start/g)).toHaveLength(2);
    } finally {
      await fake.stop();
    }
  });
});

describe('the Telegram outbox across a crash', () => {
  it('kill -9 with messages queued while Telegram is down: after a restart each arrives once', async () => {
    const fake = new FakeTelegram(TOKEN);
    await fake.start();
    fake.down = true;
    try {
      const dir = scratchDir();
      const { spawnCli } = await import('./cli.js');
      const { existsSync } = await import('node:fs');
      const env = { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_CHAT_ID: '42', TELEGRAM_API_ROOT: fake.apiRoot };
      const config = writeConfig(dir, (c) => (c.sim.speed = 3000));
      const outbox = join(dir, 'telegram_outbox.json');
      const queued = (): string[] => (existsSync(outbox) ? (JSON.parse(readFileSync(outbox, 'utf8')) as { items: Array<{ text: string }> }).items.map((i) => i.text) : []);
      const first = spawnCli(['start', '--config', config, '--duration', '60'], dir, env);
      await expect.poll(() => queued().length, { timeout: 30_000, interval: 100 }).toBeGreaterThanOrEqual(10);
      first.child.kill('SIGKILL');
      await first.result;
      const waiting = queued();
      expect(fake.received).toEqual([]);
      fake.down = false;
      // A slow replay now: few new messages, time for the queue of the crashed run to drain (a second each).
      const calm = writeConfig(dir, (c) => (c.sim.speed = 1));
      const second = await runCli(['start', '--config', calm, '--duration', String(Math.min(40, waiting.length * 1.2 + 4)), '--restore'], dir, env);
      expect(second.code).toBe(0);
      // Trades may travel together as a digest: count lines across what arrived.
      const lines = fake.texts().flatMap((t) => t.split('\n'));
      for (const text of waiting) {
        const textLines = text.split('\n');
        expect([text, lines.filter((l) => l === textLines[0]).length]).toEqual([text, 1]);
      }
    } finally {
      await fake.stop();
    }
  });
});
