import { perShareCommission, type CommissionModel } from './CommissionModel.js';
import { bpsSlippage, rangeSlippage, type SlippageModel } from './SlippageModel.js';

/** The cost settings of the offline venue, as the config's `sim` section names them. */
export interface CostSettings {
  readonly slippage_bps: number;
  readonly slippage_range: number;
  readonly commission_per_share: number;
  readonly commission_per_order: number;
  readonly commission_min_per_order: number;
}

/** Builds the slippage and commission models; both off by default. */
export function costModels(c: CostSettings): { slippage: SlippageModel; commission: CommissionModel } {
  if (c.slippage_bps > 0 && c.slippage_range > 0) throw new RangeError('slippage: give basis points or a fraction of the bar range, not both');
  return {
    slippage: c.slippage_range > 0 ? rangeSlippage(c.slippage_range) : bpsSlippage(c.slippage_bps),
    commission: perShareCommission(c.commission_per_share, c.commission_min_per_order, c.commission_per_order),
  };
}
