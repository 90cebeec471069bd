import type { StrategySpec } from '../engine/StrategySpec.js';
import type { Strategy } from '../strategies/Strategy.js';
import { loadStrategyModule } from '../strategies/loadStrategyCatalog.js';
import type { SweepSetup } from './SweepSetup.js';

/** Builds a sweep's strategy for `runBacktest` (its `createStrategy`): none for a built-in type. */
export type CreateStrategy = (spec: StrategySpec) => Strategy;

/**
 * The sweep's strategy module of your own, loaded where the backtests run (a worker thread, or a
 * worker on another machine, which must have the same file): compiled and checked as every command
 * loads it, and refused when its code is not the code the sweep started with (its sha256), so every
 * combination of a sweep runs the same strategy.
 */
export async function sweepStrategy(setup: SweepSetup): Promise<CreateStrategy | undefined> {
  if (setup.module === null) return undefined;
  const t = await loadStrategyModule(setup.module.file);
  const sha256 = t.sourceHash();
  if (sha256 !== setup.module.sha256) {
    throw new Error(`${setup.module.file}: its code is not the code the sweep started with (sha256 ${sha256.slice(0, 12)}…, the sweep's ${setup.module.sha256.slice(0, 12)}…): the same file must be on every worker`);
  }
  return (spec) => t.create(spec.params, spec.symbols);
}
