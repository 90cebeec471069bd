#!/usr/bin/env node
/**
 * The command line: the only place that reads process.argv and process.env.
 *   start     run the daemon (offline on sample data, or on Alpaca when keys are set)
 *   backtest  run one strategy over CSV bars
 *   check     installation and configuration check
 */
import { UserError } from './core/errors.js';
import { runBacktestCommand } from './cli/backtestCommand.js';
import { runCheckCommand } from './cli/checkCommand.js';
import { runStartCommand } from './cli/startCommand.js';

const commands: Readonly<Record<string, (args: string[], env: NodeJS.ProcessEnv) => Promise<number>>> = {
  start: runStartCommand,
  backtest: runBacktestCommand,
  check: runCheckCommand,
};

async function main(): Promise<number> {
  const [name, ...args] = process.argv.slice(2);
  const command = name === undefined ? undefined : commands[name];
  if (command === undefined) {
    process.stderr.write(`usage: main.ts <${Object.keys(commands).join('|')}> [options]\n`);
    return 2;
  }
  return command(args, process.env);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UserError) {
      // The user's to fix: one clear message, no stack trace.
      process.stderr.write(`error: ${error.message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`fatal: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    }
  },
);
