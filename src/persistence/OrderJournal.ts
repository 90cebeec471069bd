import { closeSync, constants, ftruncateSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { OrderRequest } from '../core/Order.js';
import { requestSchema } from './engineStateSchema.js';
import { makePrivateDirectory } from './makePrivateDirectory.js';
import { openPrivateFile } from './openPrivateFile.js';

/**
 * An order about to be sent: the whole request (its strategy, its protective exits, a trailing
 * stop to send once it fills), so a restart after a crash looks it up, attributes it and its exits,
 * and sends what it still owes. Lines written before state version 3 hold only the first five
 * fields; they are still read.
 */
export const journalEntrySchema = requestSchema.partial().required({ clientOrderId: true, strategyId: true, symbol: true, side: true, qty: true }).extend({
  clientOrderId: z.string().min(1),
  strategyId: z.string().min(1),
  symbol: z.string().min(1),
  qty: z.number().positive(),
});
export type JournalEntry = z.infer<typeof journalEntrySchema>;

/** The request a journal line stands for (an old line's order type and duration were not recorded: market, day). */
export function requestOfJournalEntry(e: JournalEntry): OrderRequest {
  return { ...e, type: e.type ?? 'market', timeInForce: e.timeInForce ?? 'day' };
}

/**
 * The orders sent since the last state file, one JSON line each, written before the order leaves.
 * A line costs one `write` (no fsync: it survives the daemon's crash, which is what it is for; the
 * state file saved right after the order went out is fsynced), so the order path does not wait for
 * the disk or for a whole snapshot. Emptied after each state file (which then holds those orders).
 * At a restart its orders join the restored ones in flight: looked up by client order id.
 * The file is the owner's only (0600) and is never opened through a symbolic link: reading,
 * appending and emptying one planted at its path are refused (UnsafePathError), the target untouched.
 */
export class OrderJournal {
  readonly #path: string;
  #fd: number | null = null;

  constructor(path: string) {
    this.#path = path;
  }

  get path(): string {
    return this.#path;
  }

  record(e: OrderRequest): void {
    if (this.#fd === null) {
      makePrivateDirectory(dirname(this.#path));
      this.#fd = openPrivateFile(this.#path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT);
    }
    writeSync(this.#fd, `${JSON.stringify(e)}\n`);
  }

  /** After a state file that holds every order recorded so far. */
  clear(): void {
    if (this.#fd !== null) {
      ftruncateSync(this.#fd, 0);
      return;
    }
    const fd = this.#open(constants.O_WRONLY);
    if (fd === null) return;
    try {
      ftruncateSync(fd, 0);
    } finally {
      closeSync(fd);
    }
  }

  /** The orders recorded; a torn last line (a crash mid-write) or any unreadable line is reported and skipped. */
  read(skipped: (warning: string) => void): JournalEntry[] {
    const fd = this.#open(constants.O_RDONLY);
    if (fd === null) return [];
    let text: string;
    try {
      text = readFileSync(fd, 'utf8');
    } finally {
      closeSync(fd);
    }
    const out: JournalEntry[] = [];
    const lines = text.split('\n');
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        const parsed = journalEntrySchema.safeParse(JSON.parse(line));
        if (parsed.success) out.push(parsed.data);
        else skipped(`${this.#path} line ${i + 1}: ${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      } catch {
        skipped(`${this.#path} line ${i + 1}: not JSON (cut short by a crash?)`);
      }
    });
    return out;
  }

  /** The existing file opened with `flags` (never through a link), or null when there is none. */
  #open(flags: number): number | null {
    try {
      return openPrivateFile(this.#path, flags);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  close(): void {
    if (this.#fd !== null) closeSync(this.#fd);
    this.#fd = null;
  }
}
