import { describe, expect, it } from 'vitest';
import { runCli, scratchDir, writeConfig } from './cli.js';

describe('npm run check', () => {
  it('passes on a good installation and configuration', async () => {
    const dir = scratchDir();
    const r = await runCli(['check', '--config', writeConfig(dir)], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('✗');
    expect(r.stdout).toContain('✓ configuration');
    expect(r.stdout).toContain('5 enabled strategies');
    expect(r.stdout).toContain('✓ sample data for offline mode: 12 symbols at 1Min');
    expect(r.stdout).toContain('All checks passed.');
  });

  it('names what is wrong and exits 1', async () => {
    const dir = scratchDir();
    const file = writeConfig(dir, (c) => (c.sim.data_dir = dir));
    const r = await runCli(['check', '--config', file], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`✗ sample data for offline mode: ${dir}: no 1Min bars for`);
    expect(r.stdout).toContain('1 check(s) failed.');
  });
});

describe('npm run check with Alpaca keys and a Telegram bot', () => {
  it('checks the account, the market clock and the bot token; a refused key or a blocked account is a ✗ with a hint', async () => {
    const { createServer } = await import('node:http');
    const { startEmulator, KEY, SECRET } = await import('../emulator/harness.js');
    const { admin } = await import('../emulator/wsClient.js');
    const t = await startEmulator();
    const bot = createServer((req, res) => {
      const answer = (status: number, body: unknown): void => void res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
      const url = new URL(req.url ?? '/', 'http://bot');
      if (!url.pathname.startsWith('/bot123456:abcdefghijklmnopqrstuvwxyz/')) return answer(401, { ok: false, error_code: 401, description: 'Unauthorized' });
      if (url.pathname.endsWith('/getMe')) return answer(200, { ok: true, result: { username: 'daemon_test_bot' } });
      // Telegram knows only the chats where the bot was written to (or added): 42 here.
      if (url.searchParams.get('chat_id') === '42') return answer(200, { ok: true, result: { id: 42, type: 'private' } });
      return answer(400, { ok: false, error_code: 400, description: 'Bad Request: chat not found' });
    });
    await new Promise<void>((r) => bot.listen(0, '127.0.0.1', () => r()));
    const botRoot = `http://127.0.0.1:${(bot.address() as { port: number }).port}`;
    try {
      const dir = scratchDir();
      const config = writeConfig(dir);
      const env = { ALPACA_API_KEY: KEY, ALPACA_SECRET_KEY: SECRET, ALPACA_BASE_URL: t.urls.baseUrl, ALPACA_DATA_URL: t.urls.dataUrl, ALPACA_DATA_STREAM_URL: t.urls.dataStreamUrl, TELEGRAM_BOT_TOKEN: '123456:abcdefghijklmnopqrstuvwxyz', TELEGRAM_CHAT_ID: '42', TELEGRAM_API_ROOT: botRoot };
      const good = await runCli(['check', '--config', config], dir, env);
      expect(good.code).toBe(0);
      expect(good.stdout).toContain(`✓ Alpaca account: PAEMULATOR1 ACTIVE at ${t.urls.baseUrl} (paper): equity $100000.00, buying power $100000.00`);
      expect(good.stdout).toContain('✓ Alpaca market clock: market closed; next open 2019-02-11T14:30:00.000Z');
      expect(good.stdout).toContain('✓ Telegram bot: @daemon_test_bot will write to chat 42');
      const refused = await runCli(['check', '--config', config], dir, { ...env, ALPACA_SECRET_KEY: 'wrong', TELEGRAM_BOT_TOKEN: '123456:zyxwvutsrqponmlkjihgfedcba' });
      expect(refused.code).toBe(1);
      expect(refused.stdout).toMatch(/✗ Alpaca account: ALPACA_API_KEY \/ ALPACA_SECRET_KEY: .* refused them \(401/);
      expect(refused.stdout).toContain('(hint: check ALPACA_API_KEY');
      expect(refused.stdout).toContain('✗ Telegram bot: ' + botRoot + ' refused the token (401 Unauthorized)');
      expect(refused.stdout).not.toContain('zyxwvutsrqponmlkjihgfedcba');
      // A good token with a chat the bot cannot write to: every alert would be refused.
      const noChat = await runCli(['check', '--config', config], dir, { ...env, TELEGRAM_CHAT_ID: '43' });
      expect(noChat.code).toBe(1);
      expect(noChat.stdout).toContain('✗ Telegram bot: @daemon_test_bot cannot write to chat 43 (400 Bad Request: chat not found): send the bot a message from that chat first (a group: add the bot to it), and check TELEGRAM_CHAT_ID');
      expect(noChat.stdout).not.toContain('abcdefghijklmnopqrstuvwxyz');
      await admin(t.urls.adminUrl, '/account', { trading_blocked: true });
      const blocked = await runCli(['check', '--config', config], dir, env);
      expect(blocked.stdout).toContain('✗ Alpaca account: the Alpaca account PAEMULATOR1 is blocked (trading_blocked)');
    } finally {
      bot.close();
      await t.stop();
    }
  });
});
