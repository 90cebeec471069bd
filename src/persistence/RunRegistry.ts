import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { writeFileAtomic } from './writeFileAtomic.js';

/** The version `write` puts in the file; files without one (version 1) list bare `{id, startedAt}` runs. */
export const RUNS_VERSION = 2;

const limits = z.strictObject({
  maxDrawdownPct: z.number().nullable(),
  maxDailyLossPct: z.number().nullable(),
  maxConsecutiveLosses: z.number().nullable(),
  maxTradesPerDay: z.number().nullable(),
  action: z.enum(['block_entries', 'flatten', 'halt_all']),
});

/** A strategy as one run traded it: what it is (type, params, symbols: the fingerprint covers these) and the money and limits it had. */
const strategyRunSchema = z.strictObject({
  type: z.string(),
  params: z.unknown(),
  symbols: z.array(z.string()),
  capital: z.number(),
  /** sha-256 of type, params and symbols (engine/strategyFingerprint): a different one is another strategy. */
  fingerprint: z.string(),
  /** A strategy module of your own: its code's sha256 (part of the fingerprint). */
  source: z.string().optional(),
  breakers: limits.optional(),
});

const runSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+$/),
  startedAt: z.string(),
  // Version 2: what the run traded. Absent in runs recorded by earlier versions (nothing known of them).
  mode: z.enum(['sim', 'alpaca']).optional(),
  /** Market time (ms) of the last bar the restored state had processed; null: a fresh start, the record's beginning. */
  resumedAfter: z.number().nullable().optional(),
  risk: z.strictObject({ maxPositionPct: z.number(), maxOrderPct: z.number() }).optional(),
  strategies: z.record(z.string(), strategyRunSchema).optional(),
  /** A live start: the strategies started and held back by the readiness checklist, and the override's reason if one was given. */
  live: z.strictObject({ started: z.array(z.string()), held: z.array(z.string()), override: z.string().nullable() }).optional(),
});

const fileSchema = z.strictObject({ version: z.literal(RUNS_VERSION).optional(), runs: z.array(runSchema) });

export type StrategyRun = z.output<typeof strategyRunSchema>;
export type RunRecord = z.output<typeof runSchema>;
/** What a run adds about itself to its record (everything but its id and start time). */
export type RunDetails = Omit<RunRecord, 'id' | 'startedAt'>;

/**
 * Every run this state directory has made (`runs.json` beside the state file), written at each
 * start before any order goes out. A client order id is the daemon's only when its run is one of
 * these: an order of another daemon on the same account, or of a program that copies the id
 * format, is someone else's even if its strategy name is ours. A fresh start archives the file
 * with the state (the old runs' orders are then someone else's too). Since version 2 each run also
 * records what it traded (each strategy's fingerprint): the paper record's configuration history.
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
    return this.records(problem).map((r) => r.id);
  }

  /** The runs as recorded, oldest first; an unreadable file is reported and read as empty. */
  records(problem: (message: string) => void): RunRecord[] {
    if (!existsSync(this.#path)) return [];
    try {
      return fileSchema.parse(JSON.parse(readFileSync(this.#path, 'utf8'))).runs;
    } catch (error) {
      problem(`${this.#path} cannot be read (${error instanceof Error ? error.message.slice(0, 200) : String(error)}): only the runs the state file names are known`);
      return [];
    }
  }

  /**
   * Records `runIds` (this run last), keeping what the file already says of each; `details`, when
   * given, describe the last one.
   */
  write(runIds: readonly string[], startedAt: (run: string) => string, details?: RunDetails): void {
    const unique = [...new Set(runIds)];
    const known = new Map(this.records(() => {}).map((r) => [r.id, r]));
    const last = unique[unique.length - 1];
    const runs = unique.map((id): RunRecord => ({ ...(known.get(id) ?? { id, startedAt: startedAt(id) }), ...(id === last && details !== undefined ? details : {}) }));
    writeFileAtomic(this.#path, `${JSON.stringify({ version: RUNS_VERSION, runs })}\n`);
  }
}
