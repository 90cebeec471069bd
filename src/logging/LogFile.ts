import { closeSync, constants, writeSync } from 'node:fs';
import { openPrivateFile } from '../persistence/openPrivateFile.js';

/**
 * A log file the daemon appends to synchronously (the last lines before a crash or kill -9 are on
 * disk), owner-only and never through a link planted at its path. `reopen` opens the path anew
 * (after logrotate renamed the file: the next line goes to a new file at the path, none is lost or
 * written twice); lines written after `close` are dropped (a late line at exit must not crash it).
 */
export class LogFile {
  readonly path: string;
  #fd: number | null;

  constructor(path: string) {
    this.path = path;
    this.#fd = openLogFile(path);
  }

  write(text: string): void {
    if (this.#fd === null) return;
    const bytes = Buffer.from(text, 'utf8');
    for (let done = 0; done < bytes.length; ) done += writeSync(this.#fd, bytes, done, bytes.length - done);
  }

  /** The file at `path` from now on; the one written so far is closed. Throws (and keeps writing the old one) when the path cannot be opened. */
  reopen(): void {
    if (this.#fd === null) return;
    const next = openLogFile(this.path);
    const old = this.#fd;
    this.#fd = next;
    closeSync(old);
  }

  close(): void {
    if (this.#fd === null) return;
    closeSync(this.#fd);
    this.#fd = null;
  }
}

/** A log file opened for appending, created 0600, never through a link. */
const openLogFile = (path: string): number => openPrivateFile(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT);
