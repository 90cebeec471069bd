import type { RiskRule } from '../RiskRule.js';
import { RiskRuleName } from '../RiskRuleName.js';

/** Whether `price` is a whole number of `decimals`-place ticks (within float noise). */
function onTick(price: number, decimals: number): boolean {
  const scaled = price * 10 ** decimals;
  return Math.abs(scaled - Math.round(scaled)) < 1e-6;
}

/**
 * Limit and stop prices respect Alpaca's ticks: whole cents at or above $1, up to 4 decimals below
 * (Alpaca answers 422 "sub-penny increment does not fulfill minimum pricing criteria").
 */
export const tickSize: RiskRule = {
  name: RiskRuleName.TickSize,
  check(intent) {
    return offTick('limit', intent.limitPrice) ?? offTick('stop', intent.stopPrice);
  },
};

function offTick(label: string, price: number | undefined): string | null {
  if (price === undefined) return null;
  const decimals = price >= 1 ? 2 : 4;
  if (onTick(price, decimals)) return null;
  return `${label} price ${price} is not a multiple of $${decimals === 2 ? '0.01' : '0.0001'} (Alpaca: 2 decimals at or above $1, 4 below); nearest is ${Number(price.toFixed(decimals))}`;
}
