/** `$1,234.56`; negative amounts as `-$1,234.56`. */
export function formatMoney(amount: number): string {
  const abs = Math.abs(amount).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return `${amount < 0 ? '-' : ''}$${abs}`;
}

/** Signed P&L: `+$12.30`, `-$4.00`. */
export function formatPnl(amount: number): string {
  const rounded = Math.round(amount * 100) / 100;
  return `${rounded < 0 ? '-' : '+'}${formatMoney(Math.abs(rounded))}`;
}

/** A fill price as traded: at least 2 decimals, up to 4 for sub-penny ticks ($150.25, $0.1234). */
export function formatPrice(price: number): string {
  const digits = Math.round(price * 100) === price * 100 ? 2 : 4;
  return `$${price.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: digits })}`;
}
