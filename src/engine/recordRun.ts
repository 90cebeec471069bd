import { join } from 'node:path';
import type { Logger } from 'pino';
import { parseClientOrderId, runStartedAt } from '../execution/clientOrderId.js';
import { RunRegistry } from '../persistence/RunRegistry.js';
import { RUNS, type LoadedSnapshot } from '../persistence/SnapshotStore.js';

/**
 * The earlier runs whose orders are the daemon's, with this run recorded in the state directory's
 * run registry before any order goes out: after a restore, those the registry lists and those the
 * restored state names (a file upgraded from an older version came with no registry); a fresh start
 * has none (the earlier runs' orders go with their archived state), and `record` is then called
 * once the start succeeded, after the archive.
 */
export function recordRun(stateDir: string, restored: LoadedSnapshot | null, runId: string, log: Logger): { runs: string[]; record: () => void } {
  const registry = new RunRegistry(join(stateDir, RUNS));
  if (restored === null) return { runs: [], record: () => registry.write([runId], (r) => runStartedAt(r) ?? '') };
  const earlier = registry.read((m) => log.warn(m));
  earlier.push(restored.snapshot.runId);
  for (const o of restored.snapshot.engine.execution.inFlight) {
    const run = parseClientOrderId(o.clientOrderId)?.run;
    if (run !== undefined) earlier.push(run);
  }
  const runs = [...new Set(earlier)].filter((r) => r !== runId);
  registry.write([...runs, runId], (r) => runStartedAt(r) ?? '');
  return { runs, record: () => {} };
}
