import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { recordRun } from '../../src/engine/recordRun.js';
import { strategyFingerprint } from '../../src/engine/strategyFingerprint.js';
import { RunRegistry } from '../../src/persistence/RunRegistry.js';
import { RUNS, type LoadedSnapshot } from '../../src/persistence/SnapshotStore.js';

const log = pino({ level: 'silent' });
const spec = { id: 's1', type: 'sma_cross', symbols: ['SPY'], capital: 10_000, params: { fast: 5, slow: 20, qty: 1 } };
const facts = { mode: 'sim' as const, strategies: [spec], risk: { maxPositionPct: 0.25, maxOrderPct: 1 } };
const restored = (runId: string, lastBarTime: number): LoadedSnapshot => ({ file: 'x', snapshot: { runId, engine: { lastBarTime, execution: { inFlight: [] } } } as unknown as LoadedSnapshot['snapshot'] });

describe('runs.json, version 2: what each run traded', () => {
  it('records each strategy’s fingerprint and settings, and where in market time a restored run took over', () => {
    const dir = mkdtempSync(join(tmpdir(), 'runs-'));
    recordRun(dir, null, 'mx0aaaaa', log, facts).record();
    const resumed = recordRun(dir, restored('mx0aaaaa', 1_700_000_000_000), 'mx0bbbbb', log, { ...facts, live: { started: ['s1'], held: [], override: 'tested by hand' } });
    // Nothing is written until the engine records the run (a start refused never ran), and only once.
    expect((JSON.parse(readFileSync(join(dir, RUNS), 'utf8')) as { runs: unknown[] }).runs).toHaveLength(1);
    resumed.record();
    resumed.record();
    const file = JSON.parse(readFileSync(join(dir, RUNS), 'utf8')) as { version: number; runs: unknown[] };
    expect(file.version).toBe(2);
    const strategy = { type: 'sma_cross', params: { fast: 5, slow: 20, qty: 1 }, symbols: ['SPY'], capital: 10_000, fingerprint: strategyFingerprint(spec) };
    expect(file.runs).toEqual([
      { id: 'mx0aaaaa', startedAt: new Date(parseInt('mx0aaaaa', 36)).toISOString(), mode: 'sim', resumedAfter: null, risk: { maxPositionPct: 0.25, maxOrderPct: 1 }, strategies: { s1: strategy } },
      {
        id: 'mx0bbbbb',
        startedAt: new Date(parseInt('mx0bbbbb', 36)).toISOString(),
        mode: 'sim',
        resumedAfter: 1_700_000_000_000,
        risk: { maxPositionPct: 0.25, maxOrderPct: 1 },
        strategies: { s1: strategy },
        live: { started: ['s1'], held: [], override: 'tested by hand' },
      },
    ]);
  });

  it('still reads a runs.json of version 1 (bare ids), keeps its runs as they were and adds the new one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'runs-'));
    writeFileSync(join(dir, RUNS), JSON.stringify({ runs: [{ id: 'mx0aaaaa', startedAt: '2026-01-05T15:00:00.000Z' }] }));
    const registry = new RunRegistry(join(dir, RUNS));
    expect(registry.read(() => {})).toEqual(['mx0aaaaa']);
    const { runs, record } = recordRun(dir, restored('mx0aaaaa', 5), 'mx0bbbbb', log, facts);
    expect(runs).toEqual(['mx0aaaaa']);
    record();
    const records = registry.records(() => {});
    expect(records[0]).toEqual({ id: 'mx0aaaaa', startedAt: '2026-01-05T15:00:00.000Z' });
    expect(records[1]).toMatchObject({ id: 'mx0bbbbb', resumedAfter: 5, strategies: { s1: { fingerprint: strategyFingerprint(spec) } } });
  });

  it('reports an unreadable file and reads it as empty', () => {
    const dir = mkdtempSync(join(tmpdir(), 'runs-'));
    writeFileSync(join(dir, RUNS), '{"runs": [{"id": "Bad-Id"}]}');
    const problems: string[] = [];
    expect(new RunRegistry(join(dir, RUNS)).records((m) => problems.push(m))).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`${join(dir, RUNS)} cannot be read`);
  });
});
