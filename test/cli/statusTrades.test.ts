import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runStatusCommand } from '../../src/cli/statusCommand.js';
import { SnapshotStore } from '../../src/persistence/SnapshotStore.js';
import { retention } from '../persistence/savableState.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const V3 = join(root, 'test/fixtures/state/v3-3263fd4-trades-inline.json');

/** `npm run status -- --json` on `dir`, its stdout parsed. */
async function status(dir: string): Promise<{ strategies: Array<{ id: string; trades: number; lastTrade: unknown }> }> {
  const config = JSON.parse(readFileSync(join(root, 'config/paper-trading.json'), 'utf8')) as Record<string, unknown>;
  config['state'] = { dir };
  const file = join(dir, '..', 'config.json');
  writeFileSync(file, JSON.stringify(config));
  const out: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out.push(String(chunk));
    return true;
  });
  try {
    expect(await runStatusCommand(['--config', file, '--json'])).toBe(0);
  } finally {
    spy.mockRestore();
  }
  return JSON.parse(out.join('')) as { strategies: Array<{ id: string; trades: number; lastTrade: unknown }> };
}

afterEach(() => vi.restoreAllMocks());

describe('npm run status reads closed trades from the logs', () => {
  it('shows each strategy’s last closed trade, the same from a version-3 file (inline) and once saved as version 4 (logs)', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'status-trades-')), 'state');
    mkdirSync(dir);
    copyFileSync(V3, join(dir, 'latest_state.json'));
    const inline = (JSON.parse(readFileSync(V3, 'utf8')) as { engine: { runners: Record<string, { ledger: { trades: Array<{ symbol: string; direction: string; qty: number; exitTime: number; netPnl: number }> } }> } }).engine.runners;
    const before = await status(dir);
    const last = inline['sma_momentum']!.ledger.trades.at(-1)!;
    expect(before.strategies.find((x) => x.id === 'sma_momentum')).toMatchObject({ trades: 25, lastTrade: { symbol: last.symbol, direction: last.direction, qty: last.qty, exitTime: new Date(last.exitTime).toISOString(), netPnl: last.netPnl } });

    // The daemon's first save after restoring it: version 4, the trades in closed_trades_000001.jsonl.
    const store = new SnapshotStore(dir, retention());
    store.save(store.loadNewest(() => {})!.snapshot, null);
    const saved = JSON.parse(readFileSync(join(dir, 'latest_state.json'), 'utf8')) as { version: number; engine: { runners: Record<string, { ledger: Record<string, unknown> }> } };
    expect([saved.version, 'trades' in saved.engine.runners['sma_momentum']!.ledger, readFileSync(join(dir, 'closed_trades_000001.jsonl'), 'utf8').split('\n').length - 1]).toEqual([4, false, 69]);
    expect(await status(dir)).toEqual(before);
  });
});
