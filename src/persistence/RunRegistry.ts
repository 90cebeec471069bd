import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { writeFileAtomic } from './writeFileAtomic.js';

const fileSchema = z.strictObject({ runs: z.array(z.strictObject({ id: z.string().regex(/^[a-z0-9]+$/), startedAt: z.string() })) });

/**
 * Every run this state directory has made (`runs.json` beside the state file), written at each
 * start before any order goes out. A client order id is the daemon's only when its run is one of
 * these: an order of another daemon on the same account, or of a program that copies the id
 * format, is someone else's even if its strategy name is ours. A fresh start archives the file
 * with the state (the old runs' orders are then someone else's too).
 */
export class RunRegistry {
  readonly #path: string;

  constructor(path: string) {
    this.#path = path;
  }

  get path(): string {
    return this.#path;
  }

  /** The run ids; an unreadable file is reported and read as empty (the state file's own runs still count). */
  read(problem: (message: string) => void): string[] {
    if (!existsSync(this.#path)) return [];
    try {
      return fileSchema.parse(JSON.parse(readFileSync(this.#path, 'utf8'))).runs.map((r) => r.id);
    } catch (error) {
      problem(`${this.#path} cannot be read (${error instanceof Error ? error.message.slice(0, 200) : String(error)}): only the runs the state file names are known`);
      return [];
    }
  }

  /** Records `runIds` (this run last), keeping those already there. */
  write(runIds: readonly string[], startedAt: (run: string) => string): void {
    const unique = [...new Set(runIds)];
    writeFileAtomic(this.#path, `${JSON.stringify({ runs: unique.map((id) => ({ id, startedAt: startedAt(id) })) })}\n`);
  }
}
