import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KEY, SECRET, startEmulator, type TestEmulator } from '../emulator/harness.js';
import { MY_CROSS, strategiesFolder } from '../strategies/userStrategyFiles.js';
import { root, runCli, scratchDir, writeConfig, type ConfigJson } from './cli.js';

interface StateFile {
  mode: string;
  strategies: Record<string, { type: string; ledger: { cash: number; positions: Array<{ symbol: string; qty: number }> } }>;
  engine: { fills: Record<string, number> };
}

interface BacktestJson {
  fills: Array<Record<string, unknown>>;
  finalValue: number;
}

const params = { fast: 10, slow: 30, qty: 10 };
/**
 * The built-in sma_cross and the same code as a user module, side by side on the same symbols and
 * capital; short averages, so minute bars cross within the first minutes of a run.
 */
const sideBySide = (folder: string) => (c: ConfigJson): void => {
  const fast = { fast: 2, slow: 5, qty: 10 };
  c.strategies_dir = folder;
  c.strategies = [
    { id: 'builtin', type: 'sma_cross', symbols: ['SPY', 'QQQ'], capital_allocation: 20_000, params: fast },
    { id: 'mine', type: 'my_cross', symbols: ['SPY', 'QQQ'], capital_allocation: 20_000, params: fast },
  ];
};
const readState = (dir: string): StateFile => JSON.parse(readFileSync(join(dir, 'state', 'latest_state.json'), 'utf8')) as StateFile;

describe('a strategy of your own, run by the commands', () => {
  it('npm run backtest -- --strategy NAME: the same fills as the built-in it copies; a bad module is one line and exit 2', async () => {
    const folder = strategiesFolder({ 'my_cross.ts': MY_CROSS });
    const dir = scratchDir();
    const data = join(root, 'data', 'eqker', 'SPY_daily.csv');
    const run = async (strategy: string, out: string) => {
      const r = await runCli(['backtest', '--data', data, '--strategy', strategy, '--params', JSON.stringify(params), '--strategies-dir', folder, '--out', join(dir, out)], dir);
      expect([r.code, r.stderr]).toEqual([0, '']);
      return JSON.parse(readFileSync(join(dir, out), 'utf8')) as BacktestJson;
    };
    const builtIn = await run('sma_cross', 'a.json');
    const mine = await run('my_cross', 'b.json');
    expect(builtIn.fills.length).toBeGreaterThan(4);
    const withoutName = (f: Record<string, unknown>) => ({ ...f, strategy: null });
    expect(mine.fills.map(withoutName)).toEqual(builtIn.fills.map(withoutName));
    expect(mine.finalValue).toBe(builtIn.finalValue);

    writeFileSync(join(folder, 'my_cross.ts'), MY_CROSS.replace('export const params', 'const params'));
    const bad = await runCli(['backtest', '--data', data, '--strategy', 'my_cross', '--strategies-dir', folder], dir);
    expect([bad.code, bad.stdout, bad.stderr]).toEqual([
      2,
      '',
      `error: ${folder}/my_cross.ts: no export "params": export the zod schema of its parameters (export const params = z.strictObject({ … }))\n`,
    ]);
  });

  it('npm start offline with --duration: the user module trades exactly as the built-in beside it; npm run readiness judges it', async () => {
    const dir = scratchDir();
    const folder = strategiesFolder({ 'my_cross.ts': MY_CROSS });
    const config = writeConfig(dir, sideBySide(folder));
    const r = await runCli(['start', '--config', config, '--duration', '4'], dir);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const sha256 = createHash('sha256').update(MY_CROSS).digest('hex');
    expect(r.stdout).toContain(`strategy type my_cross from ${folder}/my_cross.ts (sha256 ${sha256.slice(0, 12)}…)`);
    const state = readState(dir);
    const { builtin, mine } = state.strategies;
    expect([builtin!.type, mine!.type]).toEqual(['sma_cross', 'my_cross']);
    expect(state.engine.fills['mine']).toBeGreaterThan(0);
    expect(state.engine.fills['mine']).toBe(state.engine.fills['builtin']);
    expect([mine!.ledger.cash, mine!.ledger.positions]).toEqual([builtin!.ledger.cash, builtin!.ledger.positions]);

    // npm run readiness judges it on its paper record: its drift check backtests the module itself,
    // which agrees with its paper fills as the built-in's backtest agrees with the built-in's.
    const readiness = await runCli(['readiness', '--config', config, '--json'], dir);
    expect([readiness.code, readiness.stderr]).toEqual([1, '']);
    const report = JSON.parse(readiness.stdout) as { strategies: Array<{ id: string; items: Array<{ name: string; pass: boolean; measured: string }> }> };
    const drift = (id: string) => report.strategies.find((s) => s.id === id)!.items.find((i) => i.name === 'paper fills vs backtest')!;
    expect(drift('mine').pass).toBe(true);
    expect(drift('mine').measured).toMatch(/: (\d+) paper fills, \1 backtest fills, \1 matched \(100\.0 % agree\)/);
    expect(drift('mine').measured).toBe(drift('builtin').measured);

    // The run recorded the module's code: its sha256 is part of its fingerprint (none for the built-in).
    const runs = JSON.parse(readFileSync(join(dir, 'state', 'runs.json'), 'utf8')) as { runs: Array<{ strategies?: Record<string, { source?: string }> }> };
    const traded = runs.runs.at(-1)!.strategies!;
    expect([traded['mine']!.source, traded['builtin']!.source]).toEqual([sha256, undefined]);
    // Editing the module is another strategy: its clock must start again, as for a parameter change.
    const edited = `${MY_CROSS}\n// a comment is an edit too\n`;
    writeFileSync(join(folder, 'my_cross.ts'), edited);
    const after = await runCli(['readiness', '--config', config, '--json'], dir);
    const unchanged = (id: string) =>
      (JSON.parse(after.stdout) as { strategies: Array<{ id: string; items: Array<{ name: string; missing: string[] }> }> }).strategies.find((x) => x.id === id)!.items.find((i) => i.name === 'strategy unchanged')!;
    const newSha = createHash('sha256').update(edited).digest('hex');
    expect(unchanged('mine').missing).toContain(`the strategy this configuration starts to be the one paper-traded: code sha256 ${sha256.slice(0, 12)} → sha256 ${newSha.slice(0, 12)}`);
    expect(unchanged('builtin').missing.filter((m) => m.includes('code'))).toEqual([]);
  }, 60_000);

  it('a configuration naming a folder that is not there does not start: one line naming the file and the field, exit 2', async () => {
    const dir = scratchDir();
    const config = writeConfig(dir, sideBySide(join(dir, 'nowhere')));
    const r = await runCli(['start', '--config', config, '--duration', '4'], dir);
    expect([r.code, r.stdout, r.stderr]).toEqual([
      2,
      '',
      `error: ${config}: strategies_dir: no such folder ${join(dir, 'nowhere')} (the folder of your own strategy modules; leave it out for the default, strategies/)\n`,
    ]);
  });

  it('a configuration naming a broken module does not start: one line naming the file, exit 2', async () => {
    const dir = scratchDir();
    const folder = strategiesFolder({ 'my_cross.ts': MY_CROSS.replace('export default class', 'class') });
    const config = writeConfig(dir, sideBySide(folder));
    const r = await runCli(['start', '--config', config, '--duration', '4'], dir);
    expect([r.code, r.stdout, r.stderr]).toEqual([
      2,
      '',
      `error: ${folder}/my_cross.ts: no strategy class exported: export default class MyStrategy extends Strategy<z.infer<typeof params>> { … } (Strategy from '../src/strategies/api.js')\n`,
    ]);
  });

  describe('on Alpaca (the emulator)', () => {
    let t: TestEmulator;
    afterEach(async () => {
      await t.stop();
      expect(t.contract.failures).toEqual([]);
    });

    it('the user module sends its own orders, and its ledger matches the emulator’s fills of them', async () => {
      t = await startEmulator({ dataDir: join(root, 'data', 'eqker'), start: Date.parse('2019-02-12T14:55:00Z'), paused: false, speed: 600 });
      const env = { ALPACA_API_KEY: KEY, ALPACA_SECRET_KEY: SECRET, ALPACA_BASE_URL: t.urls.baseUrl, ALPACA_DATA_URL: t.urls.dataUrl, ALPACA_DATA_STREAM_URL: t.urls.dataStreamUrl };
      const dir = scratchDir();
      const config = writeConfig(dir, sideBySide(strategiesFolder({ 'my_cross.ts': MY_CROSS })));
      const r = await runCli(['start', '--config', config, '--duration', '12'], dir, env);
      expect(r.code).toBe(0);
      // Orders sent just before the stop may fill after it: a short --restore run with the market paused books them.
      t.emulator.clock.pause();
      const settle = await runCli(['start', '--config', config, '--duration', '3', '--restore'], dir, env);
      expect(settle.code).toBe(0);
      const state = readState(dir);
      expect(state.mode).toBe('alpaca');
      const net = new Map<string, number>();
      for (const { order: o } of t.emulator.venue.orders()) {
        if (!o.clientOrderId.startsWith('mine-') || o.filledQty === 0) continue;
        net.set(o.symbol, (net.get(o.symbol) ?? 0) + (o.side === 'buy' ? o.filledQty : -o.filledQty));
      }
      expect(t.emulator.venue.orders().filter((o) => o.order.clientOrderId.startsWith('mine-')).length).toBeGreaterThan(0);
      const ledger = Object.fromEntries(state.strategies['mine']!.ledger.positions.map((p) => [p.symbol, p.qty]));
      expect(ledger).toEqual(Object.fromEntries([...net].filter(([, q]) => q !== 0)));
    });
  });
});
