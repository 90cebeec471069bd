import { closeSync, existsSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { OrderRequest } from '../core/Order.js';
import { requestSchema } from './engineStateSchema.js';

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
      mkdirSync(dirname(this.#path), { recursive: true });
      this.#fd = openSync(this.#path, 'a');
    }
    writeSync(this.#fd, `${JSON.stringify(e)}\n`);
  }

  /** After a state file that holds every order recorded so far. */
  clear(): void {
    if (this.#fd !== null) ftruncateSync(this.#fd, 0);
    else if (existsSync(this.#path)) {
      const fd = openSync(this.#path, 'r+');
      ftruncateSync(fd, 0);
      closeSync(fd);
    }
  }

  /** The orders recorded; a torn last line (a crash mid-write) or any unreadable line is reported and skipped. */
  read(skipped: (warning: string) => void): JournalEntry[] {
    if (!existsSync(this.#path)) return [];
    const out: JournalEntry[] = [];
    const lines = readFileSync(this.#path, 'utf8').split('\n');
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

  close(): void {
    if (this.#fd !== null) closeSync(this.#fd);
    this.#fd = null;
  }
}
