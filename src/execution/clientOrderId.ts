import type { LegKind } from '../core/Order.js';

/**
 * Client order ids name their strategy and run: `<strategy>-<run>-<seq>`, a protective exit its
 * entry's with `-sl`, `-tp` or `-ts`. Strategy ids are lower-case letters, digits and `_` (never
 * `-`); run ids are the run's start time in base 36. An order is the daemon's only when both its
 * strategy and its run are known (a run this state directory made): another program, or another
 * daemon on the same account, may use the same strategy names. Alpaca accepts up to 128 characters.
 */
export function clientOrderId(strategyId: string, runId: string, seq: number): string {
  const id = `${strategyId}-${runId}-${seq}`;
  if (id.length > 128) throw new RangeError(`client order id longer than 128 characters: ${id}`);
  return id;
}

/** The parts of one of our client order ids; null if it is not shaped like one. */
export interface ClientOrderIdParts {
  readonly strategyId: string;
  readonly run: string;
  readonly seq: number;
  /** A protective exit's kind (its entry's id is the rest), null for an order a strategy asked for. */
  readonly leg: LegKind | null;
}

const SHAPE = /^([a-z0-9][a-z0-9_]*)-([a-z0-9]+)-(\d+)(?:-(sl|tp|ts))?$/;

export function parseClientOrderId(id: string): ClientOrderIdParts | null {
  const m = SHAPE.exec(id);
  return m === null ? null : { strategyId: m[1]!, run: m[2]!, seq: Number(m[3]), leg: (m[4] as LegKind | undefined) ?? null };
}

export function strategyOfClientOrderId(id: string): string | null {
  return parseClientOrderId(id)?.strategyId ?? null;
}

/** The run and sequence number of one of our client order ids (a bracket leg's suffix ignored), null if it is not one. */
export function runSeqOfClientOrderId(id: string): { readonly run: string; readonly seq: number } | null {
  const p = parseClientOrderId(id);
  return p === null ? null : { run: p.run, seq: p.seq };
}

/** When a run started (its id is its start time in base 36), as an ISO time; null if it is not one. */
export function runStartedAt(run: string): string | null {
  const ms = parseInt(run, 36);
  return Number.isFinite(ms) && ms > 946_684_800_000 && ms < 4_102_444_800_000 ? new Date(ms).toISOString() : null;
}

/**
 * Whether an order was sent after a state file of run `runId` whose next sequence number was `seq`:
 * a later sequence number of that run, or any order of a later run (run ids are start times in
 * base 36, so a later run has a larger one). Everything else was in that state file's books.
 */
export function sentAfterState(id: string, runId: string, seq: number): boolean {
  const r = runSeqOfClientOrderId(id);
  if (r === null) return false;
  if (r.run === runId) return r.seq >= seq;
  return parseInt(r.run, 36) > parseInt(runId, 36);
}
