/** A holding: signed quantity (negative is short) and its average entry price. */
export interface Position {
  readonly symbol: string;
  readonly qty: number;
  readonly avgPrice: number;
}
