import { existsSync, unlinkSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import type { Logger } from 'pino';
import { join } from 'node:path';
import { AlreadyRunningError, ConfigError } from '../core/errors.js';
import type { ControlCommands } from './ControlCommands.js';

/** Unix socket paths are limited to 108 bytes on Linux (104 on macOS). */
const MAX_SOCKET_PATH = 103;

/** The control socket of a state directory, or a ConfigError when its path is too long for a local socket. */
export function controlSocketPath(stateDir: string): string {
  const path = join(stateDir, 'control.sock');
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH) {
    throw new ConfigError(`state.dir: the control socket ${path} is ${Buffer.byteLength(path)} bytes long, more than a local socket allows (${MAX_SOCKET_PATH}); choose a shorter state.dir`);
  }
  return path;
}

/** Longest line a client may send; anything longer is not a command. */
const MAX_LINE = 1024;

/**
 * A local socket (`<state dir>/control.sock`, owner-only like the directory) on which `npm run ctl`
 * sends one command as a JSON line `{"words": [...]}` and reads one JSON line back. A socket file
 * left by a crashed daemon is replaced; one that answers belongs to a running daemon, and starting
 * a second one on the same state is refused.
 */
export class ControlServer {
  readonly #path: string;
  readonly #commands: ControlCommands;
  readonly #log: Logger;
  #server: Server | null = null;

  constructor(path: string, commands: ControlCommands, logger: Logger) {
    this.#path = path;
    this.#commands = commands;
    this.#log = logger;
  }

  async start(): Promise<void> {
    await assertNotRunning(this.#path);
    if (existsSync(this.#path)) unlinkSync(this.#path);
    const server = createServer((socket) => this.#serve(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#path, () => resolve());
    });
    this.#server = server;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    if (server === null) return;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  #serve(socket: Socket): void {
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      const end = buffer.indexOf('\n');
      if (end === -1 && buffer.length <= MAX_LINE) return;
      const line = end === -1 ? buffer : buffer.slice(0, end);
      socket.end(`${JSON.stringify(this.#answer(line))}\n`);
    });
  }

  #answer(line: string): { ok: boolean; message: string } {
    let words: unknown;
    try {
      words = (JSON.parse(line) as { words?: unknown }).words;
    } catch {
      words = undefined;
    }
    if (!Array.isArray(words) || !words.every((w) => typeof w === 'string' && w.length <= 64)) {
      return { ok: false, message: 'expected one JSON line {"words": ["pause", "<strategy>"]}' };
    }
    const reply = this.#commands.run(words, 'ctl');
    this.#log.info({ words, ok: reply.ok }, `control: ${words.join(' ')} → ${reply.message}`);
    return reply;
  }
}

/** Throws AlreadyRunningError when a daemon answers on the control socket `path`. */
export async function assertNotRunning(path: string): Promise<void> {
  if (existsSync(path) && (await answers(path))) throw new AlreadyRunningError(`another daemon is running on this state directory (its control socket ${path} answers)`);
}

/** Whether something listens on the socket at `path`. */
function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection(path);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
