import { mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backupsToKeep, backupTime } from '../../src/persistence/backupsToKeep.js';
import { SnapshotStore } from '../../src/persistence/SnapshotStore.js';
import { retention, savable } from './savableState.js';

const name = (iso: string): string => `portfolio_state_${iso.replace(/[-:.]/g, '')}.json.gz`;
/** A long weekend's backups (New York is UTC−5 in November), oldest first. */
const weekend = [
  '2026-11-19T20:00:00.000Z', // Thursday 15:00 ET
  '2026-11-20T21:05:00.000Z', // Friday 16:05 ET
  '2026-11-21T01:55:00.000Z', // Friday 20:55 ET: Friday's last
  '2026-11-21T17:00:00.000Z', // Saturday 12:00 ET
  '2026-11-22T15:00:00.000Z', // Sunday 10:00 ET
  '2026-11-23T03:00:00.000Z', // Sunday 22:00 ET: Sunday's last
  '2026-11-23T14:00:00.000Z', // Monday 09:00 ET
  '2026-11-23T14:05:00.000Z',
  '2026-11-23T14:10:00.000Z',
  '2026-11-23T14:15:00.000Z',
];

describe('tiered backup retention', () => {
  it('reads the time of a backup from its name', () => {
    expect(backupTime('portfolio_state_20261123T141500123Z_1.json.gz')).toBe(Date.parse('2026-11-23T14:15:00.123Z'));
    expect(backupTime('latest_state.json')).toBeNaN();
  });

  it('keeps the newest N and the last backup of each New York day for D days, counted back from the newest', () => {
    const names = weekend.map(name);
    const kept = (newest: number, days: number): string[] => names.filter((n) => backupsToKeep(names, { newest, days }).has(n));
    expect(kept(3, 4)).toEqual(['2026-11-21T01:55:00.000Z', '2026-11-21T17:00:00.000Z', '2026-11-23T03:00:00.000Z', '2026-11-23T14:05:00.000Z', '2026-11-23T14:10:00.000Z', '2026-11-23T14:15:00.000Z'].map(name));
    expect(kept(3, 5)).toEqual(['2026-11-19T20:00:00.000Z', '2026-11-21T01:55:00.000Z', '2026-11-21T17:00:00.000Z', '2026-11-23T03:00:00.000Z', '2026-11-23T14:05:00.000Z', '2026-11-23T14:10:00.000Z', '2026-11-23T14:15:00.000Z'].map(name));
    expect(kept(3, 0)).toEqual(['2026-11-23T14:05:00.000Z', '2026-11-23T14:10:00.000Z', '2026-11-23T14:15:00.000Z'].map(name));
    expect(kept(1, 1)).toEqual([name('2026-11-23T14:15:00.000Z')]);
    expect(kept(100, 31)).toEqual(names);
    expect(backupsToKeep([], { newest: 3, days: 31 })).toEqual(new Set());
  });

  it('a daemon stopped for a week keeps the month before it stopped (days count from the newest backup, not the clock)', () => {
    const daily = Array.from({ length: 40 }, (_, i) => name(new Date(Date.UTC(2026, 9, 1, 20) + i * 86_400_000).toISOString()));
    const kept = daily.filter((n) => backupsToKeep(daily, { newest: 2, days: 31 }).has(n));
    expect(kept).toEqual(daily.slice(9));
  });

  it('the store applies it at every backup', () => {
    const store = new SnapshotStore(mkdtempSync(join(tmpdir(), 'backups-')), retention(3, { dailyBackupDays: 4 }));
    for (const t of weekend) store.save(savable('r'), Date.parse(t));
    expect(store.backups()).toEqual(['2026-11-21T01:55:00.000Z', '2026-11-21T17:00:00.000Z', '2026-11-23T03:00:00.000Z', '2026-11-23T14:05:00.000Z', '2026-11-23T14:10:00.000Z', '2026-11-23T14:15:00.000Z'].map(name));
  });

  it('archive/ keeps the newest max_archives earlier states, and nothing else it did not make is touched', () => {
    const store = new SnapshotStore(mkdtempSync(join(tmpdir(), 'archives-')), retention(100, { archives: 2 }));
    mkdirSync(join(store.dir, 'archive', 'kept by hand'), { recursive: true });
    for (let i = 0; i < 4; i++) {
      store.save(savable(`run${i}`), Date.UTC(2026, 10, 20 + i, 15));
      store.archive(Date.UTC(2026, 10, 20 + i, 16));
    }
    expect(readdirSync(join(store.dir, 'archive')).sort()).toEqual(['20261122T160000000Z', '20261123T160000000Z', 'kept by hand']);
  });
});
