import { createConnection } from 'node:net';
import { loadConfigWithStrategies } from './loadConfigWithStrategies.js';
import { controlSocketPath } from '../control/ControlServer.js';
import { CliError } from '../core/errors.js';
import { commandSpecs } from './commandSpecs.js';
import { parseArgsWithPositionals } from './parseArgs.js';

/** How long `ctl` waits for the daemon's answer (it answers at once; a daemon that does not is stuck or not ours). */
const ANSWER_TIMEOUT_MS = 10_000;

/**
 * `npm run ctl -- [--config FILE] <command>` (commandSpecs.ctl lists the commands):
 * sends the command to the daemon running on that configuration's state directory and prints its
 * answer. Exit 0 when done, 1 when the daemon refused it, 2 when no daemon answers.
 */
export async function runCtlCommand(args: string[]): Promise<number> {
  const { values, positionals: words } = parseArgsWithPositionals(args, commandSpecs.ctl);
  // Talks to the running daemon only: a strategy module being edited does not stop it.
  const { config } = await loadConfigWithStrategies(values.config, 'names');
  const path = controlSocketPath(config.state.dir);
  if (words.length === 0) throw new CliError(`give a command: ${commandSpecs.ctl.words}`);
  const reply = await new Promise<{ ok: boolean; message: string }>((resolve, reject) => {
    const socket = createConnection(path);
    let text = '';
    socket.setEncoding('utf8');
    socket.setTimeout(ANSWER_TIMEOUT_MS, () => {
      socket.destroy();
      reject(new CliError(`the daemon on ${path} did not answer within ${ANSWER_TIMEOUT_MS / 1000} s`));
    });
    socket.on('connect', () => socket.write(`${JSON.stringify({ words })}\n`));
    socket.on('data', (d: string) => (text += d));
    socket.on('end', () => {
      if (text === '') {
        reject(new CliError(`the daemon on ${path} closed the connection without answering (it may be stopping)`));
        return;
      }
      try {
        resolve(JSON.parse(text) as { ok: boolean; message: string });
      } catch {
        reject(new CliError(`the daemon sent an answer that is not JSON: ${text.slice(0, 200)}`));
      }
    });
    socket.on('error', (e: NodeJS.ErrnoException) =>
      reject(new CliError(e.code === 'ENOENT' || e.code === 'ECONNREFUSED' ? `no daemon is running on ${config.state.dir} (no answer on ${path})` : `cannot reach the daemon on ${path}: ${e.message}`)),
    );
  });
  process.stdout.write(`${reply.message}\n`);
  return reply.ok ? 0 : 1;
}
