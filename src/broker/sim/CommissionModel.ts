/** What a fill costs in fees, in dollars. */
export interface CommissionModel {
  commission(qty: number, price: number): number;
  describe(): string;
}

/** Alpaca charges no commission on US equities; backtrader's default is none too. */
export const noCommission: CommissionModel = Object.freeze({
  commission: () => 0,
  describe: () => 'none',
});

/**
 * `perShare` dollars a share plus `perOrder` dollars a fill, at least `minimum` dollars a fill
 * (e.g. 0.005/share with a $1 minimum, a common retail schedule).
 */
export function perShareCommission(perShare: number, minimum = 0, perOrder = 0): CommissionModel {
  for (const [name, v] of [
    ['commission per share', perShare],
    ['minimum commission', minimum],
    ['commission per order', perOrder],
  ] as const) {
    if (!Number.isFinite(v) || v < 0) throw new RangeError(`${name} must be ≥ 0, got ${v}`);
  }
  if (perShare === 0 && minimum === 0 && perOrder === 0) return noCommission;
  const parts = [perShare > 0 ? `$${perShare}/share` : null, perOrder > 0 ? `$${perOrder}/order` : null, minimum > 0 ? `min $${minimum}` : null];
  return Object.freeze({
    commission: (qty: number) => Math.max(qty * perShare + perOrder, minimum),
    describe: () => parts.filter((p) => p !== null).join(', '),
  });
}
