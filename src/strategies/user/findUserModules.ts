import { readdirSync } from 'node:fs';
import { extname, join } from 'node:path';

/** A module of the user's strategies folder: the type it defines and where it is. */
export interface UserModule {
  /** The type the configuration names: the file's name without its extension. */
  readonly type: string;
  /** The path as the user would write it (the folder as configured, then the file's name): for messages. */
  readonly file: string;
  readonly folder: string;
}

/** TypeScript or JavaScript, as ES modules. */
export const MODULE_EXTENSIONS: readonly string[] = ['.ts', '.mts', '.js', '.mjs'];

/** A type is named like a strategy id (a backtest of one strategy uses its type as the id, which client order ids carry). */
export const TYPE_NAME = /^[a-z][a-z0-9_]{0,39}$/;

/**
 * The strategy modules of `folder`: every `.ts`/`.mts`/`.js`/`.mjs` file directly in it, except
 * tests (`*.test.*`, `*.spec.*`), declarations (`*.d.ts`) and names starting with `_` or `.`, which
 * (like sub-folders) are helpers a module may import. Problems (a bad name, one name twice) are
 * returned, one line each, naming the file.
 */
export function findUserModules(folder: string): { modules: UserModule[]; problems: string[] } {
  const modules: UserModule[] = [];
  const problems: string[] = [];
  const seen = new Map<string, string>();
  const entries = readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const entry of entries) {
    const ext = extname(entry.name);
    if (!entry.isFile() || !MODULE_EXTENSIONS.includes(ext)) continue;
    const stem = entry.name.slice(0, -ext.length);
    if (stem.startsWith('_') || stem.startsWith('.') || /\.(test|spec|d)$/.test(stem)) continue;
    const file = join(folder, entry.name);
    if (!TYPE_NAME.test(stem)) {
      problems.push(`${file}: the file's name is the strategy type, and "${stem}" cannot be one: use 1–40 lower-case letters, digits or _, starting with a letter, e.g. my_breakout.ts (a helper module: start its name with _, or put it in a sub-folder)`);
      continue;
    }
    const other = seen.get(stem);
    if (other !== undefined) {
      problems.push(`${file}: ${other} defines the strategy type "${stem}" too: keep one of them`);
      continue;
    }
    seen.set(stem, file);
    modules.push({ type: stem, file, folder });
  }
  return { modules, problems };
}
