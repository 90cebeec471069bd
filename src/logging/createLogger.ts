import { join } from 'node:path';
import { pino, type Level, type Logger } from 'pino';
import { ensureOwnedDirectory } from '../persistence/ensureOwnedDirectory.js';
import { formatConsoleLine, MARKET_TIME_SHOWN_FROM_MS } from './formatConsoleLine.js';
import { LogFile } from './LogFile.js';
import { LogSink, messageFirst, type ConsoleSink } from './LogSink.js';
import { safeError } from './safeError.js';

/** What stdout shows besides the file (see ConsoleMode for the forms). */
export interface ConsoleOutput {
  readonly format: 'pretty' | 'journal' | 'json';
  readonly colors: boolean;
  /** Where the console lines go; default: stdout. */
  readonly out?: (text: string) => void;
  /** Zone of the wall time on pretty lines; default: the machine's. */
  readonly timeZone?: string;
}

export interface LoggerOptions {
  /** Directory of `paper_engine.log`. */
  readonly dir: string;
  readonly level: Level;
  /** Also print lines on stdout (the daemon); false for tests and quiet commands. */
  readonly console: ConsoleOutput | false;
  /** Told every error-level line's message (and component): the error alerts listen here. */
  readonly onError?: (message: string, component: string | undefined) => void;
  /** The market time (the replay's, the venue's clock), null while not known: a line carries it as `marketTime` when it is not the wall time. */
  readonly marketTime?: () => number | null;
}

export interface DaemonLogger {
  /** The root: hand `logger.child({ component })` to each part. */
  readonly logger: Logger;
  /** Circuit-breaker trips and resumes, also kept apart in `<dir>/circuit_breaker.log`. */
  readonly breakerLog: Logger;
  /** Opens both log files anew at their paths (after logrotate moved them: SIGHUP). Throws when one cannot be opened; that one keeps its old file. */
  reopen(): void;
  /** Flushes and closes the log files. */
  close(): Promise<void>;
}

/** Anything that may hold a secret is censored wherever it appears in a log line. */
const secretKeys = ['keyId', 'secretKey', 'apiKey', 'botToken', 'token', 'password', 'authorization', 'APCA-API-KEY-ID', 'APCA-API-SECRET-KEY'];
const key = (k: string): string => (/^\w+$/.test(k) ? `.${k}` : `["${k}"]`);
export const redactPaths = secretKeys.flatMap((k) => [key(k).replace(/^\./, ''), `*${key(k)}`, `*.*${key(k)}`, `*.*.*${key(k)}`]);

const LEVEL_VALUES: Readonly<Record<Level, number>> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

/**
 * The daemon's logger: JSON lines in `<dir>/paper_engine.log`, each with its readable message
 * first and every figure at full precision (for `tail -f`, `grep "P&L"`, jq, pino-pretty), and a
 * console copy in the form asked (short readable lines, journal lines, JSON, or none). Files are
 * written synchronously so the last lines before a crash or kill -9 are on disk. Logs name
 * positions, orders and errors: the directory is the owner's own (0700, refused when it is a link
 * or another user's, UnsafePathError) and each file is 0600, never opened through a symbolic link
 * planted at its path.
 */
export function createLogger(o: LoggerOptions): DaemonLogger {
  ensureOwnedDirectory(o.dir, 'logging.dir');
  const engineFile = new LogFile(join(o.dir, 'paper_engine.log'));
  let breakerFile: LogFile;
  try {
    breakerFile = new LogFile(join(o.dir, 'circuit_breaker.log'));
  } catch (error) {
    engineFile.close();
    throw error;
  }
  const stdout = o.console !== false && o.console.out === undefined ? pino.destination({ dest: 1, sync: true }) : null;
  const sink = new LogSink(engineFile, o.console === false ? null : consoleSink(o.console, o.level, stdout));
  stdout?.on('error', () => sink.dropConsole());
  const marketTime = o.marketTime;
  const logger = pino(
    {
      level: o.level,
      base: null,
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: redactPaths, censor: '[redacted]' },
      serializers: { err: safeError, error: safeError },
      ...(marketTime === undefined
        ? {}
        : {
            mixin: () => {
              const m = marketTime();
              return m !== null && Math.abs(m - Date.now()) >= MARKET_TIME_SHOWN_FROM_MS ? { marketTime: new Date(m).toISOString() } : {};
            },
          }),
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
    sink,
  );
  const breakerLog = pino(
    { level: 'info', base: { component: 'circuit_breaker' }, timestamp: pino.stdTimeFunctions.isoTime, redact: { paths: redactPaths, censor: '[redacted]' }, serializers: { err: safeError, error: safeError } },
    new LogSink(breakerFile, null),
  );
  let closed = false;
  return {
    logger,
    breakerLog,
    reopen: () => {
      const failures: unknown[] = [];
      for (const f of [engineFile, breakerFile]) {
        try {
          f.reopen();
        } catch (error) {
          failures.push(error);
        }
      }
      if (failures.length > 0) throw failures[0];
    },
    close: async () => {
      if (closed) return;
      closed = true;
      try {
        stdout?.flushSync();
      } catch {
        // A console that cannot take the last lines: the file has them.
      }
      engineFile.close();
      breakerFile.close();
    },
  };
}

/** The console copy: its lines, from which level, written where. */
function consoleSink(c: ConsoleOutput, level: Level, stdout: { write(text: string): unknown } | null): ConsoleSink {
  const out = c.out ?? ((text: string) => void stdout!.write(text));
  const floor = LEVEL_VALUES[level];
  if (c.format === 'json') return { level: floor, line: messageFirst, out };
  // Under systemd the journal keeps what needs attention; the file keeps everything.
  const format = c.format;
  const from = format === 'journal' ? Math.max(floor, LEVEL_VALUES.warn) : floor;
  const options = { format, colors: c.colors, details: floor <= LEVEL_VALUES.debug, ...(c.timeZone === undefined ? {} : { timeZone: c.timeZone }) };
  return { level: from, line: (r) => formatConsoleLine(r, options), out };
}
