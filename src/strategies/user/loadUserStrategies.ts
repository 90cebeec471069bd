import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { StrategyModuleError } from '../../core/errors.js';
import type { StrategyType } from '../StrategyCatalog.js';
import { CompileFailure, compileUserModule, type CompiledModule } from './compileUserModule.js';
import { findUserModules, type UserModule } from './findUserModules.js';
import { userStrategyType } from './userStrategyType.js';

export interface LoadUserStrategiesOptions {
  /** The folder, as configured (`strategies_dir`), relative to the working directory or absolute. */
  readonly folder: string;
  /** A folder that does not exist is an error (the configuration named it) rather than none at all (the default). */
  readonly required: boolean;
  /** What named the folder, for messages: `FILE: strategies_dir` or `--strategies-dir` (default `strategies_dir`). */
  readonly namedBy?: string;
  /** Names already taken (the built-ins): a module may not shadow one. */
  readonly reserved: ReadonlySet<string>;
  /** Where the daemon's node_modules are (packages the modules import come from there). */
  readonly daemonRoot: string;
  /** Load these types only (a backtest of one strategy); default: every module of the folder. */
  readonly only?: readonly string[];
}

/**
 * The strategy types of the user's folder: each module found, compiled (compileUserModule),
 * imported and checked (userStrategyType). Every problem of every module is reported at once, one
 * line each naming the file, as one StrategyModuleError (exit 2).
 */
export async function loadUserStrategies(o: LoadUserStrategiesOptions): Promise<StrategyType[]> {
  if (!existsSync(o.folder)) {
    if (o.required) throw new StrategyModuleError(`${o.namedBy ?? 'strategies_dir'}: no such folder ${o.folder} (the folder of your own strategy modules; leave it out for the default, strategies/)`);
    return [];
  }
  if (!statSync(o.folder).isDirectory()) throw new StrategyModuleError(`${o.namedBy ?? 'strategies_dir'}: ${o.folder} is a file, not a folder`);
  const found = findUserModules(o.folder);
  const problems = [...found.problems];
  const modules = found.modules.filter((m) => {
    if (!o.reserved.has(m.type)) return true;
    problems.push(`${m.file}: "${m.type}" is a built-in strategy type: rename the file (its name is the type the configuration names)`);
    return false;
  });
  const wanted = o.only === undefined ? modules : modules.filter((m) => o.only!.includes(m.type));
  const compiled = await compileAll(wanted, o.daemonRoot, problems);
  const types: StrategyType[] = [];
  // The compiled code runs from a private temporary folder (0700), removed once imported.
  const scratch = compiled.some((c) => c !== null) ? mkdtempSync(join(tmpdir(), 'daemon-strategies-')) : null;
  try {
    for (const c of compiled) {
      if (c === null) continue;
      const out = join(scratch!, `${c.module.type}.mjs`);
      writeFileSync(out, c.compiled.code, { mode: 0o600 });
      let exports: Record<string, unknown>;
      try {
        exports = (await import(pathToFileURL(out).href)) as Record<string, unknown>;
      } catch (error) {
        problems.push(`${c.module.file}: loading it failed: ${error instanceof Error ? error.message : String(error)}`);
        continue;
      }
      const t = userStrategyType(c.module, exports, c.compiled.sources);
      if (Array.isArray(t)) problems.push(...t);
      else types.push(t);
    }
  } finally {
    if (scratch !== null) rmSync(scratch, { recursive: true, force: true });
  }
  if (problems.length > 0) throw new StrategyModuleError(problems.join('\n'));
  return types;
}

/** Compiles the modules (their compile errors go to `problems`), then stops esbuild's helper process: a daemon keeps no idle compiler. */
async function compileAll(modules: readonly UserModule[], daemonRoot: string, problems: string[]): Promise<Array<{ module: UserModule; compiled: CompiledModule } | null>> {
  if (modules.length === 0) return [];
  try {
    return await Promise.all(
      modules.map(async (m) => {
        try {
          return { module: m, compiled: await compileUserModule(m.file, m.folder, daemonRoot) };
        } catch (error) {
          if (!(error instanceof CompileFailure)) throw error;
          problems.push(...error.lines);
          return null;
        }
      }),
    );
  } finally {
    await (await import('esbuild')).stop();
  }
}
