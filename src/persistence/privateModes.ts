import { constants } from 'node:fs';

/**
 * What the daemon creates is its owner's alone, whatever the umask: state, backups, journal, logs,
 * outbox and the control socket hold positions, orders and the power to pause trading. Modes are
 * set explicitly (chmod after creation), since the mode given to open/mkdir is masked by the umask.
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** The uid the daemon's files and directories must belong to, or null where the platform has none (Windows). */
export const ownUid = (): number | null => (typeof process.getuid === 'function' ? process.getuid() : null);

/** `open` flag that refuses a symbolic link as the last component (0 where the platform has none). */
export const O_NOFOLLOW: number = constants.O_NOFOLLOW ?? 0;
/** `open` flag that refuses anything but a directory. */
export const O_DIRECTORY: number = constants.O_DIRECTORY ?? 0;

/** Whether an open failed because the last component is a symbolic link (Linux: ELOOP; the BSDs: EMLINK). */
export const isLinkRefusal = (error: unknown): boolean => {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'ELOOP' || code === 'EMLINK';
};
