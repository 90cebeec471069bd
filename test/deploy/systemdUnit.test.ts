import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseStartArgs, STOP_TIMEOUT_MS } from '../../src/cli/startArgs.js';
import { describeFailure } from '../../src/cli/describeFailure.js';
import { loadConfig } from '../../src/config/loadConfig.js';
import { ConfigError } from '../../src/core/errors.js';
import { strategyParamSchemas } from '../../src/strategies/builtInStrategies.js';

const root = join(import.meta.dirname, '..', '..');
const unitFile = join(root, 'deploy', 'alpaca-paper-daemon.service');
const logrotateFile = join(root, 'deploy', 'logrotate.conf');

/** A unit file's settings by section; a key given twice keeps every value, in order. */
function readUnit(text: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | null = null;
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(\w+)\]$/.exec(line);
    if (header !== null) {
      current = new Map();
      sections.set(header[1]!, current);
      continue;
    }
    const eq = line.indexOf('=');
    if (current === null || eq <= 0) throw new Error(`${unitFile}:${i + 1}: not a setting: ${line}`);
    const key = line.slice(0, eq);
    current.set(key, [...(current.get(key) ?? []), line.slice(eq + 1)]);
  }
  return sections;
}

const unit = readUnit(readFileSync(unitFile, 'utf8'));
const setting = (section: string, key: string): string => {
  const values = unit.get(section)?.get(key);
  if (values === undefined || values.length !== 1) throw new Error(`[${section}] ${key}: expected one value, got ${JSON.stringify(values)}`);
  return values[0]!;
};
const hasSystemdAnalyze = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' }).status === 0;

describe('deploy/alpaca-paper-daemon.service', () => {
  it.skipIf(!hasSystemdAnalyze)(`passes systemd-analyze verify${hasSystemdAnalyze ? '' : ' (skipped: systemd-analyze is not installed on this machine)'}`, () => {
    const r = spawnSync('systemd-analyze', ['verify', unitFile], { encoding: 'utf8' });
    // verify exits 0 on unknown keys and bad values too, but names the unit in a warning.
    const aboutUnit = `${r.stdout}${r.stderr}`.split('\n').filter((l) => l.includes('alpaca-paper-daemon'));
    expect(aboutUnit).toEqual([]);
    expect(r.status).toBe(0);
  });

  it('starts the compiled daemon with flags the start command accepts: restore, and a fresh first start', () => {
    const words = setting('Service', 'ExecStart').split(/\s+/);
    expect(words.slice(0, 4)).toEqual(['/usr/bin/env', 'node', 'dist/main.js', 'start']);
    // The same entry point npm start runs (built by npm install's prepare).
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['start']).toMatch(/exec node dist\/main\.js start$/);
    expect(parseStartArgs(words.slice(4))).toEqual({ config: 'config/paper-trading.json', restore: true, allowFresh: true, verbose: false, duration: null, mode: null, live: false, overrideReadiness: null });
  });

  it('stops with SIGTERM and waits longer than the daemon’s own stop timeout; reloads with SIGHUP', () => {
    expect(setting('Service', 'Type')).toBe('simple');
    expect(setting('Service', 'KillSignal')).toBe('SIGTERM');
    expect(Number(setting('Service', 'TimeoutStopSec')) * 1000).toBeGreaterThan(STOP_TIMEOUT_MS);
    expect(setting('Service', 'ExecReload')).toBe('/bin/kill -HUP $MAINPID');
  });

  it('restarts on failure, with a pause and a limit, but not after bad input (exit 2)', () => {
    expect(setting('Service', 'Restart')).toBe('on-failure');
    expect(Number(setting('Service', 'RestartSec'))).toBeGreaterThan(0);
    expect(Number(setting('Unit', 'StartLimitBurst'))).toBeGreaterThan(1);
    expect(Number(setting('Unit', 'StartLimitIntervalSec'))).toBeGreaterThan(Number(setting('Service', 'RestartSec')));
    expect(setting('Service', 'RestartPreventExitStatus')).toBe(String(describeFailure(new ConfigError('bad state file')).exitCode));
  });

  it('is hardened, yet may write every directory the default configuration writes (state, outbox, history cache, logs)', () => {
    expect(setting('Service', 'NoNewPrivileges')).toBe('yes');
    expect(setting('Service', 'ProtectSystem')).toBe('strict');
    const workdir = setting('Service', 'WorkingDirectory');
    expect(setting('Service', 'EnvironmentFile')).toBe(`-${workdir}/.env`);
    const writable = setting('Service', 'ReadWritePaths').split(/\s+/);
    const config = loadConfig(join(root, 'config', 'paper-trading.json'), { strategyParams: strategyParamSchemas() });
    for (const dir of [config.state.dir, dirname(config.state.dir), config.logging.dir]) {
      const path = join(workdir, dir);
      expect(writable.some((w) => !relative(w, path).startsWith('..')), `${path} is writable`).toBe(true);
    }
  });
});

describe('deploy/logrotate.conf', () => {
  const text = readFileSync(logrotateFile, 'utf8');
  it('rotates both log files of the unit’s working directory by renaming them, then signals the unit’s daemon', () => {
    const workdir = setting('Service', 'WorkingDirectory');
    expect(text).toContain(`${workdir}/logs/paper_engine.log ${workdir}/logs/circuit_breaker.log {`);
    expect(text).not.toMatch(/^\s*copytruncate/m);
    expect(text).toMatch(/^\s*nocreate$/m);
    expect(text).toContain('systemctl show --property=MainPID --value alpaca-paper-daemon.service');
    expect(text).toContain('kill -HUP "$pid"');
    expect(text).toMatch(/^\s*su trader trader$/m);
    expect(setting('Service', 'User')).toBe('trader');
  });
});
