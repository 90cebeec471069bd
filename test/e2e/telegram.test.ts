import { describe, expect, it } from 'vitest';
import { FakeTelegram } from '../notify/fakeTelegram.js';
import { runCli, scratchDir, writeConfig } from './cli.js';

const TOKEN = '123456:abcdefghijklmnopqrstuvwxyz';

describe('Telegram alerts from the daemon (fake Bot API)', () => {
  it('announces the start, sends trades as they fill (bursts as digests) and says goodbye', async () => {
    const fake = new FakeTelegram(TOKEN);
    await fake.start();
    try {
      const dir = scratchDir();
      const r = await runCli(['start', '--config', writeConfig(dir), '--duration', '12'], dir, { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_CHAT_ID: '42', TELEGRAM_API_ROOT: fake.apiRoot });
      expect(r.code).toBe(0);
      const texts = fake.texts();
      expect(texts[0]).toBe('🚀 Daemon started (offline simulation): 5 strategies on 12 symbols');
      expect(texts.some((t) => /📈 Bought \d+ [A-Z]+ @ \$[\d,.]+/.test(t))).toBe(true);
      expect(texts[texts.length - 1]).toMatch(/^⏹ Daemon stopped \(--duration 12s elapsed\)\. P&L [+-]\$/);
      expect(fake.received.every((m) => m.chatId === '42')).toBe(true);
      expect(r.stdout).not.toContain(TOKEN);
    } finally {
      await fake.stop();
    }
  });
});
