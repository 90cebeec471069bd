#!/usr/bin/env node
/**
 * The command line: the only place that reads process.argv and process.env.
 *   start     run the daemon (offline on sample data, or on Alpaca when keys are set)
 *   backtest  run one strategy over CSV bars, or every strategy of a config
 *   check     installation and configuration check
 *   ctl       pause, resume or show the circuit breakers of a running daemon
 *   status    the newest saved state (the daemon need not run)
 *   emulator  a local Alpaca (REST + streams) replaying CSV bars, with faults on demand
 */

type Command = (args: string[], env: NodeJS.ProcessEnv) => Promise<number>;

/** Each command loads only its own code: a backtest does not load the Alpaca SDK, Telegram or the emulator. */
const commands: Readonly<Record<string, () => Promise<Command>>> = {
  start: async () => (await import('./cli/startCommand.js')).runStartCommand,
  backtest: async () => (await import('./cli/backtestCommand.js')).runBacktestCommand,
  check: async () => (await import('./cli/checkCommand.js')).runCheckCommand,
  ctl: async () => (await import('./cli/ctlCommand.js')).runCtlCommand,
  status: async () => (await import('./cli/statusCommand.js')).runStatusCommand,
  emulator: async () => (await import('./cli/emulatorCommand.js')).runEmulatorCommand,
};

async function main(): Promise<number> {
  const [name, ...args] = process.argv.slice(2);
  const load = name === undefined ? undefined : commands[name];
  if (load === undefined) {
    process.stderr.write(`usage: main.ts <${Object.keys(commands).join('|')}> [options]\n`);
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
