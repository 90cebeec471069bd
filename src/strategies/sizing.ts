import { z } from 'zod';

/**
 * Order size: a fixed number of shares (`qty`) or a fraction of the strategy's allocated capital
 * (`fraction`, e.g. 0.1 = a tenth of the capital per entry, rounded down to whole shares).
 */
export const sizingShape = {
  qty: z.number().int().positive().optional().describe('shares per entry; give qty or fraction'),
  fraction: z.number().positive().max(1).optional().describe("share of the strategy's capital per entry, rounded down to whole shares; give qty or fraction"),
};

export interface Sizing {
  readonly qty?: number | undefined;
  readonly fraction?: number | undefined;
}

/** Zod check shared by strategy schemas: exactly one of qty and fraction. */
export function checkSizing(params: Sizing, ctx: z.RefinementCtx): void {
  if ((params.qty === undefined) === (params.fraction === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['qty'], message: 'give exactly one of qty (shares) or fraction (of capital)' });
  }
}

/** Whole shares for an entry at `price`; 0 when the fraction buys less than one share. */
export function sharesFor(sizing: Sizing, capital: number, price: number): number {
  if (sizing.qty !== undefined) return sizing.qty;
  if (sizing.fraction === undefined || !(price > 0)) return 0;
  return Math.floor((capital * sizing.fraction) / price);
}
