import { join } from 'node:path';
import type { Logger } from 'pino';
import { parseClientOrderId, runStartedAt } from '../execution/clientOrderId.js';
import { RunRegistry } from '../persistence/RunRegistry.js';
import { RUNS, type LoadedSnapshot } from '../persistence/SnapshotStore.js';

/**
 * Records this run in the state directory's run registry before any order goes out, and returns
 * the earlier runs whose orders are the daemon's: those the registry lists, and those the restored
 * state names (a file upgraded from an older version came with no registry).
 */
export function recordRun(stateDir: string, restored: LoadedSnapshot | null, runId: string, log: Logger): string[] {
  const registry = new RunRegistry(join(stateDir, RUNS));
  const earlier = registry.read((m) => log.warn(m));
  if (restored !== null) {
    earlier.push(restored.snapshot.runId);
    for (const o of restored.snapshot.engine.execution.inFlight) {
      const run = parseClientOrderId(o.clientOrderId)?.run;
      if (run !== undefined) earlier.push(run);
    }
  }
  const runs = [...new Set(earlier)].filter((r) => r !== runId);
  registry.write([...runs, runId], (r) => runStartedAt(r) ?? '');
  return runs;
}
