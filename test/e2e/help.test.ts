import { describe, expect, it } from 'vitest';
import { formatHelp } from '../../src/cli/CommandSpec.js';
import { commandSpecs } from '../../src/cli/commandSpecs.js';
import { runCli, scratchDir } from './cli.js';

describe('help on the command line', () => {
  it('--help lists every command with its summary on stdout, exit 0; a command missing or unknown is one line, exit 2', async () => {
    const dir = scratchDir();
    for (const flag of ['--help', '-h']) {
      const r = await runCli([flag], dir);
      expect([r.code, r.stderr]).toEqual([0, '']);
      const listed = r.stdout.split('\n').filter((l) => /^ {2}\w/.test(l));
      const width = Math.max(...Object.values(commandSpecs).map((s) => s.name.length));
      expect(width).toBe('new-strategy'.length);
      expect(listed).toEqual(Object.values(commandSpecs).map((s) => `  ${s.name.padEnd(width)}  ${s.summary}`));
    }
    const none = await runCli([], dir);
    expect([none.code, none.stdout, none.stderr]).toEqual([2, '', 'error: give a command: one of start, backtest, optimize, worker, check, ctl, status, readiness, emulator, new-strategy (--help lists them)\n']);
    const unknown = await runCli(['statsu'], dir);
    expect([unknown.code, unknown.stderr]).toEqual([2, 'error: unknown command "statsu": one of start, backtest, optimize, worker, check, ctl, status, readiness, emulator, new-strategy (--help lists them)\n']);
  });

  it("a command's --help is its spec's help on stdout, exit 0, even where its required flags are missing", async () => {
    const r = await runCli(['backtest', '--help'], scratchDir());
    expect([r.code, r.stdout, r.stderr]).toEqual([0, formatHelp(commandSpecs.backtest), '']);
  });
});
