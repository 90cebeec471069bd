import { closeSync, fchmodSync, fstatSync, openSync } from 'node:fs';
import { UnsafePathError } from '../core/UnsafePathError.js';
import { isLinkRefusal, O_NOFOLLOW, ownUid, PRIVATE_FILE_MODE } from './privateModes.js';

/**
 * Opens one of the daemon's files (`flags` from fs.constants, e.g. O_WRONLY | O_APPEND | O_CREAT)
 * without following a symbolic link planted at `path`: writing through it would change the file it
 * points to (a journal truncated at start would empty the victim). The file must be a regular
 * file of this user with no other name (a hard link is another way to reach someone's file); it
 * is created 0600 and an existing one, left wider by an older version or a loose umask, is
 * tightened to 0600. Throws UnsafePathError naming the path; other errors (ENOENT …) as they are.
 */
export function openPrivateFile(path: string, flags: number): number {
  let fd: number;
  try {
    fd = openSync(path, flags | O_NOFOLLOW, PRIVATE_FILE_MODE);
  } catch (error) {
    if (isLinkRefusal(error)) {
      throw new UnsafePathError(`${path} is a symbolic link; the daemon does not write through links (remove it: the file it points to was left untouched)`, path, { cause: error });
    }
    throw error;
  }
  try {
    const stat = fstatSync(fd);
    const uid = ownUid();
    if (!stat.isFile()) throw new UnsafePathError(`${path} is not a regular file; the daemon refuses to use it`, path);
    if (uid !== null && stat.uid !== uid) throw new UnsafePathError(`${path} belongs to another user (uid ${stat.uid}; this process runs as uid ${uid}); the daemon refuses to use it`, path);
    if (stat.nlink > 1) throw new UnsafePathError(`${path} has ${stat.nlink} names (hard links); the daemon refuses a file that can be reached another way (remove the other links)`, path);
    if ((stat.mode & 0o777) !== PRIVATE_FILE_MODE) fchmodSync(fd, PRIVATE_FILE_MODE);
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  return fd;
}
