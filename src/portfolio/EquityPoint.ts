/** Equity at one instant. */
export interface EquityPoint {
  readonly time: number;
  readonly equity: number;
}
