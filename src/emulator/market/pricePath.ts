import type { Bar } from '../../core/Bar.js';

/**
 * The path a replayed minute takes: open, the extreme nearer the open, the other extreme, close (the
 * path backtrader assumes inside a bar). The emulator quotes and trades it; REST bars report its VWAP.
 */
export function pricePath(b: Bar): readonly [number, number, number, number] {
  const up = b.close >= b.open;
  return [b.open, up ? b.low : b.high, up ? b.high : b.low, b.close];
}

/** The volume each point of the path trades: an equal share, the remainder on the close. */
export function pathSizes(volume: number): readonly [number, number, number, number] {
  const base = Math.floor(volume / 4);
  return [base, base, base, volume - 3 * base];
}

/** Volume-weighted price of the path (the close when nothing traded), to 4 decimals. */
export function pathVwap(b: Bar): number {
  if (b.volume <= 0) return b.close;
  const path = pricePath(b);
  const sizes = pathSizes(b.volume);
  let notional = 0;
  for (let i = 0; i < 4; i++) notional += path[i]! * sizes[i]!;
  return Math.round((notional / b.volume) * 10_000) / 10_000;
}
