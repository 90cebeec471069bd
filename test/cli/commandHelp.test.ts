import { describe, expect, it } from 'vitest';
import { runBacktestCommand } from '../../src/cli/backtestCommand.js';
import { runCheckCommand } from '../../src/cli/checkCommand.js';
import { formatHelp, type CommandSpec } from '../../src/cli/CommandSpec.js';
import { commandSpecs, type CommandName } from '../../src/cli/commandSpecs.js';
import { runCtlCommand } from '../../src/cli/ctlCommand.js';
import { runEmulatorCommand } from '../../src/cli/emulatorCommand.js';
import { runOptimizeCommand } from '../../src/cli/optimizeCommand.js';
import { runWorkerCommand } from '../../src/cli/workerCommand.js';
import { HelpRequested } from '../../src/cli/HelpRequested.js';
import { runNewStrategyCommand } from '../../src/cli/newStrategyCommand.js';
import { parseArgs, parseArgsWithPositionals } from '../../src/cli/parseArgs.js';
import { runReadinessCommand } from '../../src/cli/readinessCommand.js';
import { runStartCommand } from '../../src/cli/startCommand.js';
import { runStatusCommand } from '../../src/cli/statusCommand.js';
import { CliError } from '../../src/core/errors.js';

const commands: Record<CommandName, (args: string[], env: NodeJS.ProcessEnv) => Promise<number>> = {
  start: runStartCommand,
  backtest: runBacktestCommand,
  optimize: runOptimizeCommand,
  worker: runWorkerCommand,
  check: runCheckCommand,
  ctl: runCtlCommand,
  status: runStatusCommand,
  readiness: runReadinessCommand,
  emulator: runEmulatorCommand,
  'new-strategy': runNewStrategyCommand,
};

async function failureOf(run: Promise<unknown>): Promise<unknown> {
  try {
    await run;
  } catch (error) {
    return error;
  }
  throw new Error('expected the command to throw');
}

const tiny = {
  name: 'tiny',
  summary: 'Does a tiny thing.',
  invocation: 'npm run tiny --',
  words: 'go|stop',
  options: {
    file: { type: 'string', value: 'FILE', default: 'a.json', help: 'the file' },
    tag: { type: 'string', multiple: true, short: 't', help: 'a tag' },
    quiet: { type: 'boolean', default: false, help: 'say less' },
  },
  notes: ['Exit 0 when done.'],
} as const satisfies CommandSpec;

describe('--help', () => {
  it('is laid out from the spec: usage, summary, every option with its value name and default, then the notes', () => {
    expect(formatHelp(tiny)).toBe(
      [
        'usage: npm run tiny -- [options] go|stop',
        '',
        'Does a tiny thing.',
        '',
        'options:',
        '      --file FILE    the file (default: a.json)',
        '  -t, --tag VALUE …  a tag',
        '      --quiet        say less',
        '  -h, --help         print this help and exit',
        '',
        'Exit 0 when done.',
        '',
      ].join('\n'),
    );
  });

  it('parses with the same spec it prints, and wins over anything else on the line (before --)', () => {
    expect(parseArgsWithPositionals(['go', '-t', 'a', '--tag', 'b'], tiny)).toEqual({ values: { file: 'a.json', quiet: false, tag: ['a', 'b'] }, positionals: ['go'] });
    for (const args of [['--help'], ['-h'], ['--bogus', '-h'], ['--file', 'x', '--help']]) {
      const e = (() => {
        try {
          parseArgsWithPositionals(args, tiny);
        } catch (error) {
          return error;
        }
        return null;
      })();
      expect(e).toBeInstanceOf(HelpRequested);
      expect((e as HelpRequested).text).toBe(formatHelp(tiny));
    }
    // After `--`, --help is a word like any other.
    expect(parseArgsWithPositionals(['--', '--help'], tiny).positionals).toEqual(['--help']);
  });

  it('bad options are one CliError naming the option, with where to look', () => {
    const messages = [['--bogus'], ['go'], ['--file'], ['--quiet=yes']].map((args) => {
      try {
        parseArgs(args, tiny);
      } catch (error) {
        expect(error).toBeInstanceOf(CliError);
        return (error as Error).message;
      }
      return 'no error';
    });
    expect(messages).toEqual([
      'tiny: unknown option --bogus (npm run tiny -- --help lists the options)',
      'tiny: unexpected word "go" (npm run tiny -- --help lists the options)',
      'tiny: --file needs a value (FILE) (npm run tiny -- --help lists the options)',
      "tiny: Option '--quiet' does not take an argument (npm run tiny -- --help lists the options)",
    ]);
  });

  for (const name of Object.keys(commands) as CommandName[]) {
    it(`${name}: --help and -h print the help of the options it parses, before checking anything else`, async () => {
      for (const flag of ['--help', '-h']) {
        const e = await failureOf(commands[name]([flag], {}));
        expect(e).toBeInstanceOf(HelpRequested);
        const text = (e as HelpRequested).text;
        expect(text).toBe(formatHelp(commandSpecs[name]));
        expect(text.startsWith(`usage: ${commandSpecs[name].invocation} `)).toBe(true);
        for (const option of Object.keys(commandSpecs[name].options)) expect(text).toMatch(new RegExp(`^ {2}(-\\w, | {4})--${option}\\b`, 'm'));
      }
      const bad = await failureOf(commands[name](['--no-such-option'], {}));
      expect(bad).toBeInstanceOf(CliError);
      expect((bad as Error).message).toBe(`${name}: unknown option --no-such-option (${commandSpecs[name].invocation} --help lists the options)`);
    });
  }
});
