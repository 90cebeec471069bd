import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The daemon's own folder (the one with its package.json and node_modules), found from this code's
 * location: src/strategies/ when run through tsx, dist/ in the compiled bundle. Not the working
 * directory: a user's strategies folder may be anywhere.
 */
export function daemonRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}
