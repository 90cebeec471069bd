import { readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Message, Plugin } from 'esbuild';
import type { SourceFile } from '../strategySourceHash.js';

/** A user module compiled into one ES module, with the sources it was made of. */
export interface CompiledModule {
  /** The JavaScript, with an inline source map pointing at the user's files. */
  readonly code: string;
  /** The module and the helpers it imports from its own folder (paths relative to it), for its fingerprint. */
  readonly sources: SourceFile[];
}

/** What a module could not be compiled for: one line per error, `FILE:LINE:COLUMN: cannot compile: …`. */
export class CompileFailure extends Error {
  readonly lines: readonly string[];
  constructor(lines: readonly string[]) {
    super(lines.join('\n'));
    this.lines = lines;
  }
}

const SKIP = Symbol('resolved by the daemon');

/**
 * Packages (`zod`, `trading-signals` …) stay imports of the installed package, resolved beside the
 * module first, then in the daemon's own node_modules, and written as absolute file URLs: the
 * compiled module runs from a temporary folder, wherever the user's folder is.
 */
function packagesFrom(daemonRoot: string): Plugin {
  return {
    name: 'daemon-packages',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData === SKIP || isAbsolute(args.path)) return undefined;
        if (isBuiltin(args.path)) return { path: args.path, external: true };
        for (const resolveDir of [args.resolveDir, daemonRoot]) {
          const found = await build.resolve(args.path, { kind: args.kind, resolveDir, pluginData: SKIP });
          if (found.errors.length === 0 && found.path !== '') return { path: pathToFileURL(found.path).href, external: true };
        }
        return { errors: [{ text: `cannot find the package "${args.path}" (install it in ${daemonRoot} with npm install)` }] };
      });
    },
  };
}

/**
 * Compiles one module of the user's folder the way the daemon itself is compiled (esbuild: TypeScript
 * or JavaScript, ES modules, Node 20): its relative imports (its helpers, the daemon's
 * src/strategies/api.ts) are bundled in, packages stay imports. Types are not checked here (esbuild
 * strips them): `npm test` runs tsc over the folder.
 */
export async function compileUserModule(file: string, folder: string, daemonRoot: string): Promise<CompiledModule> {
  const esbuild = await import('esbuild');
  const absFolder = resolve(folder);
  let result;
  try {
    result = await esbuild.build({
      entryPoints: [resolve(file)],
      absWorkingDir: absFolder,
      bundle: true,
      write: false,
      metafile: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      outfile: join(absFolder, 'out.mjs'),
      sourcemap: 'inline',
      logLevel: 'silent',
      plugins: [packagesFrom(daemonRoot)],
    });
  } catch (error) {
    const errors = (error as { errors?: Message[] }).errors;
    if (errors === undefined || errors.length === 0) throw error;
    const where = (m: Message): string => (m.location === null ? file : `${join(folder, m.location.file)}:${m.location.line}:${m.location.column + 1}`);
    throw new CompileFailure(errors.map((m) => `${where(m)}: cannot compile: ${m.text}`));
  }
  const code = result.outputFiles.find((f) => f.path.endsWith('.mjs'))!.text;
  // Inputs are relative to the folder: those inside it (not ../src, not a package) are the user's.
  const sources = Object.keys(result.metafile.inputs)
    .filter((p) => !p.startsWith('..') && !isAbsolute(p) && !p.includes('node_modules') && !p.includes(':'))
    .map((p) => ({ path: p, bytes: readFileSync(join(absFolder, p)) }));
  return { code, sources };
}
