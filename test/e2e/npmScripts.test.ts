import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, scratchDir, waitFor, writeConfig } from './cli.js';

interface NpmRun {
  readonly pid: number;
  readonly stdout: () => string;
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/**
 * `npm <args>` in the project, as a user types it, in a process group of its own (as a terminal
 * puts a foreground job). The variables the daemon reads are blanked, so a developer's own `.env`
 * (read from the project folder) cannot send the test to Alpaca or Telegram.
 */
function npm(args: readonly string[]): NpmRun {
  const child = spawn('npm', args, {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? root,
      npm_config_update_notifier: 'false',
      ALPACA_API_KEY: '',
      ALPACA_SECRET_KEY: '',
      APCA_API_KEY_ID: '',
      APCA_API_SECRET_KEY: '',
      TELEGRAM_BOT_TOKEN: '',
      TELEGRAM_CHAT_ID: '',
    },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { pid: child.pid!, stdout: () => stdout, exit };
}

const savedAt = (dir: string): number => Date.parse((JSON.parse(readFileSync(join(dir, 'state', 'latest_state.json'), 'utf8')) as { timestamp: string }).timestamp);

/** `npm start` on a scratch configuration, offline, running; the state file it wrote at start. */
async function startDaemon(): Promise<{ dir: string; run: NpmRun; firstSave: number }> {
  const dir = scratchDir();
  const config = writeConfig(dir, (c) => (c.state.snapshot_interval_s = 3600));
  const run = npm(['start', '--', '--config', config, '--mode', 'sim']);
  // The first run after a change in src/ builds dist/ first (esbuild).
  await waitFor(run.stdout, 'daemon running', 60_000);
  const firstSave = savedAt(dir);
  await new Promise((r) => setTimeout(r, 20));
  return { dir, run, firstSave };
}

describe('npm scripts as a user runs them', () => {
  it('SIGTERM to npm stops the daemon (npm forwards it): final state written, the control socket gone, npm exits 0', async () => {
    const { dir, run, firstSave } = await startDaemon();
    process.kill(run.pid, 'SIGTERM');
    const r = await run.exit;
    expect([r.code, r.signal]).toEqual([0, null]);
    expect(r.stdout).toContain('SIGTERM: stopping (at most 5 s)');
    expect(r.stdout).toContain('Daemon stopped (SIGTERM)');
    expect(savedAt(dir)).toBeGreaterThan(firstSave);
    expect(existsSync(join(dir, 'state', 'control.sock'))).toBe(false);
  });

  it('Ctrl+C (SIGINT to the whole process group: npm and the daemon, then npm forwards a second one) stops it once and npm exits 0', async () => {
    const { dir, run, firstSave } = await startDaemon();
    process.kill(-run.pid, 'SIGINT');
    // npm's forwarded copy can arrive after the daemon began its stop (a race: a daemon that listened
    // once died of it, and npm exited 130); send one at that moment so the test does not hang on the race.
    await waitFor(run.stdout, 'SIGINT: stopping (at most 5 s)', 10_000);
    try {
      process.kill(-run.pid, 'SIGINT');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
    const r = await run.exit;
    expect([r.code, r.signal]).toEqual([0, null]);
    expect(r.stdout.match(/SIGINT: stopping \(at most 5 s\)/g)).toHaveLength(1);
    expect(r.stdout).toContain('Daemon stopped (SIGINT)');
    expect(savedAt(dir)).toBeGreaterThan(firstSave);
    expect(existsSync(join(dir, 'state', 'control.sock'))).toBe(false);

    // The saved state is then readable by `npm run -s status -- --json` through a pipe: JSON alone on stdout.
    const config = join(dir, 'config.json');
    const quiet = await npm(['run', '-s', 'status', '--', '--config', config, '--json']).exit;
    expect([quiet.code, quiet.stderr]).toEqual([0, '']);
    const status = JSON.parse(quiet.stdout) as { mode: string; strategies: Array<{ id: string }> };
    expect(status.mode).toBe('sim');
    expect(status.strategies.map((s) => s.id)).toEqual(['sma_fast_index', 'sma_slow_tech', 'sma_momentum', 'rsi_banks', 'rsi_fast_etf']);
    // Without -s, npm 11 prints its banner on stdout before the script's output (docs/command-line.md).
    const loud = await npm(['run', 'status', '--', '--config', config, '--json']).exit;
    expect([loud.code, loud.stderr]).toEqual([0, 'note: npm printed its banner on stdout ahead of this JSON; for a pipe, silence npm: npm run -s status -- --json\n']);
    expect(loud.stdout.startsWith('\n> alpaca-paper-daemon@0.1.0 status\n')).toBe(true);
    expect(JSON.parse(loud.stdout.slice(loud.stdout.indexOf('\n{') + 1))).toEqual(status);
  });

  it('npm start -- --help prints the usage and exits 0; an unknown option is one line and exit 2', async () => {
    const help = await npm(['start', '-s', '--', '--help']).exit;
    expect(help.code).toBe(0);
    expect(help.stdout.split('\n')[0]).toBe('usage: npm start -- [options]');
    expect(help.stdout).toContain('  -h, --help  ');
    const bad = await npm(['start', '-s', '--', '--bogus']).exit;
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('error: start: unknown option --bogus (npm start -- --help lists the options)\n');
  });
});
