import { chmodSync, lstatSync, unlinkSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import type { Logger } from 'pino';
import { AlreadyRunningError, ConfigError } from '../core/errors.js';
import { UnsafePathError } from '../core/UnsafePathError.js';
import { ensureOwnedDirectory } from '../persistence/ensureOwnedDirectory.js';
import { PRIVATE_FILE_MODE } from '../persistence/privateModes.js';
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

export interface ControlServerLimits {
  /** A connection silent this long is answered "idle" and closed (`npm run ctl` sends its command at once). */
  readonly idleMs?: number;
  /** Connections open at once; one more is answered "busy" and closed. */
  readonly maxConnections?: number;
}

export const DEFAULT_CONTROL_LIMITS = { idleMs: 5000, maxConnections: 8 } as const;

type Reply = { ok: boolean; message: string };

/** What runs a command line: the daemon's ControlCommands (or what answers while it starts). */
export type CommandRunner = Pick<ControlCommands, 'run'>;
const line = (reply: Reply): string => `${JSON.stringify(reply)}\n`;

/**
 * A local socket (`<state dir>/control.sock`) on which `npm run ctl` sends one command as a JSON
 * line `{"words": [...]}` and reads one JSON line back. The socket and its directory are the
 * owner's only (0600 in a 0700 directory, whatever the umask): whoever can connect can pause every
 * strategy. A socket file left by a crashed daemon is replaced; one that answers belongs to a
 * running daemon, and starting a second one on the same state is refused.
 *
 * A connection carries one command and is closed after the answer; it may stay silent at most
 * `idleMs`, and at most `maxConnections` are open at once, so a stuck or greedy client never holds
 * the daemon. `stop()` closes the connections still open instead of waiting for them: a stop is
 * never held up by a client.
 */
export class ControlServer {
  readonly #path: string;
  readonly #commands: CommandRunner;
  readonly #log: Logger;
  readonly #idleMs: number;
  readonly #maxConnections: number;
  readonly #open = new Set<Socket>();
  #server: Server | null = null;

  constructor(path: string, commands: CommandRunner, logger: Logger, limits: ControlServerLimits = {}) {
    this.#path = path;
    this.#commands = commands;
    this.#log = logger;
    this.#idleMs = limits.idleMs ?? DEFAULT_CONTROL_LIMITS.idleMs;
    this.#maxConnections = limits.maxConnections ?? DEFAULT_CONTROL_LIMITS.maxConnections;
  }

  /** Connections open now. */
  get connections(): number {
    return this.#open.size;
  }

  /**
   * Listens on the socket. Binding it is what makes this the one daemon of the state directory: of
   * two daemons starting at once, one binds and the other finds it taken (never a check, then a
   * bind another daemon could slip in between). A socket taken but silent was left by a daemon that
   * died: it is replaced.
   */
  async start(): Promise<void> {
    ensureOwnedDirectory(dirname(this.#path), 'state.dir');
    let server: Server;
    try {
      server = await this.#listen();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      await assertNotRunning(this.#path);
      removeStaleSocket(this.#path);
      try {
        server = await this.#listen();
      } catch (again) {
        if ((again as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new AlreadyRunningError(`another daemon is running on this state directory (it took its control socket ${this.#path} just now)`, { cause: again });
        throw again;
      }
    }
    // The directory is 0700 already; the socket itself is 0600 too (a socket's mode follows the umask).
    chmodSync(this.#path, PRIVATE_FILE_MODE);
    this.#server = server;
  }

  #listen(): Promise<Server> {
    const server = createServer((socket) => this.#accept(socket));
    return new Promise<Server>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#path, () => {
        server.off('error', reject);
        resolve(server);
      });
    });
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    if (server === null) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.#open) socket.destroy();
    this.#open.clear();
    await closed;
  }

  #accept(socket: Socket): void {
    socket.on('error', () => socket.destroy());
    socket.once('close', () => this.#open.delete(socket));
    if (this.#open.size >= this.#maxConnections) {
      this.#log.warn({ open: this.#open.size }, `control: a connection refused, ${this.#open.size} already open`);
      this.#open.add(socket);
      this.#closeIdle(socket);
      socket.end(line({ ok: false, message: `busy: ${this.#maxConnections} control connections are open already; try again` }));
      return;
    }
    this.#open.add(socket);
    this.#serve(socket);
  }

  #serve(socket: Socket): void {
    let buffer = '';
    let answered = false;
    socket.setEncoding('utf8');
    this.#closeIdle(socket, () => {
      if (answered) return false;
      answered = true;
      socket.end(line({ ok: false, message: `no command within ${this.#idleMs} ms: connection closed` }));
      return true;
    });
    socket.on('data', (chunk: string) => {
      // One command per connection: whatever follows the first line is read and dropped.
      if (answered) return;
      buffer += chunk;
      const end = buffer.indexOf('\n');
      if (end === -1 && buffer.length <= MAX_LINE) return;
      answered = true;
      socket.end(line(this.#answer(end === -1 ? buffer : buffer.slice(0, end))));
    });
  }

  /**
   * After `idleMs` of silence, `first` may answer the client (then it gets another `idleMs` to read
   * and close); otherwise, or the second time, the connection is destroyed.
   */
  #closeIdle(socket: Socket, first: () => boolean = () => false): void {
    socket.setTimeout(this.#idleMs);
    socket.on('timeout', () => {
      if (first()) socket.setTimeout(this.#idleMs);
      else socket.destroy();
    });
  }

  #answer(text: string): Reply {
    let words: unknown;
    try {
      words = (JSON.parse(text) as { words?: unknown }).words;
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
  if (exists(path) && (await answers(path))) throw new AlreadyRunningError(`another daemon is running on this state directory (its control socket ${path} answers)`);
}

/** A socket (or a link) left at `path` by a daemon that did not stop is removed; anything else there is not ours to delete. */
function removeStaleSocket(path: string): void {
  if (!exists(path)) return;
  const stat = lstatSync(path);
  if (!stat.isSocket() && !stat.isSymbolicLink()) throw new UnsafePathError(`${path} exists and is not a socket; remove it to start the daemon here`, path);
  // unlink removes a link itself, never the file it points to.
  unlinkSync(path);
}

/** Whether there is an entry at `path` (a link counts, even a dangling one). */
function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
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
