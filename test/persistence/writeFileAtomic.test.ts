import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/persistence/writeFileAtomic.js';

describe('writeFileAtomic', () => {
  it('creates the directory, writes the content and leaves no temp file', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'atomic-')), 'a', 'b');
    const file = join(dir, 'latest_state.json');
    writeFileAtomic(file, '{"v":1}\n');
    expect(readFileSync(file, 'utf8')).toBe('{"v":1}\n');
    expect(readdirSync(dir)).toEqual(['latest_state.json']);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('replaces an existing file whole', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
    const file = join(dir, 'state.json');
    writeFileSync(file, 'x'.repeat(10_000));
    writeFileAtomic(file, new Uint8Array([0x7b, 0x7d]));
    expect(readFileSync(file, 'utf8')).toBe('{}');
    expect(readdirSync(dir)).toEqual(['state.json']);
  });

  it('keeps the old file and cleans up when the target cannot be replaced', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
    const target = join(dir, 'taken');
    // A directory in the way: rename of a file over it fails.
    writeFileAtomic(join(target, 'inner'), 'keep');
    expect(() => writeFileAtomic(target, 'new')).toThrow();
    expect(readFileSync(join(target, 'inner'), 'utf8')).toBe('keep');
    expect(readdirSync(dir)).toEqual(['taken']);
  });
});
