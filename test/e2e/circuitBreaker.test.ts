import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonLines, runCli, scratchDir, spawnCli, waitFor, writeConfig } from './cli.js';

interface BreakerStatus {
  state: string;
  trip: { rule: string; value: number; threshold: number; time: number } | null;
}

describe('circuit breakers in the daemon', () => {
  it('a 0.5 % drawdown limit on one strategy trips it: console, circuit_breaker.log, state; no entry after, the others trade on', async () => {
    const dir = scratchDir();
    const config = writeConfig(dir, (c) => {
      c.sim.speed = 100_000;
      const s = c.strategies.find((x) => x.id === 'rsi_fast_etf')!;
      s.circuit_breakers = { max_drawdown_pct: 0.005 };
    });
    const r = await runCli(['start', '--config', config, '--duration', '5'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Circuit breaker rsi_fast_etf tripped on max_drawdown: drawdown \d+\.\d\d% from the high-water mark \$[\d.]+ reached the 0\.50% limit; entries are blocked, exits allowed/);

    const logged = jsonLines(join(dir, 'logs', 'circuit_breaker.log'));
    expect(logged.some((l) => l.scope === 'rsi_fast_etf' && l.rule === 'max_drawdown' && l.threshold === 0.005)).toBe(true);

    const state = JSON.parse(readFileSync(join(dir, 'state', 'latest_state.json'), 'utf8')) as {
      strategies: Record<string, { circuitBreaker: BreakerStatus; denials: Record<string, number> }>;
      circuitBreaker: BreakerStatus;
    };
    const breaker = state.strategies.rsi_fast_etf!.circuitBreaker;
    expect(breaker.state).toBe('PAUSED');
    expect(breaker.trip).toMatchObject({ rule: 'max_drawdown', threshold: 0.005 });
    expect(breaker.trip!.value).toBeGreaterThanOrEqual(0.005);
    expect(state.strategies.rsi_fast_etf!.denials.circuit_breaker).toBeGreaterThan(0);
    expect(state.circuitBreaker.state).toBe('ARMED');

    const tripTime = breaker.trip!.time;
    const fills = jsonLines(join(dir, 'logs', 'paper_engine.log')).filter((l) => l.component === 'trades');
    const after = fills.filter((l) => Date.parse(l.marketTime as string) > tripTime);
    // No entry from the paused strategy after the trip (exits are allowed) …
    expect(after.filter((l) => l.strategy === 'rsi_fast_etf' && l.side === 'buy')).toEqual([]);
    // … while another strategy goes on trading.
    expect(after.filter((l) => l.strategy === 'rsi_banks').length).toBeGreaterThan(0);

    // A restart with --restore keeps the trip (drawdown trips wait for a resume by hand).
    const again = await runCli(['start', '--config', config, '--restore', '--duration', '2'], dir);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('restored from');
    const restored = JSON.parse(readFileSync(join(dir, 'state', 'latest_state.json'), 'utf8')) as typeof state;
    expect(restored.strategies.rsi_fast_etf!.circuitBreaker).toEqual(breaker);

    // npm run status reads the saved state without a daemon.
    const status = await runCli(['status', '--config', config], dir);
    expect(status.code).toBe(0);
    // The same word as the breaker, in market time (ET), never the runner's "active".
    expect(status.stdout).toMatch(/^rsi_fast_etf +PAUSED \(max_drawdown\) /m);
    expect(status.stdout).toMatch(/^rsi_banks +active /m);
    expect(status.stdout).toMatch(/^saved \d{4}-\d\d-\d\d \d\d:\d\d:\d\d ET by run \w+ \(sim\), market time 2019-02-\d\d \d\d:\d\d ET$/m);
    expect(status.stdout).toMatch(/^rsi_fast_etf: PAUSED since 2019-02-1\d \d\d:\d\d ET: drawdown \d+\.\d\d% from the high-water mark/m);
    expect(status.stdout).not.toMatch(/\d\d:\d\d:\d\d\.\d{3}Z/);
    const json = JSON.parse((await runCli(['status', '--config', config, '--json'], dir)).stdout) as { strategies: Array<{ id: string; breaker: string; status: string; statusSince: string }> };
    expect(json.strategies.find((x) => x.id === 'rsi_fast_etf')).toMatchObject({ breaker: 'PAUSED', status: 'PAUSED', statusSince: new Date(tripTime).toISOString() });
    // The final P&L line of the restored run says PAUSED too.
    const pnl = jsonLines(join(dir, 'logs', 'paper_engine.log')).filter((l) => typeof l.msg === 'string' && l.msg.startsWith('P&L rsi_fast_etf:'));
    expect(pnl.at(-1)?.msg).toMatch(/, PAUSED \(max_drawdown\)\)$/);
    expect(pnl.at(-1)?.status).toBe('PAUSED');
    const none = await runCli(['status', '--config', writeConfig(scratchDir())], dir);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^error: no saved state in .*state \(start the daemon first\)\n$/);
  });

  it('npm run ctl pauses and resumes a running daemon; a second daemon on the same state is refused', async () => {
    const dir = scratchDir();
    const config = writeConfig(dir, (c) => (c.sim.speed = 60));
    const { child, result } = spawnCli(['start', '--config', config], dir);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await waitFor(() => out, 'daemon running', 20_000);
      const ctl = (...words: string[]) => runCli(['ctl', '--config', config, ...words], dir);

      const paused = await ctl('pause', 'sma_fast_index');
      expect(paused).toMatchObject({ code: 0, stdout: 'paused: sma_fast_index\n' });
      const status = await ctl('status');
      expect(status.stdout).toMatch(/^sma_fast_index: PAUSED by manual since 2019-\d\d-\d\d \d\d:\d\d ET \(paused by hand \(ctl\)\)$/m);
      expect(status.stdout).toMatch(/^account: ARMED$/m);
      expect(await ctl('pause', 'sma_fast_index')).toMatchObject({ code: 0, stdout: 'nothing to do: sma_fast_index is already paused\n' });
      expect(await ctl('resume', 'all')).toMatchObject({ code: 0, stdout: 'resumed: sma_fast_index\n' });
      const unknown = await ctl('pause', 'nope');
      expect(unknown.code).toBe(1);
      expect(unknown.stdout).toContain('unknown strategy "nope"');

      const second = await runCli(['start', '--config', config, '--duration', '1'], dir);
      expect(second.code).toBe(2);
      expect(second.stderr).toContain('another daemon is running on this state directory');
      await waitFor(() => out, 'Circuit breaker sma_fast_index (manual) resumed by hand (ctl)', 5_000);
    } finally {
      child.kill('SIGINT');
    }
    expect((await result).code).toBe(0);
    const gone = await runCli(['ctl', '--config', config, 'status'], dir);
    expect(gone.code).toBe(2);
    expect(gone.stderr).toMatch(/^error: no daemon is running on .*state/);
  });
});
