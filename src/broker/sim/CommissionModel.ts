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

/** `perShare` dollars a share with `minimum` dollars per fill (e.g. 0.005 and 1, a common retail schedule). */
export function perShareCommission(perShare: number, minimum = 0): CommissionModel {
  if (!Number.isFinite(perShare) || perShare < 0) throw new RangeError(`commission per share must be ≥ 0, got ${perShare}`);
  if (!Number.isFinite(minimum) || minimum < 0) throw new RangeError(`minimum commission must be ≥ 0, got ${minimum}`);
  if (perShare === 0 && minimum === 0) return noCommission;
  return Object.freeze({
    commission: (qty: number) => Math.max(qty * perShare, minimum),
    describe: () => `$${perShare}/share, min $${minimum}`,
  });
}
