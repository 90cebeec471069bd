import type { EquityPoint } from '../../portfolio/EquityPoint.js';
import { encodePng } from './encodePng.js';

const WIDTH = 800;
const HEIGHT = 400;
const MARGIN = 20;

/**
 * The equity curve as a PNG (800 × 400): the curve in blue over a light grid, the starting equity as a
 * grey line, green above it and red below shaded to it. Numbers go in the message's caption.
 */
export function renderEquityChart(points: readonly EquityPoint[], startingEquity: number): Uint8Array {
  const px = new Uint8Array(WIDTH * HEIGHT * 3).fill(255);
  const set = (x: number, y: number, r: number, g: number, b: number): void => {
    if (x < 0 || y < 0 || x >= WIDTH || y >= HEIGHT) return;
    const i = (y * WIDTH + x) * 3;
    px[i] = r;
    px[i + 1] = g;
    px[i + 2] = b;
  };
  for (let k = 0; k <= 4; k++) {
    const y = Math.round(MARGIN + ((HEIGHT - 2 * MARGIN) * k) / 4);
    for (let x = MARGIN; x < WIDTH - MARGIN; x++) set(x, y, 230, 230, 230);
  }
  if (points.length === 0) return encodePng(WIDTH, HEIGHT, px);
  const values = points.map((p) => p.equity);
  let lo = Math.min(startingEquity, ...values);
  let hi = Math.max(startingEquity, ...values);
  if (hi - lo < 1e-9) {
    lo -= 1;
    hi += 1;
  }
  const xOf = (i: number): number => Math.round(MARGIN + (points.length === 1 ? 0 : ((WIDTH - 2 * MARGIN - 1) * i) / (points.length - 1)));
  const yOf = (v: number): number => Math.round(HEIGHT - MARGIN - 1 - ((HEIGHT - 2 * MARGIN - 1) * (v - lo)) / (hi - lo));
  const base = yOf(startingEquity);
  for (let x = MARGIN; x < WIDTH - MARGIN; x++) set(x, base, 150, 150, 150);
  for (let i = 0; i < points.length; i++) {
    const x = xOf(i);
    const y = yOf(values[i]!);
    const [r, g, b] = y <= base ? [200, 240, 200] : [245, 205, 205];
    for (let yy = Math.min(y, base) + 1; yy < Math.max(y, base); yy++) set(x, yy, r, g, b);
  }
  for (let i = 1; i < points.length; i++) line(xOf(i - 1), yOf(values[i - 1]!), xOf(i), yOf(values[i]!), (x, y) => {
    set(x, y, 30, 90, 200);
    set(x, y + 1, 30, 90, 200);
  });
  if (points.length === 1) set(xOf(0), yOf(values[0]!), 30, 90, 200);
  return encodePng(WIDTH, HEIGHT, px);
}

/** Bresenham's line from (x0, y0) to (x1, y1). */
function line(x0: number, y0: number, x1: number, y1: number, plot: (x: number, y: number) => void): void {
  const dx = Math.abs(x1 - x0);
  const dy = -Math.abs(y1 - y0);
  const sx = x0 < x1 ? 1 : -1;
  const sy = y0 < y1 ? 1 : -1;
  let err = dx + dy;
  for (;;) {
    plot(x0, y0);
    if (x0 === x1 && y0 === y1) return;
    const e2 = 2 * err;
    if (e2 >= dy) {
      err += dy;
      x0 += sx;
    }
    if (e2 <= dx) {
      err += dx;
      y0 += sy;
    }
  }
}
