import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonLines, runCli, scratchDir, writeConfig } from './cli.js';

const BANNER = /^════+$/;

describe('what stdout shows (logging.console)', () => {
  it('auto under systemd: the banner, then warnings and errors only, each with its syslog priority; the file has every line', async () => {
    const dir = scratchDir();
    const config = writeConfig(dir, (c) => (c.sim.speed = 6000));
    // The unit's own flags on a first start: --allow-fresh says (warn) that it starts fresh.
    const r = await runCli(['start', '--config', config, '--restore', '--allow-fresh', '--duration', '3'], dir, { INVOCATION_ID: '0123456789abcdef' });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    const bannerEnd = lines.findLastIndex((l) => BANNER.test(l));
    expect(lines.slice(0, bannerEnd + 1).join('\n')).toContain(` Full log: ${join(dir, 'logs')}/paper_engine.log (this journal shows warnings and errors); see docs/logs.md.`);
    const journal = lines.slice(bannerEnd + 1);
    expect(journal[0]).toBe(`<4>[engine] --restore: no state file in ${join(dir, 'state')} yet; starting fresh (--allow-fresh)`);
    // Anything else is a warning or worse (a breaker trip may come), never an info line.
    expect(journal.filter((l) => !/^<[0-4]>\[\w+\] /.test(l))).toEqual([]);
    const logged = jsonLines(join(dir, 'logs', 'paper_engine.log')).map((l) => String(l.msg));
    expect(logged.some((m) => m.startsWith('daemon running (run '))).toBe(true);
    expect(logged.filter((m) => m.startsWith('📈 Bought')).length).toBeGreaterThan(0);
  });

  it('json: the file’s lines on stdout and nothing else; off: the banner alone', async () => {
    const dir = scratchDir();
    const json = await runCli(['start', '--config', writeConfig(dir, (c) => ((c.sim.speed = 6000), (c.logging.console = 'json'))), '--duration', '2'], dir);
    expect(json.code).toBe(0);
    const out = json.stdout.trimEnd().split('\n');
    expect(out.filter((l) => !l.startsWith('{"msg":"'))).toEqual([]);
    expect(out.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(jsonLines(join(dir, 'logs', 'paper_engine.log')).map((l) => l.msg));

    const quiet = scratchDir();
    const off = await runCli(['start', '--config', writeConfig(quiet, (c) => ((c.sim.speed = 6000), (c.logging.console = 'off'))), '--duration', '2'], quiet);
    expect(off.code).toBe(0);
    const offLines = off.stdout.trimEnd().split('\n');
    // Two rules around the offline banner's four lines.
    expect(offLines).toHaveLength(6);
    expect(BANNER.test(offLines[0]!) && BANNER.test(offLines[5]!)).toBe(true);
  });

  it('a start that fails under systemd says why as one error-priority line', async () => {
    const dir = scratchDir();
    const r = await runCli(['start', '--config', join(dir, 'missing.json')], dir, { INVOCATION_ID: '0123456789abcdef' });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`<3>error: ${join(dir, 'missing.json')}: no such file\n`);
  });
});
