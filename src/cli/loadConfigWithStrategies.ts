import { readFileSync } from 'node:fs';
import type { DaemonConfig } from '../config/configSchema.js';
import { loadConfig } from '../config/loadConfig.js';
import { DEFAULT_STRATEGIES_DIR, loadStrategyCatalog, type StrategyCatalogOptions } from '../strategies/loadStrategyCatalog.js';
import type { StrategyCatalog } from '../strategies/StrategyCatalog.js';

/** A configuration and the strategy types it may name (the built-ins and its `strategies_dir`'s modules). */
export interface ConfigWithStrategies {
  readonly config: DaemonConfig;
  readonly strategies: StrategyCatalog;
}

/**
 * The one way a command reads its configuration: first the strategy types (the folder
 * `strategies_dir` names, read from the file before the rest is checked), then the configuration,
 * each strategy's params checked against its type's schema.
 */
export async function loadConfigWithStrategies(file: string, modules: StrategyCatalogOptions['modules'] = 'load'): Promise<ConfigWithStrategies> {
  const named = strategiesDirOf(file);
  const strategies = await loadStrategyCatalog({ folder: named ?? DEFAULT_STRATEGIES_DIR, required: named !== null, modules, namedBy: `${file}: strategies_dir` });
  return { config: loadConfig(file, { strategyParams: strategies.paramSchemas() }), strategies };
}

/** `strategies_dir` of the file when it is readable JSON naming one; else null (the loader then says what is wrong). */
function strategiesDirOf(file: string): string | null {
  try {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as { strategies_dir?: unknown } | null;
    const dir = raw?.strategies_dir;
    return typeof dir === 'string' && dir.length > 0 ? dir : null;
  } catch {
    return null;
  }
}
