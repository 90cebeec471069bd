import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, runCli, scratchDir, spawnCli, waitFor } from './cli.js';

/** Holds 127.0.0.1:`port` (or finds it already held by someone else: taken either way). */
async function hold(port: number): Promise<Server | null> {
  const server = createServer();
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => (e.code === 'EADDRINUSE' ? resolve(null) : reject(e)));
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

const fixture = join(root, 'test', 'fixtures', 'emulator');

describe('npm run emulator', () => {
  it('prints its URLs and the .env lines, replays at --speed, serves --data, and stops on SIGINT', async () => {
    const { child, result } = spawnCli(['emulator', '--port', '0', '--speed', '600', '--data', fixture], scratchDir());
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor(() => out, 'ALPACA_DATA_STREAM_URL=', 20_000);
    const env = Object.fromEntries(
      out
        .split('\n')
        .filter((l) => /^ALPACA_[A-Z_]+=/.test(l))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    expect(Object.keys(env)).toEqual(['ALPACA_API_KEY', 'ALPACA_SECRET_KEY', 'ALPACA_BASE_URL', 'ALPACA_DATA_URL', 'ALPACA_DATA_STREAM_URL']);
    expect(env['ALPACA_BASE_URL']).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(env['ALPACA_DATA_URL']).toBe(env['ALPACA_BASE_URL']);
    expect(env['ALPACA_DATA_STREAM_URL']).toBe(env['ALPACA_BASE_URL']!.replace('http:', 'ws:'));
    expect(out).toContain('(2 symbols) from 2019-02-11T09:29:00-05:00 at 600x');
    const headers = { 'APCA-API-KEY-ID': env['ALPACA_API_KEY']!, 'APCA-API-SECRET-KEY': env['ALPACA_SECRET_KEY']! };
    const assets = (await (await fetch(`${env['ALPACA_BASE_URL']}/v2/assets`, { headers })).json()) as Array<{ symbol: string }>;
    expect(assets.map((a) => a.symbol)).toEqual(['AAPL', 'SPY']);
    // At 600× the market opens (09:30) within about 6 s of wall time.
    await expect
      .poll(async () => ((await (await fetch(`${env['ALPACA_BASE_URL']}/v2/clock`, { headers })).json()) as { is_open: boolean }).is_open, { timeout: 20_000, interval: 200 })
      .toBe(true);
    child.kill('SIGINT');
    const r = await result;
    expect(r.code).toBe(0);
    // .env.example carries the same lines for the default port, commented out.
    const example = readFileSync(join(root, '.env.example'), 'utf8')
      .split('\n')
      .filter((l) => /^# ALPACA_[A-Z_]+=.*(PKEMULATOR|emulator-secret|127\.0\.0\.1)/.test(l))
      .map((l) => l.slice(2));
    const port = new URL(env['ALPACA_BASE_URL']!).port;
    expect(example).toEqual(Object.entries(env).map(([k, v]) => `${k}=${v.replace(`:${port}`, ':8765')}`));
  });

  it('listens on 8765 unless told otherwise; a port in use is one line and exit 2', async () => {
    const held = await hold(8765);
    try {
      const r = await runCli(['emulator', '--data', fixture], scratchDir());
      expect([r.code, r.stdout, r.stderr]).toEqual([2, '', 'error: --port 8765: 127.0.0.1:8765 is in use (an emulator still running? stop it, or give another port; --port 0 picks a free one)\n']);
    } finally {
      held?.close();
    }
  });

  it('--start-when-connected says the market waits for the daemon; --paused says how to resume', async () => {
    for (const [flag, line] of [
      ['--start-when-connected', 'from 2019-02-11T09:29:00-05:00 at 600x, held until a client subscribes to the data stream\n'],
      ['--paused', `from 2019-02-11T09:29:00-05:00 at 600x, paused\n`],
    ] as const) {
      const { child, result } = spawnCli(['emulator', '--port', '0', '--speed', '600', '--data', fixture, flag], scratchDir());
      let out = '';
      child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      await waitFor(() => out, 'ALPACA_DATA_STREAM_URL=', 20_000);
      expect(out).toContain(line);
      const admin = /^ {2}admin {10}(\S+)\/status$/m.exec(out)![1]!;
      expect(out.includes(`  resume with    curl -X POST -d '{"action":"resume"}' ${admin}/clock\n`)).toBe(flag === '--paused');
      const status = (await (await fetch(`${admin}/status`)).json()) as { paused: boolean; waiting_for_client: boolean };
      expect(status).toMatchObject({ paused: true, waiting_for_client: flag === '--start-when-connected' });
      child.kill('SIGTERM');
      expect((await result).code).toBe(0);
    }
  });

  it('refuses bad flags with one clear message and exit 2', async () => {
    const dir = scratchDir();
    const cases: Array<[string[], string]> = [
      [['--speed', '0'], '--speed: invalid value "0"'],
      [['--data', '/nonexistent'], '--data: no folder /nonexistent'],
      [['--fault', '{"type":"latency","api":"trading","ms":-1}'], '--fault {"type":"latency","api":"trading","ms":-1}: ms:'],
      [['--host', '0.0.0.0'], '--host: the emulator listens on loopback only'],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(['emulator', ...args], dir);
      expect([r.code, r.stderr.split('\n').filter((l) => l !== '').length]).toEqual([2, 1]);
      expect(r.stderr).toContain(message);
    }
  });

  it('takes its keys from EMULATOR_KEY / EMULATOR_SECRET, so the secret is not on its command line (ps)', async () => {
    const { child } = spawnCli(['emulator', '--port', '0', '--data', fixture], scratchDir(), { EMULATOR_KEY: 'PKFROMENV0000000001', EMULATOR_SECRET: 'secret-from-the-environment' });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor(() => out, 'ALPACA_DATA_STREAM_URL=', 20_000);
    expect(out).toContain('ALPACA_API_KEY=PKFROMENV0000000001');
    expect(out).toContain('ALPACA_SECRET_KEY=secret-from-the-environment');
    child.kill('SIGINT');
  });
});
