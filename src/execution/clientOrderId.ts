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
