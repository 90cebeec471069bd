import { existsSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { z } from 'zod';
import { builtInStrategyTypes } from './builtInStrategies.js';
import { daemonRoot } from './daemonRoot.js';
import { StrategyCatalog, StrategyOrigin, type StrategyType } from './StrategyCatalog.js';
import { findUserModules } from './user/findUserModules.js';
import { loadUserStrategies } from './user/loadUserStrategies.js';

/** The user's folder when the configuration does not name one: `strategies/` in the working directory (the project root under npm). */
export const DEFAULT_STRATEGIES_DIR = 'strategies';

export interface StrategyCatalogOptions {
  /** The user's strategies folder (`strategies_dir`). */
  readonly folder: string;
  /** The configuration named the folder: its absence is an error. */
  readonly required: boolean;
  /** What named the folder, for messages: `FILE: strategies_dir` or `--strategies-dir`. */
  readonly namedBy?: string;
  /**
   * `load` (default): compile, import and check every module (commands that run strategies).
   * `names`: only know the modules' type names, accepting any params (commands that only read a
   * configuration's paths, e.g. ctl and status, which must work while a module is being edited).
   */
  readonly modules?: 'load' | 'names';
  /** Load only these user types (a backtest of one strategy); default: all of them. */
  readonly only?: readonly string[];
}

/** The built-ins and the user's strategy types, for one command: loaded once, then passed to what needs them. */
export async function loadStrategyCatalog(o: StrategyCatalogOptions): Promise<StrategyCatalog> {
  const builtIns = builtInStrategyTypes();
  const reserved = new Set(builtIns.map((t) => t.type));
  if (o.modules === 'names') return new StrategyCatalog([...builtIns, ...namesOnly(o.folder, reserved)]);
  const user = await loadUserStrategies({ folder: o.folder, required: o.required, reserved, daemonRoot: daemonRoot(), ...(o.only === undefined ? {} : { only: o.only }), ...(o.namedBy === undefined ? {} : { namedBy: o.namedBy }) });
  return new StrategyCatalog([...builtIns, ...user]);
}

function namesOnly(folder: string, reserved: ReadonlySet<string>): StrategyType[] {
  if (!existsSync(folder)) return [];
  return findUserModules(folder)
    .modules.filter((m) => !reserved.has(m.type))
    .map((m) => ({
      type: m.type,
      origin: StrategyOrigin.User,
      file: m.file,
      params: z.record(z.string(), z.unknown()),
      description: m.file,
      create: () => {
        throw new Error(`${m.file} was not loaded (this command only reads the configuration)`);
      },
      sourceHash: () => {
        throw new Error(`${m.file} was not loaded (this command only reads the configuration)`);
      },
    }));
}

/**
 * One module of a strategies folder, loaded and checked exactly as a command loads it (a module's
 * own test uses it): its type is its file's name.
 */
export async function loadStrategyModule(file: string): Promise<StrategyType> {
  const type = basename(file).replace(/\.[^.]*$/, '');
  const catalog = await loadStrategyCatalog({ folder: dirname(file), required: true, only: [type] });
  const t = catalog.get(type);
  if (t === undefined || t.origin !== StrategyOrigin.User) throw new RangeError(`${file} is not a strategy module of its folder (see docs/strategies.md: the folder)`);
  return t;
}
