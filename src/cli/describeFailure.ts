import { AppError, BrokerNetworkError, UserError } from '../core/errors.js';

/** What a failed command prints (one line), and its exit code. */
export interface Failure {
  readonly line: string;
  readonly exitCode: number;
}

const SYSTEM: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the file system is read-only',
  ENOENT: 'no such file or folder',
  EMFILE: 'too many open files',
  ELOOP: 'a symbolic link is in the way',
};

const NETWORK: Readonly<Record<string, string>> = {
  ENOTFOUND: 'the name does not resolve (DNS)',
  EAI_AGAIN: 'the name does not resolve yet (DNS)',
  ECONNREFUSED: 'the connection is refused',
  ECONNRESET: 'the connection was cut',
  ETIMEDOUT: 'no answer in time',
  EHOSTUNREACH: 'the host cannot be reached',
  ENETUNREACH: 'the network cannot be reached',
  CERT_HAS_EXPIRED: 'its TLS certificate has expired',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its TLS certificate cannot be verified',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is self-signed',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its TLS certificate is for another name',
};

/** The error and every cause under it, outermost first. */
function chain(error: unknown): unknown[] {
  const out: unknown[] = [];
  for (let e: unknown = error; e !== undefined && e !== null && out.length < 10; e = (e as { cause?: unknown }).cause) out.push(e);
  return out;
}

const codeOf = (e: unknown): string | undefined => {
  const c = (e as { code?: unknown } | null)?.code;
  return typeof c === 'string' ? c : undefined;
};

/**
 * A command's failure as a VPS operator needs it: one line naming what and where, with a hint,
 * and an exit code (2: the user's to fix — configuration, flags, files; 1: the world — network,
 * disk, permissions, a bug). Stack traces only for what no rule explains.
 */
export function describeFailure(error: unknown): Failure {
  if (error instanceof UserError) return { line: `error: ${error.message}`, exitCode: 2 };
  const links = chain(error);
  const system = links.find((e) => codeOf(e) !== undefined && SYSTEM[codeOf(e)!] !== undefined) as (NodeJS.ErrnoException & { dest?: string; address?: string }) | undefined;
  if (system !== undefined) {
    // A socket that cannot listen (the control socket in state.dir) names its path as `address`.
    const where = system.path ?? system.dest ?? system.address ?? '(a file of the daemon)';
    return { line: `error: cannot ${system.syscall ?? 'use'} ${where}: ${SYSTEM[system.code!]!} (${system.code}); check the path and its owner, or set state.dir / logging.dir to a folder the daemon may write`, exitCode: 1 };
  }
  const network = links.find((e) => codeOf(e) !== undefined && NETWORK[codeOf(e)!] !== undefined);
  if (network !== undefined || error instanceof BrokerNetworkError) {
    const what = error instanceof BrokerNetworkError ? error.message.split(': ')[0] : 'the broker';
    const why = network !== undefined ? `${NETWORK[codeOf(network)!]!} (${codeOf(network)})` : error instanceof Error ? error.message : String(error);
    return { line: `error: ${what}: ${why}; check the network, DNS and ALPACA_BASE_URL (a service manager restarts the daemon; --restore continues where it stopped)`, exitCode: 1 };
  }
  if (error instanceof AppError) return { line: `error: ${error.message}`, exitCode: 1 };
  return { line: `fatal: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`, exitCode: 1 };
}
