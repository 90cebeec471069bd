import { chownSync, lstatSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonLines, scratchDir, spawnCli, runCli, waitFor, writeConfig } from './cli.js';

const mode = (p: string): number => lstatSync(p).mode & 0o777;

/** Runs `start` with umask 000 inherited by the daemon (restored here at once). */
function spawnUnderUmask000(args: readonly string[], cwd: string): ReturnType<typeof spawnCli> {
  const umask = process.umask(0);
  try {
    return spawnCli(args, cwd);
  } finally {
    process.umask(umask);
  }
}

describe('local access to a running daemon', () => {
  it('under umask 000 every file, directory and the control socket is owner-only, and an idle control connection does not hold up a graceful stop', async () => {
    const dir = scratchDir();
    const config = writeConfig(dir, (c) => (c.state.snapshot_interval_s = 3600));
    const { child, result } = spawnUnderUmask000(['start', '--config', config], dir);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor(() => out, 'daemon running', 20_000);

    const state = join(dir, 'state');
    const logs = join(dir, 'logs');
    expect(mode(state)).toBe(0o700);
    expect(mode(logs)).toBe(0o700);
    expect(mode(join(state, 'control.sock'))).toBe(0o600);
    expect(mode(join(state, 'runs.json'))).toBe(0o600);
    expect(mode(join(logs, 'paper_engine.log'))).toBe(0o600);
    expect(mode(join(logs, 'circuit_breaker.log'))).toBe(0o600);

    // A client that connects and says nothing (the daemon used to wait for it, then exit 1 after 5 s).
    const idle = createConnection(join(state, 'control.sock'));
    await new Promise<void>((resolve, reject) => idle.once('connect', resolve).once('error', reject));
    const idleClosed = new Promise<void>((resolve) => idle.once('close', () => resolve()));
    child.kill('SIGINT');
    const r = await result;
    await idleClosed;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // The stop went all the way: final state file and backup, both 0600, and the last log line.
    expect(mode(join(state, 'latest_state.json'))).toBe(0o600);
    const backups = readdirSync(state).filter((f) => f.endsWith('.json.gz'));
    expect(backups.length).toBeGreaterThanOrEqual(1);
    for (const b of backups) expect(mode(join(state, b))).toBe(0o600);
    expect(jsonLines(join(logs, 'paper_engine.log')).at(-1)).toMatchObject({ component: 'engine', msg: 'stopped' });
  });

  it('refuses a state directory that is a symbolic link with one message and exit 2', async () => {
    const dir = scratchDir();
    mkdirSync(join(dir, 'elsewhere'));
    symlinkSync(join(dir, 'elsewhere'), join(dir, 'state'));
    const config = writeConfig(dir);
    const r = await runCli(['start', '--config', config, '--duration', '2'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `error: state.dir: ${join(dir, 'state')} is a symbolic link; the daemon uses only a directory of its own, never one reached through a link (give the real path, or remove the link)\n`,
    );
  });

  it.skipIf(process.getuid?.() !== 0)('refuses a state directory that belongs to another user with one message and exit 2', async () => {
    const dir = scratchDir();
    mkdirSync(join(dir, 'state'));
    chownSync(join(dir, 'state'), 65534, 65534);
    const config = writeConfig(dir);
    const r = await runCli(['start', '--config', config, '--duration', '2'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^error: state\\.dir: ${join(dir, 'state')} belongs to another user \\(uid 65534; this process runs as uid 0\\); the daemon refuses a directory it does not own`));
    expect(r.stderr.split('\n')).toHaveLength(2);
  });
});
