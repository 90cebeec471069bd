import { closeSync, constants } from 'node:fs';
import { join } from 'node:path';
import { pino, type Level, type Logger } from 'pino';
import pretty from 'pino-pretty';
import { ensureOwnedDirectory } from '../persistence/ensureOwnedDirectory.js';
import { openPrivateFile } from '../persistence/openPrivateFile.js';
import { safeError } from './safeError.js';

export interface LoggerOptions {
  /** Directory of `paper_engine.log`. */
  readonly dir: string;
  readonly level: Level;
  /** Also print readable lines on stdout (the daemon); off for tests and quiet commands. */
  readonly console: boolean;
  /** Told every error-level line's message (and component): the error alerts listen here. */
  readonly onError?: (message: string, component: string | undefined) => void;
}

export interface DaemonLogger {
  /** The root: hand `logger.child({ component })` to each part. */
  readonly logger: Logger;
  /** Circuit-breaker trips and resumes, also kept apart in `<dir>/circuit_breaker.log`. */
  readonly breakerLog: Logger;
  /** Flushes and closes the log file. */
  close(): Promise<void>;
}

/** Anything that may hold a secret is censored wherever it appears in a log line. */
const secretKeys = ['keyId', 'secretKey', 'apiKey', 'botToken', 'token', 'password', 'authorization', 'APCA-API-KEY-ID', 'APCA-API-SECRET-KEY'];
const key = (k: string): string => (/^\w+$/.test(k) ? `.${k}` : `["${k}"]`);
export const redactPaths = secretKeys.flatMap((k) => [key(k).replace(/^\./, ''), `*${key(k)}`, `*.*${key(k)}`, `*.*.*${key(k)}`]);

/**
 * The daemon's logger: JSON lines in `<dir>/paper_engine.log` (for `tail -f`, `grep "P&L"`, jq),
 * readable lines on stdout. The file is written synchronously so the last lines before a crash or
 * kill -9 are on disk. Logs name positions, orders and errors: the directory is the owner's own
 * (0700, refused when it is a link or another user's, UnsafePathError) and each file is 0600,
 * never opened through a symbolic link planted at its path.
 */
export function createLogger(o: LoggerOptions): DaemonLogger {
  ensureOwnedDirectory(o.dir, 'logging.dir');
  const engineFd = openLogFile(join(o.dir, 'paper_engine.log'));
  let breakerFd: number;
  try {
    breakerFd = openLogFile(join(o.dir, 'circuit_breaker.log'));
  } catch (error) {
    closeSync(engineFd);
    throw error;
  }
  const file = pino.destination({ dest: engineFd, sync: true });
  const streams: pino.StreamEntry[] = [{ level: o.level, stream: file }];
  if (o.console) {
    const console = pretty({
      destination: 1,
      sync: true,
      colorize: process.stdout.isTTY === true,
      translateTime: 'SYS:HH:MM:ss',
      ignore: 'pid,hostname,component',
      messageFormat: '[{component}] {msg}',
      singleLine: true,
    });
    streams.push({ level: o.level, stream: console });
  }
  const logger = pino(
    {
      level: o.level,
      base: null,
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: redactPaths, censor: '[redacted]' },
      serializers: { err: safeError, error: safeError },
      ...(o.onError === undefined
        ? {}
        : {
            hooks: {
              logMethod(this: pino.Logger, args: Parameters<pino.LogFn>, method: pino.LogFn, level: number) {
                if (level >= 50) {
                  const message = args.find((a): a is string => typeof a === 'string') ?? 'error';
                  const component = (this.bindings() as { component?: string }).component;
                  o.onError!(message, component);
                }
                method.apply(this, args);
              },
            },
          }),
    },
    pino.multistream(streams),
  );
  const breakerFile = pino.destination({ dest: breakerFd, sync: true });
  const breakerLog = pino(
    { level: 'info', base: { component: 'circuit_breaker' }, timestamp: pino.stdTimeFunctions.isoTime, redact: { paths: redactPaths, censor: '[redacted]' }, serializers: { err: safeError, error: safeError } },
    breakerFile,
  );
  let closed = false;
  const end = (d: pino.DestinationStream & { flushSync(): void; end(): void; once(e: string, f: () => void): void }): Promise<void> =>
    new Promise<void>((resolve) => {
      d.flushSync();
      d.once('close', () => resolve());
      d.end();
    });
  return {
    logger,
    breakerLog,
    close: async () => {
      if (closed) return;
      closed = true;
      await Promise.all([end(file), end(breakerFile)]);
    },
  };
}

/** A log file opened for appending, owner-only, never through a link (its descriptor, closed by pino's destination at `close`). */
const openLogFile = (path: string): number => openPrivateFile(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT);
