import { closeSync, constants, fchmodSync, fstatSync, lstatSync, openSync } from 'node:fs';
import { resolve } from 'node:path';
import { UnsafePathError } from '../core/UnsafePathError.js';
import { makePrivateDirectory } from './makePrivateDirectory.js';
import { O_DIRECTORY, O_NOFOLLOW, ownUid, PRIVATE_DIR_MODE } from './privateModes.js';

/**
 * The daemon keeps its state and logs only in a directory of its own: one that is missing is
 * created owner-only (0700); one that exists must be a real directory (not a symbolic link) that
 * belongs to this user, and is tightened to 0700 (a directory left wider by an older version or a
 * loose umask). Anything else is refused with an UnsafePathError naming `what` (the setting) and
 * the path: another user's directory would let that user read the books or plant links and files
 * the daemon then writes through. Called once at start for each such directory.
 */
export function ensureOwnedDirectory(dir: string, what: string): void {
  const path = resolve(dir);
  let fd: number;
  try {
    // Opened, not stat'ed by name: the checks and the chmod apply to the directory itself.
    fd = openSync(path, constants.O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      makePrivateDirectory(path);
      return;
    }
    if (code === 'ENOTDIR' || code === 'ELOOP' || code === 'EMLINK') {
      const link = lstatSync(path).isSymbolicLink();
      throw new UnsafePathError(
        link
          ? `${what}: ${dir} is a symbolic link; the daemon uses only a directory of its own, never one reached through a link (give the real path, or remove the link)`
          : `${what}: ${dir} is not a directory`,
        dir,
        { cause: error },
      );
    }
    throw error;
  }
  try {
    const stat = fstatSync(fd);
    const uid = ownUid();
    if (uid !== null && stat.uid !== uid) {
      throw new UnsafePathError(
        `${what}: ${dir} belongs to another user (uid ${stat.uid}; this process runs as uid ${uid}); the daemon refuses a directory it does not own, where someone else could read its files or replace them (use a directory of your own, or chown this one)`,
        dir,
      );
    }
    if ((stat.mode & 0o777) !== PRIVATE_DIR_MODE) fchmodSync(fd, PRIVATE_DIR_MODE);
  } finally {
    closeSync(fd);
  }
}
