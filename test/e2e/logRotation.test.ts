import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, scratchDir, spawnCli, waitFor, writeConfig } from './cli.js';

const rawLines = (file: string): string[] => readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
const msg = (line: string): string => (JSON.parse(line) as { msg: string }).msg;
const isFill = (line: string): boolean => (JSON.parse(line) as { component?: string }).component === 'trades';
const hasLogrotate = spawnSync('logrotate', ['--version'], { encoding: 'utf8' }).status === 0;

/** The lines of the two files hold every line once, in time order, and every fill the saved state counts. */
function expectContinuous(before: string[], after: string[], dir: string): void {
  const all = [...before, ...after];
  expect(new Set(all).size).toBe(all.length);
  const times = all.map((l) => Date.parse((JSON.parse(l) as { time: string }).time));
  expect(times).toEqual([...times].sort((a, b) => a - b));
  const state = JSON.parse(readFileSync(join(dir, 'state', 'latest_state.json'), 'utf8')) as { performance: { fills: number } };
  expect(before.filter(isFill).length).toBeGreaterThan(0);
  expect(after.filter(isFill).length).toBeGreaterThan(0);
  expect(before.filter(isFill).length + after.filter(isFill).length).toBe(state.performance.fills);
}

/** Starts the daemon offline in `dir`; resolves once its log has a fill. */
async function startTrading(dir: string) {
  const config = writeConfig(dir, (c) => (c.sim.speed = 3000));
  const log = join(dir, 'logs', 'paper_engine.log');
  const p = spawnCli(['start', '--config', config], dir);
  let out = '';
  p.child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  await waitFor(() => out, 'daemon running', 20_000);
  await waitFor(() => String(rawLines(log).filter(isFill).length > 0), 'true', 20_000);
  return { ...p, log, out: () => out };
}

describe('log rotation without copytruncate (logrotate renames, then SIGHUP)', () => {
  it('a daemon that gets SIGHUP after its log was renamed goes on in a new file: no line lost or written twice', async () => {
    const dir = scratchDir();
    const d = await startTrading(dir);
    try {
      // What logrotate does (no copytruncate): rename the files, then its postrotate signals the daemon.
      renameSync(d.log, `${d.log}.1`);
      renameSync(join(dir, 'logs', 'circuit_breaker.log'), join(dir, 'logs', 'circuit_breaker.log.1'));
      d.child.kill('SIGHUP');
      await waitFor(d.out, 'SIGHUP: log files reopened', 10_000);
      // Trading goes on into the new file.
      await waitFor(() => String(rawLines(d.log).filter(isFill).length > 0), 'true', 20_000);
    } finally {
      d.child.kill('SIGINT');
    }
    const r = await d.result;
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const before = rawLines(`${d.log}.1`);
    const after = rawLines(d.log);
    // The new file starts with the reopen and ends with the stop; the old one has everything before.
    expect(msg(after[0]!)).toBe('SIGHUP: log files reopened');
    expect(msg(after.at(-1)!)).toBe('stopped');
    expect(before.some((l) => msg(l).startsWith('daemon running (run '))).toBe(true);
    expectContinuous(before, after, dir);
  });

  it.skipIf(!hasLogrotate)(`logrotate with deploy/logrotate.conf rotates a running daemon's log${hasLogrotate ? '' : ' (skipped: logrotate is not installed on this machine)'}`, async () => {
    const dir = scratchDir();
    const d = await startTrading(dir);
    try {
      // The shipped configuration, pointed at this daemon: its directory, this user, and the
      // signal sent straight to the child (there is no systemd unit to ask for its MainPID here).
      const user = userInfo();
      const conf = readFileSync(join(root, 'deploy', 'logrotate.conf'), 'utf8')
        .replaceAll('/home/trader/alpaca-paper-daemon', dir)
        .replace(/^(\s*)su trader trader$/m, user.uid === 0 ? '$1su root root' : '')
        .replace(/^\s*pid=\$\(systemctl show .*\n/m, `        pid=${d.child.pid}\n`);
      expect(conf).toContain(`pid=${d.child.pid}`);
      writeFileSync(join(dir, 'logrotate.conf'), conf, { mode: 0o644 });
      const r = spawnSync('logrotate', ['--force', '--state', join(dir, 'logrotate.state'), join(dir, 'logrotate.conf')], { encoding: 'utf8' });
      expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
      await waitFor(d.out, 'SIGHUP: log files reopened', 10_000);
      await waitFor(() => String(rawLines(d.log).filter(isFill).length > 0), 'true', 20_000);
    } finally {
      d.child.kill('SIGINT');
    }
    expect((await d.result).code).toBe(0);
    // dateext: paper_engine.log-YYYYMMDD, left uncompressed (delaycompress); circuit_breaker.log was empty (notifempty).
    const rotated = readdirSync(join(dir, 'logs')).filter((f) => f.startsWith('paper_engine.log-'));
    expect(rotated).toHaveLength(1);
    expect(rotated[0]).toMatch(/^paper_engine\.log-\d{8}$/);
    expect(readdirSync(join(dir, 'logs')).filter((f) => f.startsWith('circuit_breaker.log')).sort()).toEqual(['circuit_breaker.log']);
    const before = rawLines(join(dir, 'logs', rotated[0]!));
    const after = rawLines(d.log);
    expect(msg(after[0]!)).toBe('SIGHUP: log files reopened');
    expectContinuous(before, after, dir);
  });
});
