import type { Grid } from './parseGrid.js';

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** One scored combination: its grid values and the objective's value (null: undefined there). */
export interface Scored {
  readonly index: number;
  readonly grid: Readonly<Record<string, unknown>>;
  readonly value: number | null;
}

/** The objective over two parameters: each cell the best over the other parameters' values. */
export interface Heatmap {
  readonly x: string;
  readonly y: string;
  readonly xValues: readonly unknown[];
  readonly yValues: readonly unknown[];
  /** cells[row of y][column of x]: the best value there, null when none is defined (or skipped). */
  readonly cells: ReadonlyArray<ReadonlyArray<number | null>>;
}

/**
 * How the best combination's neighbours fare: the combinations one step away or less in every
 * parameter of the grid (its region). A peak whose neighbours keep most of its value is a plateau,
 * robust to the parameters being a little off; a lone spike is more likely noise fitted.
 */
export interface Stability {
  readonly neighbours: number;
  readonly best: number | null;
  readonly mean: number | null;
  readonly min: number | null;
  /** mean / best (for a positive best): 1 a flat plateau, near 0 or below a lone spike. */
  readonly meanOverBest: number | null;
}

const position = (grid: Grid, key: string, value: unknown): number => grid.values[grid.keys.indexOf(key)]!.findIndex((v) => same(v, value));

/** The heatmap over the first two parameters with more than one value; null when fewer than two vary. */
export function heatmap(grid: Grid, scored: readonly Scored[], higherIsBetter: boolean): Heatmap | null {
  const varying = grid.keys.filter((_, k) => grid.values[k]!.length > 1);
  if (varying.length < 2) return null;
  const [x, y] = [varying[0]!, varying[1]!];
  const xValues = grid.values[grid.keys.indexOf(x)]!;
  const yValues = grid.values[grid.keys.indexOf(y)]!;
  const cells: Array<Array<number | null>> = yValues.map(() => xValues.map(() => null));
  for (const s of scored) {
    if (s.value === null) continue;
    const row = cells[position(grid, y, s.grid[y])]!;
    const col = position(grid, x, s.grid[x]);
    const was = row[col]!;
    if (was === null || (higherIsBetter ? s.value > was : s.value < was)) row[col] = s.value;
  }
  return { x, y, xValues, yValues, cells };
}

/** The region of the best combination (see `Stability`). */
export function stability(grid: Grid, scored: readonly Scored[], best: Scored): Stability {
  const at = (s: Scored): number[] => grid.keys.map((k) => position(grid, k, s.grid[k]));
  const home = at(best);
  const values = scored
    .filter((s) => s.index !== best.index && at(s).every((p, k) => Math.abs(p - home[k]!) <= 1))
    .map((s) => s.value)
    .filter((v): v is number => v !== null);
  if (values.length === 0) return { neighbours: 0, best: best.value, mean: null, min: null, meanOverBest: null };
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return {
    neighbours: values.length,
    best: best.value,
    mean,
    min: Math.min(...values),
    meanOverBest: best.value !== null && best.value > 0 ? mean / best.value : null,
  };
}
