import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, scratchDir, writeConfig } from './cli.js';

const files = (dir: string): string[] => (existsSync(join(dir, 'state')) ? readdirSync(join(dir, 'state')).sort() : []);

describe('a start that fails changes nothing on disk', () => {
  it('a fresh start that fails (a symbol with no data) leaves the earlier state where it is; --restore then continues from it', async () => {
    const dir = scratchDir();
    const config = writeConfig(dir, (c) => (c.sim.speed = 30_000));
    expect((await runCli(['start', '--config', config, '--duration', '2'], dir)).code).toBe(0);
    const before = readFileSync(join(dir, 'state', 'latest_state.json'), 'utf8');
    const listed = files(dir);
    writeConfig(dir, (c) => {
      c.sim.speed = 30_000;
      c.strategies[0]!['symbols'] = ['NODATA'];
    });
    const failed = await runCli(['start', '--config', config, '--duration', '2'], dir);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain('NODATA');
    expect(files(dir)).toEqual(listed);
    expect(readFileSync(join(dir, 'state', 'latest_state.json'), 'utf8')).toBe(before);
    writeConfig(dir, (c) => (c.sim.speed = 30_000));
    const again = await runCli(['start', '--config', config, '--restore', '--duration', '2'], dir);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('restored from');
  }, 90_000);

  it('--restore with nothing to restore is an error (nothing changed), unless --allow-fresh; unreadable files are never a quiet fresh start', async () => {
    const dir = scratchDir();
    const config = writeConfig(dir, (c) => (c.sim.speed = 30_000));
    const nothing = await runCli(['start', '--config', config, '--restore', '--duration', '2'], dir);
    expect([nothing.code, nothing.stderr.trim().split('\n').length]).toEqual([2, 1]);
    expect(nothing.stderr).toContain('--restore: there is no state file in');
    expect((await runCli(['start', '--config', config, '--restore', '--allow-fresh', '--duration', '2'], dir)).code).toBe(0);
    // Every file unreadable: refused, and the files stay for repair.
    const state = join(dir, 'state', 'latest_state.json');
    const { writeFileSync } = await import('node:fs');
    for (const f of files(dir).filter((x) => x.endsWith('.gz') || x === 'latest_state.json')) writeFileSync(join(dir, 'state', f), 'not a state');
    const broken = await runCli(['start', '--config', config, '--restore', '--allow-fresh', '--duration', '2'], dir);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('no state file in');
    expect(readFileSync(state, 'utf8')).toBe('not a state');
  }, 90_000);
});

describe('what goes wrong on a VPS is one line with a hint, and a non-zero exit', () => {
  it('Alpaca unreachable, a state folder that cannot be made: no stack trace', async () => {
    const dir = scratchDir();
    const config = writeConfig(dir);
    const keys = { ALPACA_API_KEY: 'PKTEST0000000000001', ALPACA_SECRET_KEY: 'secret-secret-secret-1', ALPACA_BASE_URL: 'http://127.0.0.1:59998', ALPACA_DATA_URL: 'http://127.0.0.1:59998', ALPACA_DATA_STREAM_URL: 'ws://127.0.0.1:59998' };
    const unreachable = await runCli(['start', '--config', config], dir, keys);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr.trim().split('\n')).toHaveLength(1);
    expect(unreachable.stderr).toMatch(/^error: cannot reach http:\/\/127\.0\.0\.1:59998: the connection is refused \(ECONNREFUSED\); check the network, DNS and ALPACA_BASE_URL/);
    // state.dir under a file: the folder cannot be made.
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'afile'), 'x');
    const badDir = writeConfig(dir, (c) => (c.state.dir = join(dir, 'afile', 'state')));
    const unwritable = await runCli(['start', '--config', badDir, '--duration', '1'], dir);
    expect(unwritable.code).not.toBe(0);
    expect(unwritable.stderr.trim().split('\n')).toHaveLength(1);
    expect(unwritable.stderr).toContain(join(dir, 'afile'));
    expect(unwritable.stderr).not.toContain('    at ');
  }, 60_000);
});
