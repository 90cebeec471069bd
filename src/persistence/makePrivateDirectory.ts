import { chmodSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PRIVATE_DIR_MODE } from './privateModes.js';

/**
 * Creates `dir` and any missing parent, each of them owner-only (0700, set after mkdir since mkdir's
 * mode is masked by the umask). Directories that already exist are left as they are: whether an
 * existing directory may be used is `ensureOwnedDirectory`'s decision, made at start.
 */
export function makePrivateDirectory(dir: string): void {
  const target = resolve(dir);
  const first = mkdirSync(target, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (first === undefined) return;
  // Every directory from `target` up to the first one created is new.
  for (let d = target; ; d = dirname(d)) {
    chmodSync(d, PRIVATE_DIR_MODE);
    if (d === first || dirname(d) === d) return;
  }
}
