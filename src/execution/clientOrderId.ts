/**
 * Client order ids name their strategy: `<strategy>-<run>-<seq>`. Strategy ids are lower-case
 * letters, digits and `_` (never `-`), so the owner can be read back from any order, even one sent
 * before a restart. Alpaca accepts up to 128 characters.
 */
export function clientOrderId(strategyId: string, runId: string, seq: number): string {
  const id = `${strategyId}-${runId}-${seq}`;
  if (id.length > 128) throw new RangeError(`client order id longer than 128 characters: ${id}`);
  return id;
}

export function strategyOfClientOrderId(id: string): string | null {
  const dash = id.indexOf('-');
  return dash > 0 ? id.slice(0, dash) : null;
}

/** The run and sequence number of one of our client order ids (a bracket leg's suffix ignored), null if it is not one. */
export function runSeqOfClientOrderId(id: string): { readonly run: string; readonly seq: number } | null {
  const m = /^[a-z0-9][a-z0-9_]*-([a-z0-9]+)-(\d+)(?:-(?:sl|tp|ts))?$/.exec(id);
  return m === null ? null : { run: m[1]!, seq: Number(m[2]) };
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
