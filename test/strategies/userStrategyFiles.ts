import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The daemon's src/, by absolute path: modules in a scratch folder import its api.ts from there. */
export const SRC = join(import.meta.dirname, '..', '..', 'src');

/** A scratch strategies folder holding `files` (name → source). */
export function strategiesFolder(files: Record<string, string>): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'user-strategies-')), 'strategies');
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/**
 * `my_cross`: the built-in sma_cross as a user module, so a run of both on the same bars must give
 * the same fills (the loading, the params and the runner are what is under test).
 */
export const MY_CROSS = `import { MovingAverageCrossover, movingAverageCrossoverParams } from '${SRC}/strategies/MovingAverageCrossover.js';
export const params = movingAverageCrossoverParams;
export default class MyCross extends MovingAverageCrossover {}
`;

/**
 * \`buy_second\` in plain JavaScript: buys \`qty\` on the second live bar of each symbol and sells it
 * \`hold\` bars later. Hand-computable: fills at the next bars' opens.
 */
export const BUY_SECOND_JS = `import { z } from 'zod';
import { Strategy } from '${SRC}/strategies/api.js';

export const params = z.strictObject({ qty: z.number().int().positive(), hold: z.number().int().min(1).default(2) });
export const description = 'buys on the second live bar, sells hold bars later';

export default class BuySecond extends Strategy {
  #seen = new Map();
  onBar(bar, ctx) {
    if (ctx.warmingUp) return;
    const n = (this.#seen.get(bar.symbol) ?? 0) + 1;
    this.#seen.set(bar.symbol, n);
    if (n === 2) ctx.buy(bar.symbol, this.params.qty, { reason: 'second bar' });
    if (n === 2 + this.params.hold) ctx.closePosition(bar.symbol, 'held long enough');
  }
}
`;
