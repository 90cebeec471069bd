import { describe, expect, it } from 'vitest';
import { formatTable, INVARIANTS, runDrill } from '../../drill/drill.js';

/**
 * The short form of `npm run drill`: the emulator and the daemon as processes of their own, three
 * scenarios (kill -9 at three seeded moments with --restore; an order whose HTTP answer is lost; the
 * latest state file corrupted before a restore), each followed by every invariant check.
 */
describe('npm run drill (short form)', () => {
  it('every scenario passes every invariant', { timeout: 180_000 }, async () => {
    const rows = await runDrill({ short: true, seed: 11, only: ['kill -9 at seeded', 'HTTP answer lost', 'corrupted'] });
    expect(rows.map((r) => r.scenario)).toEqual(['order accepted, HTTP answer lost', 'kill -9 at seeded moments, --restore', 'latest state file corrupted, --restore']);
    const failed = rows.flatMap((r) => r.checks.map((c, i) => (c.pass ? null : `${r.scenario} / ${INVARIANTS[i]}: ${c.detail}`)).filter((x) => x !== null));
    expect(failed, formatTable(rows)).toEqual([]);
  });
});
