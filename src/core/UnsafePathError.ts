import { UserError } from './errors.js';

/**
 * A path the daemon would write or listen at is not safely its own: a symbolic link (writing
 * through it would change the file it points to), a directory or file of another user, or not the
 * kind of entry expected. The daemon refuses it rather than follow it; the message names the path
 * and what to do. Printed without a stack trace (exit 2) like every UserError.
 */
export class UnsafePathError extends UserError {
  readonly code = 'UNSAFE_PATH';
  constructor(
    message: string,
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
