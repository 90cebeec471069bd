import { closeSync, constants, fstatSync, fsyncSync, ftruncateSync, openSync, readdirSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { makePrivateDirectory } from './makePrivateDirectory.js';
import { openPrivateFile } from './openPrivateFile.js';

/** Where a log stood when a state was saved: the segment being written and its length then. */
export interface LogPosition {
  readonly segment: number;
  readonly offset: number;
}

/** `closed_trades_000001.jsonl`: the segment number sorts as text. */
export const segmentName = (prefix: string, segment: number): string => `${prefix}_${String(segment).padStart(6, '0')}.jsonl`;

/** The segments of `prefix` in `dir`, oldest first. */
export function logSegments(dir: string, prefix: string): number[] {
  const pattern = new RegExp(`^${prefix}_(\\d{6})\\.jsonl$`);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names
    .map((f) => pattern.exec(f))
    .filter((m) => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}

/**
 * An append-only file of JSON lines beside the state, in segments of about `segmentBytes` each
 * (a new one is started once the current one is full). Every append is one write and an fsync:
 * a crash leaves the lines before it whole, and at worst a torn last line, which belongs to no
 * saved state (a state names the position the log had once its lines were on disk). After a
 * restore the log continues from the restored state's position: what lies beyond it was written
 * by a save whose state never landed, and is cut before the next line is appended.
 */
export class AppendLog {
  readonly dir: string;
  readonly prefix: string;
  readonly #segmentBytes: number;
  /** The segment being appended to and its length; null until the first append (or a restore) decides. */
  #at: LogPosition | null = null;
  /** A restored position not yet cut to (the cut happens at the first save: a failed start changes nothing). */
  #resume: LogPosition | null = null;

  constructor(dir: string, prefix: string, segmentBytes: number) {
    this.dir = dir;
    this.prefix = prefix;
    this.#segmentBytes = segmentBytes;
  }

  /** Continues from a restored state's position (null: that state named none; the next line starts a new segment). */
  continueFrom(at: LogPosition | null): void {
    this.#resume = at;
    this.#at = null;
  }

  /** Forgets where it stood (its files were archived): the next line starts a new segment. */
  reset(): void {
    this.#resume = null;
    this.#at = null;
  }

  /** Appends `lines` (each without its newline), fsynced; returns the position after them. */
  append(lines: readonly string[]): LogPosition {
    const at = this.#open();
    if (lines.length === 0) return at;
    let { segment, offset } = at;
    if (offset >= this.#segmentBytes) {
      segment++;
      offset = 0;
    }
    const bytes = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
    const file = join(this.dir, segmentName(this.prefix, segment));
    makePrivateDirectory(this.dir);
    const fd = openPrivateFile(file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT);
    try {
      let written = 0;
      while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
      fsyncSync(fd);
    } catch (error) {
      // A partial write (a full disk) is taken back, so that the next append does not follow a torn line.
      try {
        ftruncateSync(fd, offset);
      } catch {
        // The reader still ignores a torn line past the saved position.
      }
      throw error;
    } finally {
      closeSync(fd);
    }
    // A new segment's name must survive a crash as well as its lines.
    if (offset === 0) syncDirectory(this.dir);
    this.#at = { segment, offset: offset + bytes.length };
    return this.#at;
  }

  /**
   * Removes the oldest segments last written more than `keepMs` before `now` (never the one being
   * written, never one newer than a kept one: what remains is always a run of segments up to the
   * newest). Returns the names removed.
   */
  prune(keepMs: number, now: number): string[] {
    const current = this.#open().segment;
    const removed: string[] = [];
    for (const s of logSegments(this.dir, this.prefix)) {
      if (s >= current) break;
      const file = join(this.dir, segmentName(this.prefix, s));
      if (statSync(file).mtimeMs > now - keepMs) break;
      rmSync(file, { force: true });
      removed.push(segmentName(this.prefix, s));
    }
    return removed;
  }

  /** Where the next line goes; cuts what a restored state does not know of, the first time. */
  #open(): LogPosition {
    if (this.#at !== null) return this.#at;
    const existing = logSegments(this.dir, this.prefix);
    const resume = this.#resume;
    if (resume === null) {
      // No position to continue from (a fresh start, or a state of an earlier version): a new segment.
      this.#at = { segment: (existing.at(-1) ?? 0) + 1, offset: 0 };
      return this.#at;
    }
    for (const s of existing) if (s > resume.segment) rmSync(join(this.dir, segmentName(this.prefix, s)), { force: true });
    if (existing.includes(resume.segment)) {
      const fd = openPrivateFile(join(this.dir, segmentName(this.prefix, resume.segment)), constants.O_WRONLY);
      try {
        if (fstatSync(fd).size > resume.offset) {
          ftruncateSync(fd, resume.offset);
          fsyncSync(fd);
        }
      } finally {
        closeSync(fd);
      }
    }
    this.#resume = null;
    this.#at = resume;
    return this.#at;
  }
}

function syncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
