import type { LogRecord } from './formatConsoleLine.js';
import type { LogFile } from './LogFile.js';

/** Where a console copy of the log goes: lines from `level` up, each made by `line`, written by `out`. */
export interface ConsoleSink {
  readonly level: number;
  readonly line: (record: LogRecord) => string;
  readonly out: (text: string) => void;
}

/**
 * The destination of a pino logger: every line to the file as JSON with its message first (so
 * `grep "P&L" logs/paper_engine.log` shows the sentence before the fields; full precision kept),
 * and to the console in its own form from its level up. A console that fails (a closed terminal,
 * a reader gone) is dropped; the file goes on.
 */
export class LogSink {
  readonly #file: LogFile;
  #console: ConsoleSink | null;

  constructor(file: LogFile, console: ConsoleSink | null) {
    this.#file = file;
    this.#console = console;
  }

  write(line: string): void {
    let record: LogRecord;
    try {
      record = JSON.parse(line) as LogRecord;
    } catch {
      this.#file.write(line);
      return;
    }
    this.#file.write(messageFirst(record));
    const c = this.#console;
    if (c === null || !((record['level'] as number) >= c.level)) return;
    try {
      c.out(c.line(record));
    } catch {
      this.#console = null;
    }
  }

  /** Stops writing to the console (its stream failed). */
  dropConsole(): void {
    this.#console = null;
  }
}

/** The JSON line with `msg` as its first field (the other fields in their order). */
export function messageFirst(record: LogRecord): string {
  if (!('msg' in record)) return `${JSON.stringify(record)}\n`;
  const { msg, ...rest } = record;
  return `${JSON.stringify({ msg, ...rest })}\n`;
}
