import { chownSync, mkdirSync, mkdtempSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UnsafePathError } from '../../src/core/UnsafePathError.js';
import { UserError } from '../../src/core/errors.js';
import { ensureOwnedDirectory } from '../../src/persistence/ensureOwnedDirectory.js';
import { makePrivateDirectory } from '../../src/persistence/makePrivateDirectory.js';

const mode = (p: string): number => statSync(p).mode & 0o777;
const isRoot = process.getuid?.() === 0;

/** A directory of another user: one chowned to nobody when the tests run as root, else `/` (root's). */
function foreignDirectory(): string {
  if (!isRoot) return '/';
  const dir = join(mkdtempSync(join(tmpdir(), 'owned-')), 'theirs');
  mkdirSync(dir);
  chownSync(dir, 65534, 65534);
  return dir;
}

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  throw new Error('did not throw');
}

describe('the daemon’s directories are its own, whatever the umask', () => {
  let umask = 0;
  beforeEach(() => {
    umask = process.umask(0);
  });
  afterEach(() => {
    process.umask(umask);
  });

  it('creates a missing directory and its missing parents 0700 under umask 000', () => {
    const base = mkdtempSync(join(tmpdir(), 'owned-'));
    ensureOwnedDirectory(join(base, 'data_cache', 'portfolio_states'), 'state.dir');
    expect(mode(join(base, 'data_cache'))).toBe(0o700);
    expect(mode(join(base, 'data_cache', 'portfolio_states'))).toBe(0o700);
    makePrivateDirectory(join(base, 'a', 'b', 'c'));
    for (const d of ['a', 'a/b', 'a/b/c']) expect(mode(join(base, d))).toBe(0o700);
    // An existing parent is not the helper's to change.
    expect(mode(base)).toBe(0o700);
  });

  it('tightens an existing directory an older version left wide', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'owned-')), 'state');
    mkdirSync(dir, { mode: 0o777 });
    expect(mode(dir)).toBe(0o777);
    ensureOwnedDirectory(dir, 'state.dir');
    expect(mode(dir)).toBe(0o700);
  });

  it('refuses a directory reached through a symbolic link, leaving the target as it was', () => {
    const base = mkdtempSync(join(tmpdir(), 'owned-'));
    const target = join(base, 'elsewhere');
    mkdirSync(target, { mode: 0o755 });
    symlinkSync(target, join(base, 'state'));
    const error = thrown(() => ensureOwnedDirectory(join(base, 'state'), 'state.dir'));
    expect(error).toBeInstanceOf(UnsafePathError);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UnsafePathError).code).toBe('UNSAFE_PATH');
    expect((error as Error).message).toBe(`state.dir: ${join(base, 'state')} is a symbolic link; the daemon uses only a directory of its own, never one reached through a link (give the real path, or remove the link)`);
    expect(mode(target)).toBe(0o755);
  });

  it('refuses a file where the directory should be', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'owned-')), 'logs');
    writeFileSync(file, 'x');
    expect(() => ensureOwnedDirectory(file, 'logging.dir')).toThrow(new UnsafePathError(`logging.dir: ${file} is not a directory`, file));
  });

  it('refuses a directory that belongs to another user, and leaves its mode alone', () => {
    const dir = foreignDirectory();
    const before = mode(dir);
    const error = thrown(() => ensureOwnedDirectory(dir, 'state.dir'));
    expect(error).toBeInstanceOf(UnsafePathError);
    expect((error as Error).message).toMatch(new RegExp(`^state\\.dir: ${dir.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} belongs to another user \\(uid \\d+; this process runs as uid \\d+\\)`));
    expect(mode(dir)).toBe(before);
  });
});
