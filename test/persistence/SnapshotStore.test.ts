import type * as crypto from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { SnapshotStore } from '../../src/persistence/SnapshotStore.js';
import { retention, savable } from './savableState.js';

// The temp file of a save has a random name (nothing can be planted there in advance); a test
// that must put something in its way fixes the name.
const temp = vi.hoisted(() => ({ bytes: null as Buffer | null }));
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof crypto>();
  return { ...actual, randomBytes: ((n: number) => temp.bytes ?? actual.randomBytes(n)) as typeof crypto.randomBytes };
});

const T = Date.parse('2026-11-25T12:00:00Z');
/** As a daemon of a version would have written it (`version` other than the current: as a file). */
const snapshot = (runId: string, version = 4): string => JSON.stringify({ ...savable(runId), version });

function store(maxBackups = 100): SnapshotStore {
  return new SnapshotStore(mkdtempSync(join(tmpdir(), 'snapshots-')), retention(maxBackups));
}

describe('SnapshotStore', () => {
  it('loads the latest state, and falls back past a truncated latest, a wrong version and a corrupt backup', () => {
    const s = store();
    s.save(savable('oldest'), T);
    s.save(savable('middle'), T + 1000);
    s.save(savable('newest'), T + 2000);
    const warnings: string[] = [];
    expect(s.loadNewest((w) => warnings.push(w))?.snapshot.runId).toBe('newest');
    expect(warnings).toEqual([]);

    // A crash cannot truncate latest_state.json (atomic writes), but a disk or a hand can.
    const full = readFileSync(s.latestPath, 'utf8');
    writeFileSync(s.latestPath, full.slice(0, full.length / 2));
    const [b1, b2, b3] = s.backups();
    // The newest backup has bad bytes; the middle one has a schema version this daemon does not read (a newer one).
    writeFileSync(join(s.dir, b3!), Buffer.from('not gzip at all'));
    writeFileSync(join(s.dir, b2!), gzipSync(snapshot('middle', 5)));
    const loaded = s.loadNewest((w) => warnings.push(w));
    expect(loaded?.snapshot.runId).toBe('oldest');
    expect(loaded?.file).toBe(join(s.dir, b1!));
    expect(warnings).toEqual([
      `${s.latestPath}: is not complete JSON (${Math.floor(full.length / 2)} bytes; truncated or corrupted)`,
      `${join(s.dir, b3!)}: cannot be read (incorrect header check)`,
      `${join(s.dir, b2!)}: does not match the state schema: version: Invalid input: expected 4`,
    ]);
  });

  it('a failed save throws and leaves the previous latest_state.json whole', () => {
    const s = store();
    s.save(savable('good'), null);
    // Something in the way of the temp file (as a full disk or a permission error would be).
    temp.bytes = Buffer.alloc(8, 0xab);
    mkdirSync(join(s.dir, `.latest_state.json.${'ab'.repeat(8)}.tmp`));
    try {
      expect(() => s.save(savable('lost'), T)).toThrow();
    } finally {
      temp.bytes = null;
    }
    expect(s.loadNewest(() => {})?.snapshot.runId).toBe('good');
    expect(s.backups()).toEqual([]);
  });

  it('returns null when nothing can be restored', () => {
    const s = store();
    expect(s.loadNewest(() => {})).toBeNull();
    writeFileSync(s.latestPath, '{"version": 4}');
    const warnings: string[] = [];
    expect(s.loadNewest((w) => warnings.push(w))).toBeNull();
    expect(warnings).toEqual([`${s.latestPath}: its closed trades or equity history cannot be read: history: Invalid input: expected object, received undefined`]);
    writeFileSync(s.latestPath, '{"version": 3}');
    expect(s.loadNewest((w) => warnings.push(w))).toBeNull();
    expect(warnings[1]).toBe(`${s.latestPath}: does not match the state schema: timestamp: Invalid input: expected string, received undefined`);
  });

  it('keeps exactly max_backups backups, the newest ones', () => {
    const s = store(3);
    for (let i = 0; i < 7; i++) s.save(savable(`run${i}`), T + i * 1000);
    expect(s.backups()).toEqual(['20261125T120004000Z', '20261125T120005000Z', '20261125T120006000Z'].map((t) => `portfolio_state_${t}.json.gz`));
    // Two backups in the same millisecond do not overwrite each other.
    s.save(savable('again'), T + 6000);
    expect(s.backups().at(-1)).toBe('portfolio_state_20261125T120006000Z_1.json.gz');
    // Saving without a backup only rewrites latest_state.json.
    s.save(savable('latest only'), null);
    expect(s.backups()).toHaveLength(3);
    expect(s.loadNewest(() => {})?.snapshot.runId).toBe('latest only');
  });

  it('moves every state file to archive/ on a fresh start', () => {
    const s = store();
    s.save(savable('a'), T);
    s.save(savable('b'), T + 1000);
    const to = s.archive(T + 5000)!;
    expect(to).toBe(join(s.dir, 'archive', '20261125T120005000Z'));
    expect(readdirSync(to).sort()).toEqual(['latest_state.json', 'portfolio_state_20261125T120000000Z.json.gz', 'portfolio_state_20261125T120001000Z.json.gz']);
    expect(existsSync(s.latestPath)).toBe(false);
    expect(s.archive(T + 6000)).toBeNull();
  });
});
