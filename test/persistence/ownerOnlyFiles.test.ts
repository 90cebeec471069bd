import { chmodSync, existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OrderRequest } from '../../src/core/Order.js';
import { UnsafePathError } from '../../src/core/UnsafePathError.js';
import { OrderJournal } from '../../src/persistence/OrderJournal.js';
import { RunRegistry } from '../../src/persistence/RunRegistry.js';
import { LATEST, RUNS, SnapshotStore } from '../../src/persistence/SnapshotStore.js';
import { writeFileAtomic } from '../../src/persistence/writeFileAtomic.js';
import { retention, savable, trade } from './savableState.js';

const mode = (p: string): number => statSync(p).mode & 0o777;
const scratch = (): string => mkdtempSync(join(tmpdir(), 'owner-only-'));
const order: OrderRequest = { clientOrderId: 's1-run-1', strategyId: 's1', symbol: 'AAPL', side: 'buy', qty: 1, type: 'market', timeInForce: 'day' };

/** A file of someone else's the daemon must never change, and a link to it planted at `at`. */
function plantLink(at: string): string {
  const victim = join(scratch(), 'victim.txt');
  writeFileSync(victim, 'precious\n');
  symlinkSync(victim, at);
  return victim;
}

describe('files the daemon writes are 0600 and never written through a link, whatever the umask', () => {
  let umask = 0;
  beforeEach(() => {
    umask = process.umask(0);
  });
  afterEach(() => {
    process.umask(umask);
  });

  it('writeFileAtomic: the file 0600, each directory it creates 0700', () => {
    const base = scratch();
    const file = join(base, 'data_cache', 'portfolio_states', LATEST);
    writeFileAtomic(file, '{}\n');
    expect(mode(file)).toBe(0o600);
    expect(mode(join(base, 'data_cache'))).toBe(0o700);
    expect(mode(join(base, 'data_cache', 'portfolio_states'))).toBe(0o700);
  });

  it('writeFileAtomic: a symbolic link at the file is refused, naming it; the target and the link are untouched', () => {
    const dir = scratch();
    const file = join(dir, LATEST);
    const victim = plantLink(file);
    expect(() => writeFileAtomic(file, 'x')).toThrow(
      new UnsafePathError(`${file} is a symbolic link; the daemon does not write through links (remove it: the file it points to was left untouched)`, file),
    );
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(readlinkSync(file)).toBe(victim);
    expect(readdirSync(dir)).toEqual([LATEST]);
  });

  it('writeFileAtomic: a link planted where a predictable temp file would go is never written through', () => {
    const dir = scratch();
    const file = join(dir, LATEST);
    const victim = plantLink(join(dir, `.${basename(file)}.${process.pid}.tmp`));
    writeFileAtomic(file, '{"v":1}\n');
    expect(readFileSync(file, 'utf8')).toBe('{"v":1}\n');
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    // Only the link that was planted and the file remain: the random temp file is gone.
    expect(readdirSync(dir).sort()).toEqual([`.${LATEST}.${process.pid}.tmp`, LATEST].sort());
  });

  it('state files, backups and runs.json are 0600; the archive is 0700 with 0600 files, also those an older version left wide', () => {
    const dir = join(scratch(), 'state');
    const store = new SnapshotStore(dir, retention(5));
    store.save(savable('old', { s1: [trade('AAPL', Date.UTC(2026, 0, 5, 14), 5)] }), Date.UTC(2026, 0, 5, 15));
    new RunRegistry(join(dir, RUNS)).write(['r1'], () => '2026-01-05T15:00:00.000Z');
    expect(mode(dir)).toBe(0o700);
    expect(mode(join(dir, LATEST))).toBe(0o600);
    expect(mode(join(dir, RUNS))).toBe(0o600);
    expect(store.backups().map((f) => mode(join(dir, f)))).toEqual([0o600]);
    expect(mode(join(dir, 'closed_trades_000001.jsonl'))).toBe(0o600);
    chmodSync(join(dir, LATEST), 0o644);
    const to = store.archive(Date.UTC(2026, 0, 6))!;
    expect(mode(join(dir, 'archive'))).toBe(0o700);
    expect(mode(to)).toBe(0o700);
    expect(readdirSync(to).map((f) => [f, mode(join(to, f))])).toEqual(readdirSync(to).map((f) => [f, 0o600]));
    expect(readdirSync(to).sort()).toEqual(['closed_trades_000001.jsonl', LATEST, 'portfolio_state_20260105T150000000Z.json.gz', RUNS]);
  });

  it('the order journal: 0600 in a 0700 directory; one an older version left 0644 is tightened when read', () => {
    const dir = join(scratch(), 'state');
    const file = join(dir, 'orders_journal.jsonl');
    const journal = new OrderJournal(file);
    journal.record(order);
    journal.close();
    expect(mode(dir)).toBe(0o700);
    expect(mode(file)).toBe(0o600);
    chmodSync(file, 0o644);
    expect(new OrderJournal(file).read(() => {})).toHaveLength(1);
    expect(mode(file)).toBe(0o600);
  });

  it('the order journal: a symbolic link at its path is refused by clear, record and read; the target is untouched', () => {
    const dir = scratch();
    const file = join(dir, 'orders_journal.jsonl');
    const victim = plantLink(file);
    const journal = new OrderJournal(file);
    // A fresh start empties the journal: through the link it truncated the victim.
    expect(() => journal.clear()).toThrow(UnsafePathError);
    expect(() => journal.record(order)).toThrow(UnsafePathError);
    expect(() => journal.read(() => {})).toThrow(`${file} is a symbolic link`);
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(lstatSync(file).isSymbolicLink()).toBe(true);
  });

  it('the order journal: a dangling link is refused too (it would create the target), and a hard link to another file', () => {
    const dir = scratch();
    const dangling = join(dir, 'orders_journal.jsonl');
    const target = join(scratch(), 'created-by-no-one');
    symlinkSync(target, dangling);
    expect(() => new OrderJournal(dangling).record(order)).toThrow(UnsafePathError);
    expect(existsSync(target)).toBe(false);

    const other = join(scratch(), 'victim.txt');
    writeFileSync(other, 'precious\n');
    mkdirSync(join(dir, 'h'));
    const hard = join(dir, 'h', 'orders_journal.jsonl');
    linkSync(other, hard);
    expect(() => new OrderJournal(hard).clear()).toThrow(`${hard} has 2 names (hard links)`);
    expect(readFileSync(other, 'utf8')).toBe('precious\n');
  });
});
