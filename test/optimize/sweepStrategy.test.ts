import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sweepStrategy } from '../../src/optimize/sweepStrategy.js';
import type { SweepSetup } from '../../src/optimize/SweepSetup.js';
import { MY_CROSS, strategiesFolder } from '../strategies/userStrategyFiles.js';

const setupOf = (module: SweepSetup['module']): SweepSetup =>
  ({ strategy: { id: 's', type: 'my_cross', symbols: ['SPY'], capital: 10_000, params: { fast: 2, slow: 5, qty: 1 } }, module }) as unknown as SweepSetup;

describe('a sweep’s strategy of your own, where the backtests run', () => {
  it('is built from its file when the code is the sweep’s, refused by name when it is not, and absent for a built-in', async () => {
    const file = join(strategiesFolder({ 'my_cross.ts': MY_CROSS }), 'my_cross.ts');
    const sha256 = createHash('sha256').update(MY_CROSS).digest('hex');
    expect(await sweepStrategy(setupOf(null))).toBeUndefined();
    const create = await sweepStrategy(setupOf({ file, sha256 }));
    expect(create?.({ id: 's', type: 'my_cross', symbols: ['SPY'], capital: 10_000, params: { fast: 2, slow: 5, qty: 1 } })).toBeDefined();
    await expect(sweepStrategy(setupOf({ file, sha256: '0'.repeat(64) }))).rejects.toThrow(
      `${file}: its code is not the code the sweep started with (sha256 ${sha256.slice(0, 12)}…, the sweep's 000000000000…): the same file must be on every worker`,
    );
  });
});
