import type { Bar } from '../../core/Bar.js';

/**
 * The path a replayed minute takes: open, the extreme nearer the open, the other extreme, close (the
 * path backtrader assumes inside a bar). The emulator quotes and prints it (see minuteTape).
 */
export function pricePath(b: Bar): readonly [number, number, number, number] {
  const up = b.close >= b.open;
  return [b.open, up ? b.low : b.high, up ? b.high : b.low, b.close];
}
