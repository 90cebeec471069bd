import type { Logger } from 'pino';
import type { MatchingEngine } from '../broker/sim/MatchingEngine.js';
import type { EngineState } from '../persistence/engineStateSchema.js';
import type { LoadedSnapshot } from '../persistence/SnapshotStore.js';
import { applyConfigChange } from './applyConfigChange.js';
import type { TradingCore } from './buildTradingCore.js';
import { restoreEngineState } from './engineState.js';
import type { StrategySpec } from './StrategySpec.js';

export interface RestoreOptions {
  readonly core: TradingCore;
  /** The offline venue (its account is part of the state), null in Alpaca mode. */
  readonly venue: MatchingEngine | null;
  readonly loaded: LoadedSnapshot;
  readonly strategies: readonly StrategySpec[];
  readonly configFile: string;
  /** Market time of the restart (when a change of capital is recorded). */
  readonly time: number;
  /** Offline: the unallocated cash when the file does not say (version 2: the starting cash less the saved capitals). */
  readonly unallocatedCash: (saved: EngineState) => number | null;
  readonly log: Logger;
}

/**
 * The restore step of a start, in either mode: the saved state fitted to the configuration (what
 * changed is logged and returned), then put back into the core. Throws ConfigError when the change
 * would orphan shares or orders.
 */
export function restoreState(o: RestoreOptions): { state: EngineState; changes: readonly string[]; fresh: readonly string[] } {
  const saved = o.loaded.snapshot.engine;
  const withCash: EngineState = saved.unallocatedCash === null ? { ...saved, unallocatedCash: o.unallocatedCash(saved) } : saved;
  const { state, changes } = applyConfigChange(withCash, o.strategies, o.time, o.configFile);
  for (const c of changes) o.log.warn({ change: c, file: o.loaded.file }, `configuration changed since the state was saved: ${c}`);
  const { fresh } = restoreEngineState(o.core, o.venue, state);
  return { state, changes, fresh };
}
