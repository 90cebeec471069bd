import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { EmulatorOptions } from '../../src/emulator/EmulatorOptions.js';
import { KEY, SECRET, startEmulator, type TestEmulator } from '../emulator/harness.js';
import { root, runCli, scratchDir, spawnCli, writeConfig } from './cli.js';

const eqker = join(root, 'data', 'eqker');

interface StateFile {
  mode: string;
  strategies: Record<string, { ledger: { positions: Array<{ symbol: string; qty: number }> } }>;
  engine: { fills: Record<string, number> };
}

/** `npm start` in alpaca mode (a child process) against the emulator of this test, on the shipped configuration. */
// Whole daemons against the emulator: a busy machine (CI beside other jobs) can take well over the default 30 s.
describe('npm start on Alpaca (the emulator)', { timeout: 90_000 }, () => {
  let t: TestEmulator;
  afterEach(async () => {
    await t.stop();
    // Every REST answer the daemon got matches Alpaca's spec.
    expect(t.contract.failures).toEqual([]);
  });

  const env = (): Record<string, string> => ({
    ALPACA_API_KEY: KEY,
    ALPACA_SECRET_KEY: SECRET,
    ALPACA_BASE_URL: t.urls.baseUrl,
    ALPACA_DATA_URL: t.urls.dataUrl,
    ALPACA_DATA_STREAM_URL: t.urls.dataStreamUrl,
  });
  const readState = (dir: string): StateFile => JSON.parse(readFileSync(join(dir, 'state', 'latest_state.json'), 'utf8')) as StateFile;
  // 2019-02-12 at 600×: the 11th is history for the warm-up; 20 s of wall time trade over three hours of market.
  const market = (faults: EmulatorOptions['faults'] = []) => startEmulator({ dataDir: eqker, start: Date.parse('2019-02-12T14:55:00Z'), paused: false, speed: 600, faults });
  /**
   * An order sent just before a stop may fill after it (the market goes on): the market is paused
   * and the daemon restarted for a moment with --restore, which books such fills, before comparing.
   */
  const settle = async (dir: string, config: string): Promise<StateFile> => {
    t.emulator.clock.pause();
    const r = await runCli(['start', '--config', config, '--duration', '3', '--restore'], dir, env());
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('books reconciled with the broker');
    return readState(dir);
  };
  const run = async (seconds: number, faults: EmulatorOptions['faults'] = []) => {
    t = await market(faults);
    const dir = scratchDir();
    const config = writeConfig(dir);
    const r = await runCli(['start', '--config', config, '--duration', String(seconds)], dir, env());
    return { r, state: await settle(dir, config) };
  };
  /** The strategies' positions summed, and the emulator's, symbol by symbol. */
  const sums = (state: StateFile): [Record<string, number>, Record<string, number>] => {
    const sum = new Map<string, number>();
    for (const s of Object.values(state.strategies)) for (const p of s.ledger.positions) sum.set(p.symbol, (sum.get(p.symbol) ?? 0) + p.qty);
    return [Object.fromEntries([...sum].sort()), Object.fromEntries(t.emulator.venue.positions().map((p) => [p.symbol, p.qty]))];
  };

  /** Net filled shares per strategy and symbol at the emulator, from the client order ids (`<strategy>-<run>-<seq>`). */
  const venueBooks = (): Map<string, Map<string, number>> => {
    const books = new Map<string, Map<string, number>>();
    for (const rec of t.emulator.venue.orders()) {
      const o = rec.order;
      if (o.filledQty === 0) continue;
      const strategy = o.clientOrderId.replace(/-[^-]+-\d+$/, '');
      const m = books.get(strategy) ?? new Map<string, number>();
      m.set(o.symbol, (m.get(o.symbol) ?? 0) + (o.side === 'buy' ? o.filledQty : -o.filledQty));
      books.set(strategy, m);
    }
    return books;
  };

  it('five strategies trade with strategy-named client order ids; every ledger matches the emulator’s fills and together its positions', async () => {
    const { r, state } = await run(20);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ALPACA PAPER TRADING at http://127.0.0.1:');
    expect(state.mode).toBe('alpaca');
    const orders = t.emulator.venue.orders();
    const ids = orders.map((o) => o.order.clientOrderId);
    expect(new Set(ids).size).toBe(ids.length);
    const strategies = new Set(ids.map((id) => id.replace(/-[^-]+-\d+$/, '')));
    expect([...strategies].sort()).toEqual(['rsi_banks', 'rsi_fast_etf', 'sma_fast_index', 'sma_momentum', 'sma_slow_tech']);
    const venue = venueBooks();
    for (const [id, s] of Object.entries(state.strategies)) {
      const ledger = Object.fromEntries(s.ledger.positions.map((p) => [p.symbol, p.qty]));
      const expected = Object.fromEntries([...(venue.get(id) ?? new Map<string, number>())].filter(([, q]) => q !== 0));
      expect([id, ledger]).toEqual([id, expected]);
    }
    const [books, broker] = sums(state);
    expect(books).toEqual(broker);
    const fills = Object.values(state.engine.fills).reduce((a, b) => a + b, 0);
    expect(fills).toBeGreaterThan(10);
  });

  it('an order whose HTTP answer is lost is not sent twice and its fill is booked once', async () => {
    const { r, state } = await run(12, [{ type: 'lose_order_responses', count: 2 }]);
    expect(r.code).toBe(0);
    const ids = t.emulator.venue.orders().map((o) => o.order.clientOrderId);
    expect(ids.length).toBeGreaterThan(2);
    expect(new Set(ids).size).toBe(ids.length);
    const [books, broker] = sums(state);
    expect(books).toEqual(broker);
    expect(r.stdout + r.stderr).toContain('looking the order up by its client order id');
  });

  it('kill -9 mid-session, then --restore: the books still equal the broker, nothing sent or booked twice', async () => {
    t = await market();
    const dir = scratchDir();
    const config = writeConfig(dir);
    const first = spawnCli(['start', '--config', config, '--duration', '60'], dir, env());
    // Until some orders are out (the market moves 10 minutes a second).
    await expect.poll(() => t.emulator.venue.orders().length, { timeout: 30_000, interval: 100 }).toBeGreaterThan(6);
    first.child.kill('SIGKILL');
    expect((await first.result).signal).toBe('SIGKILL');
    const second = await runCli(['start', '--config', config, '--duration', '8', '--restore'], dir, env());
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('books reconciled with the broker');
    const state = await settle(dir, config);
    const [books, broker] = sums(state);
    expect(books).toEqual(broker);
    const ids = t.emulator.venue.orders().map((o) => o.order.clientOrderId);
    expect(new Set(ids).size).toBe(ids.length);
    const venue = venueBooks();
    for (const [id, s] of Object.entries(state.strategies)) {
      const ledger = Object.fromEntries(s.ledger.positions.map((p) => [p.symbol, p.qty]));
      expect([id, ledger]).toEqual([id, Object.fromEntries([...(venue.get(id) ?? new Map<string, number>())].filter(([, q]) => q !== 0))]);
    }
  });

  it('a position no strategy explains holds entries back until accepted by configuration', async () => {
    t = await market();
    // Bought by hand before the daemon starts.
    t.emulator.venue.submit({ symbol: 'AAPL', qty: 5, side: 'buy', type: 'market', timeInForce: 'day', clientOrderId: 'by-hand-1', extendedHours: false });
    t.emulator.venue.matchNow('AAPL');
    const dir = scratchDir();
    const held = await runCli(['start', '--config', writeConfig(dir), '--duration', '6'], dir, env());
    expect(held.code).toBe(0);
    expect(held.stdout).toContain("entries wait: the broker holds what no strategy's books explain: AAPL: broker 5 shares, strategies 0");
    expect(t.emulator.venue.orders().map((o) => o.order.clientOrderId)).toEqual(['by-hand-1']);
    expect(readState(dir).strategies['rsi_banks']).toBeDefined();
    const accepted = await runCli(['start', '--config', writeConfig(dir, (c) => (c['alpaca'] = { accept_external: true })), '--duration', '8'], dir, env());
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toContain('accepted (alpaca.accept_external): left alone, outside every strategy');
    expect(t.emulator.venue.orders().length).toBeGreaterThan(1);
  });
});
