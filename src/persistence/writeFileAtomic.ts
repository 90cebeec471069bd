import { randomBytes } from 'node:crypto';
import { closeSync, constants, fsyncSync, lstatSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UnsafePathError } from '../core/UnsafePathError.js';
import { makePrivateDirectory } from './makePrivateDirectory.js';
import { openPrivateFile } from './openPrivateFile.js';

/**
 * Writes `data` to `file` so that a crash at any moment leaves either the old file or the new one,
 * never a truncated mix: temp file in the same directory, fsync, rename over, fsync the directory.
 * The file is the owner's only (0600, whatever the umask; a missing directory is created 0700).
 * The temp file has a random name and is created exclusively without following links, so nothing
 * planted in advance is written through; a symbolic link at `file` is refused, not replaced.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const dir = dirname(file);
  makePrivateDirectory(dir);
  refuseLink(file);
  const temp = join(dir, `.${basename(file)}.${randomBytes(8).toString('hex')}.tmp`);
  let fd: number | null = null;
  let created = false;
  try {
    fd = openPrivateFile(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL);
    created = true;
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(temp, file);
  } catch (error) {
    if (fd !== null) closeSync(fd);
    // Only a temp file this call created is removed (O_EXCL: an existing one is not ours).
    if (created) rmSync(temp, { force: true });
    throw error;
  }
  const dirFd = openSync(dir, 'r');
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
}

/** A symbolic link where the file goes was planted by someone: say so rather than silently replace it. */
function refuseLink(file: string): void {
  let link: boolean;
  try {
    link = lstatSync(file).isSymbolicLink();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (link) throw new UnsafePathError(`${file} is a symbolic link; the daemon does not write through links (remove it: the file it points to was left untouched)`, file);
}
