import { appendFileSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { openState } from '../../src/engine/openState.js';
import { SnapshotStore } from '../../src/persistence/SnapshotStore.js';
import { retention, savable, trade } from '../persistence/savableState.js';

const T = Date.parse('2026-11-25T12:00:00Z');

/** A logger whose warnings' messages land in `lines`. */
function capture(): { log: pino.Logger; lines: string[] } {
  const lines: string[] = [];
  const log = pino({ level: 'warn' }, { write: (s: string) => lines.push((JSON.parse(s) as { msg: string }).msg) });
  return { log, lines };
}

describe('the state a --restore start continues from', () => {
  it('lines in a log after the state’s position are reported as ignored, not as a state file skipped (the same file is restored)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'open-state-'));
    new SnapshotStore(dir, retention()).save(savable('r', { s1: [trade('AAPL', T, 5)] }), null);
    const file = join(dir, 'closed_trades_000001.jsonl');
    const offset = statSync(file).size;
    appendFileSync(file, '{"strategy":"s1","n":1,"sym');
    const { log, lines } = capture();
    const opened = openState(new SnapshotStore(dir, retention()), { restore: true, allowFresh: false }, 'sim', T, log);
    expect(opened.loaded!.file).toBe(join(dir, 'latest_state.json'));
    expect(lines).toEqual([
      `restoring ${join(dir, 'latest_state.json')}: closed_trades_000001.jsonl: 27 bytes after byte ${offset} ignored (written by a save whose state was not written, or a torn last line)`,
    ]);
  });
});
