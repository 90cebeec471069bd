import { join } from 'node:path';
import type { Logger } from 'pino';
import { parseClientOrderId, runStartedAt } from '../execution/clientOrderId.js';
import type { LiveStart } from '../persistence/PortfolioSnapshot.js';
import { RunRegistry, type RunDetails, type StrategyRun } from '../persistence/RunRegistry.js';
import { RUNS, type LoadedSnapshot } from '../persistence/SnapshotStore.js';
import type { BreakerLimits } from '../risk/CircuitBreaker.js';
import type { StrategySpec } from './StrategySpec.js';
import { describeChange, strategyFingerprint } from './strategyFingerprint.js';

/** What a run trades, recorded with it in `runs.json` (the paper record's configuration history). */
export interface RunFacts {
  readonly mode: 'sim' | 'alpaca';
  readonly strategies: readonly StrategySpec[];
  /** The code fingerprint of a strategy type of your own (StrategyCatalog.userSource); none for built-ins. */
  readonly sourceOf?: (type: string) => string | undefined;
  /** The circuit-breaker limits each strategy runs with. */
  readonly breakers?: ReadonlyMap<string, BreakerLimits>;
  readonly risk: { readonly maxPositionPct: number; readonly maxOrderPct: number };
  /** A live start: what the readiness checklist let start, held back, and the override's reason. */
  readonly live?: LiveStart;
}

/** The run's record: each strategy's fingerprint and settings, and where in market time it took over. */
export function runDetails(facts: RunFacts, resumedAfter: number | null): RunDetails {
  return {
    mode: facts.mode,
    resumedAfter,
    risk: { ...facts.risk },
    strategies: Object.fromEntries(
      facts.strategies.map((s) => {
        const breakers = facts.breakers?.get(s.id);
        const source = facts.sourceOf?.(s.type);
        return [
          s.id,
          {
            type: s.type,
            params: s.params ?? {},
            symbols: [...s.symbols],
            capital: s.capital,
            fingerprint: strategyFingerprint({ ...s, source }),
            ...(source === undefined ? {} : { source }),
            ...(breakers === undefined ? {} : { breakers: { ...breakers } }),
          },
        ];
      }),
    ),
    ...(facts.live === undefined ? {} : { live: { started: [...facts.live.started], held: [...facts.live.held], override: facts.live.override } }),
  };
}

/**
 * The earlier runs whose orders are the daemon's, and `record`, which records this run in the state
 * directory's run registry: after a restore, those the registry lists and those the restored state
 * names (a file upgraded from an older version came with no registry); a fresh start has none (the
 * earlier runs' orders go with their archived state). The engine calls `record` before any order can
 * go out, once the start can no longer be refused by what it restores: a start refused (a
 * configuration the state does not fit) never ran and is not in the paper record. Once only: a
 * second call does nothing. With `facts`, the record says what the run trades.
 */
export function recordRun(stateDir: string, restored: LoadedSnapshot | null, runId: string, log: Logger, facts?: RunFacts): { runs: string[]; record: () => void; changed: string[] } {
  const registry = new RunRegistry(join(stateDir, RUNS));
  const startedAt = (r: string): string => runStartedAt(r) ?? '';
  let recorded = false;
  const once = (write: () => void) => (): void => {
    if (recorded) return;
    recorded = true;
    write();
  };
  if (restored === null) return { runs: [], record: once(() => registry.write([runId], startedAt, facts === undefined ? undefined : runDetails(facts, null))), changed: [] };
  const records = registry.records((m) => log.warn(m));
  const earlier = records.map((r) => r.id);
  earlier.push(restored.snapshot.runId);
  for (const o of restored.snapshot.engine.execution.inFlight) {
    const run = parseClientOrderId(o.clientOrderId)?.run;
    if (run !== undefined) earlier.push(run);
  }
  const runs = [...new Set(earlier)].filter((r) => r !== runId);
  const details = facts === undefined ? undefined : runDetails(facts, restored.snapshot.engine.lastBarTime);
  const saver = records.find((r) => r.id === restored.snapshot.runId)?.strategies;
  return { runs, record: once(() => registry.write([...runs, runId], startedAt, details)), changed: saver === undefined || details?.strategies === undefined ? [] : identityChanges(saver, details.strategies) };
}

/**
 * The strategies that are another strategy than the run that saved the state traded (type, params,
 * symbols or code: another fingerprint), in words; capital is not part of it (a deposit or withdrawal).
 */
function identityChanges(before: Readonly<Record<string, StrategyRun>>, after: Readonly<Record<string, StrategyRun>>): string[] {
  return Object.entries(after).flatMap(([id, s]) => {
    const was = before[id];
    if (was === undefined || was.fingerprint === s.fingerprint) return [];
    return [`strategy ${id}: ${describeChange(was, s)}: another strategy for the live checklist, its clock starts again (docs/readiness.md)`];
  });
}
