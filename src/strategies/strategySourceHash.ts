import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { daemonRoot } from './daemonRoot.js';
import type { StrategyCatalog } from './StrategyCatalog.js';

/** One file of a strategy's source: its path (relative to its folder) and its bytes. */
export interface SourceFile {
  readonly path: string;
  readonly bytes: Uint8Array;
}

const sha256 = (data: Uint8Array | string): string => createHash('sha256').update(data).digest('hex');

/**
 * The fingerprint of a strategy's code. One file: the sha256 of its bytes (what `sha256sum FILE`
 * prints). Several (a module and the helpers it imports from its folder): the sha256 of the lines
 * `sha256sum` would print for them, sorted by path. Editing any of them changes it.
 */
export function hashSources(files: readonly SourceFile[]): string {
  if (files.length === 1) return sha256(files[0]!.bytes);
  const lines = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)).map((f) => `${sha256(f.bytes)}  ${f.path}\n`);
  return sha256(lines.join(''));
}

/**
 * A built-in's fingerprint: the sha256 of its file under src/strategies/ (shipped with the daemon in
 * every install, bundle or not); where that file is missing, of the daemon's name and version.
 */
export function builtInSourceHash(file: string, root: string = daemonRoot()): string {
  try {
    return hashSources([{ path: file, bytes: readFileSync(join(root, 'src', 'strategies', file)) }]);
  } catch {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name?: string; version?: string };
    return sha256(`${pkg.name ?? 'daemon'}@${pkg.version ?? '0'} src/strategies/${file}`);
  }
}

/**
 * sha256 (hex) of the source of a strategy type: a user module's file (with the helpers it imports
 * from its folder), or a built-in's file. The readiness record keeps it, so editing a strategy's code
 * restarts its paper-trading clock as a parameter change does.
 */
export function strategySourceHash(catalog: StrategyCatalog, type: string): string {
  return catalog.sourceHash(type);
}
