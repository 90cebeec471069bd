#!/usr/bin/env node
/**
 * The command line: the only place that reads process.argv and process.env. The commands, their
 * options and their help are in cli/commandSpecs.ts.
 */

import { commandSpecs, type CommandName } from './cli/commandSpecs.js';

type Command = (args: string[], env: NodeJS.ProcessEnv) => Promise<number>;

/** Each command loads only its own code: a backtest does not load the Alpaca SDK, Telegram or the emulator. */
const commands: Readonly<Record<CommandName, () => Promise<Command>>> = {
  start: async () => (await import('./cli/startCommand.js')).runStartCommand,
  backtest: async () => (await import('./cli/backtestCommand.js')).runBacktestCommand,
  optimize: async () => (await import('./cli/optimizeCommand.js')).runOptimizeCommand,
  worker: async () => (await import('./cli/workerCommand.js')).runWorkerCommand,
  check: async () => (await import('./cli/checkCommand.js')).runCheckCommand,
  ctl: async () => (await import('./cli/ctlCommand.js')).runCtlCommand,
  status: async () => (await import('./cli/statusCommand.js')).runStatusCommand,
  readiness: async () => (await import('./cli/readinessCommand.js')).runReadinessCommand,
  emulator: async () => (await import('./cli/emulatorCommand.js')).runEmulatorCommand,
  'new-strategy': async () => (await import('./cli/newStrategyCommand.js')).runNewStrategyCommand,
};

/** The command list `--help` prints, from the same specs the commands parse with. */
function topLevelHelp(): string {
  const names = Object.keys(commands) as CommandName[];
  const width = Math.max(...names.map((n) => n.length));
  return [
    'usage: npm start -- [options]',
    '       npm run <command> -- [options]',
    '',
    'commands:',
    ...names.map((n) => `  ${n.padEnd(width)}  ${commandSpecs[n].summary}`),
    '',
    "A command's options: npm start -- --help, npm run <command> -- --help.",
    '',
  ].join('\n');
}

async function main(): Promise<number> {
  const [name, ...args] = process.argv.slice(2);
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(topLevelHelp());
    return 0;
  }
  const load = name !== undefined && Object.hasOwn(commands, name) ? commands[name as CommandName] : undefined;
  if (load === undefined) {
    const what = name === undefined ? 'give a command' : `unknown command "${name}"`;
    process.stderr.write(`error: ${what}: one of ${Object.keys(commands).join(', ')} (--help lists them)\n`);
    return 2;
  }
  return (await load())(args, process.env);
}

// A reader that stops early (`npm run backtest … | head`) is not a failure: the rest of the output
// is dropped and the command still writes its files.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

main().then(
  (code) => {
    process.exitCode = code;
  },
  async (error: unknown) => {
    const { HelpRequested } = await import('./cli/HelpRequested.js');
    if (error instanceof HelpRequested) {
      process.stdout.write(error.text);
      process.exitCode = 0;
      return;
    }
    // One line naming what and where, with a hint; a stack trace only for what no rule explains.
    const { describeFailure } = await import('./cli/describeFailure.js');
    const { resolveConsoleMode } = await import('./logging/consoleMode.js');
    const f = describeFailure(error);
    // Under systemd the line goes to the journal as an error (`journalctl -p err` finds it).
    const journal = resolveConsoleMode('auto', { isTty: process.stderr.isTTY === true, env: process.env }) === 'journal';
    process.stderr.write(`${journal ? '<3>' : ''}${f.line}\n`);
    process.exitCode = f.exitCode;
  },
);
