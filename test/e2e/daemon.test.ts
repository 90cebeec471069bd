import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonLines, scratchDir, spawnCli, runCli, waitFor, writeConfig } from './cli.js';

interface State {
  timestamp: string;
  mode: string;
  account: { value: number; cash: number; positions: Record<string, { qty: number; marketValue: number }>; allocated: { value: number; cash: number } };
  strategies: Record<string, { equity: number; status: string; ledger: { cash: number } }>;
  performance: { fills: number };
}

function readState(dir: string): State {
  return JSON.parse(readFileSync(join(dir, 'state', 'latest_state.json'), 'utf8')) as State;
}

const logLines = (dir: string): Array<Record<string, unknown>> => jsonLines(join(dir, 'logs', 'paper_engine.log'));

describe('the daemon offline, end to end', () => {
  it('trades five strategies on the sample data, logs JSON lines and writes the state file', async () => {
    const dir = scratchDir();
    const config = writeConfig(dir, (c) => {
      c.sim.speed = 6000;
      c.state.snapshot_interval_s = 1;
    });
    const r = await runCli(['start', '--config', config, '--duration', '4'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('OFFLINE SIMULATION');
    expect(r.stdout).toMatch(/Bought \d+ [A-Z]+ @ \$/);
    // The console: one short line per event, the replay's market time beside the wall time, no JSON tail.
    const bought = r.stdout.split('\n').find((l) => l.includes(' [trades] 📈 Bought '));
    expect(bought).toMatch(/^\d\d:\d\d:\d\d \(market 2019-\d\d-\d\d \d\d:\d\d ET\) INFO {2}\[trades\] 📈 Bought \d+ [A-Z]+ @ \$[\d,.]+ \[\w+\]$/);
    expect(r.stdout).not.toContain('{"');
    // The file: every line starts with its readable message (grep "P&L" reads well); figures at full precision.
    const raw = readFileSync(join(dir, 'logs', 'paper_engine.log'), 'utf8').trim().split('\n');
    expect(raw.filter((l) => !l.startsWith('{"msg":"'))).toEqual([]);
    expect(raw.filter((l) => l.includes('P&L')).every((l) => /^\{"msg":"(P&L|📉 Sold|📈 Bought|⏹ Daemon stopped)/.test(l))).toBe(true);

    const lines = logLines(dir);
    for (const l of lines) {
      expect(typeof l.component).toBe('string');
      expect(typeof l.time).toBe('string');
    }
    const fills = lines.filter((l) => l.component === 'trades');
    expect(new Set(fills.map((l) => l.strategy)).size).toBeGreaterThanOrEqual(4);
    expect(lines.some((l) => typeof l.msg === 'string' && l.msg.startsWith('P&L (final)'))).toBe(true);

    const state = readState(dir);
    expect(Object.keys(state)).toEqual(expect.arrayContaining(['timestamp', 'account', 'strategies', 'performance']));
    expect(Object.keys(state.strategies)).toEqual(['sma_fast_index', 'sma_slow_tech', 'sma_momentum', 'rsi_banks', 'rsi_fast_etf']);
    expect(state.mode).toBe('sim');
    expect(state.performance.fills).toBe(fills.length);
    // The account holds the strategies' books plus the unallocated $10,000.
    const strategiesEquity = Object.values(state.strategies).reduce((s, x) => s + x.equity, 0);
    expect(state.account.allocated.value).toBeCloseTo(strategiesEquity, 6);
    expect(state.account.value).toBeCloseTo(strategiesEquity + 10_000, 6);
    const held = Object.values(state.account.positions).reduce((s, p) => s + p.marketValue, 0);
    expect(state.account.value).toBeCloseTo(state.account.cash + held, 6);
  });

  it('stops on SIGINT, writes the final state and exits 0', async () => {
    const dir = scratchDir();
    const config = writeConfig(dir, (c) => (c.state.snapshot_interval_s = 3600));
    const { child, result } = spawnCli(['start', '--config', config], dir);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor(() => out, 'daemon running', 20_000);
    // The start writes a first state (and its backup); the stop writes the final one after it.
    const atStart = readState(dir).timestamp;
    await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGINT');
    const r = await result;
    // The daemon exits 1 by itself if a graceful stop takes more than 5 s.
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ INFO {2}\[main\] SIGINT: stopping \(at most 5 s\)\n/);
    const state = readState(dir);
    expect(Date.parse(state.timestamp)).toBeGreaterThan(Date.parse(atStart));
    expect(Object.keys(state.strategies)).toHaveLength(5);
    expect(Date.parse(state.timestamp)).toBeGreaterThan(0);
  });

  it('a state that cannot be saved is logged, alerted and retried, and the daemon goes on', async () => {
    const dir = scratchDir();
    const config = writeConfig(dir, (c) => (c.sim.speed = 3000));
    const { child, result } = spawnCli(['start', '--config', config, '--duration', '4'], dir);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor(() => out, 'daemon running', 20_000);
    // A non-empty directory where latest_state.json goes: every save fails (as on a full or read-only disk).
    const latest = join(dir, 'state', 'latest_state.json');
    for (let tries = 0; ; tries++) {
      try {
        rmSync(latest, { force: true });
        mkdirSync(join(latest, 'in-the-way'), { recursive: true });
        break;
      } catch (error) {
        // The daemon saved in between: try again.
        if (tries === 20) throw error;
      }
    }
    const r = await result;
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ ERROR \[engine\] state could not be saved: /);
    expect(r.stdout).toContain('❌ State could not be saved to');
    // Each attempt is in the file with its count; it kept trading after the first failure.
    const lines = logLines(dir);
    const failed = lines.findIndex((l) => l.msg !== undefined && String(l.msg).startsWith('state could not be saved: ') && l.attempt === 1);
    expect(failed).toBeGreaterThanOrEqual(0);
    expect(lines.some((l) => String(l.msg).startsWith('state could not be saved: ') && (l.attempt as number) >= 2)).toBe(true);
    expect(lines.slice(failed).some((l) => /^(📈 Bought|📉 Sold) \d+ [A-Z]+ @ \$/.test(String(l.msg)))).toBe(true);
  });
});
