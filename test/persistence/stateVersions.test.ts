import { copyFileSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { noCommission } from '../../src/broker/sim/CommissionModel.js';
import { MatchingEngine } from '../../src/broker/sim/MatchingEngine.js';
import { noSlippage } from '../../src/broker/sim/SlippageModel.js';
import { SimBroker } from '../../src/broker/sim/SimBroker.js';
import { SimClock } from '../../src/core/SimClock.js';
import { buildTradingCore } from '../../src/engine/buildTradingCore.js';
import { reconcileWithVenue } from '../../src/engine/engineState.js';
import { restoreState } from '../../src/engine/restoreState.js';
import { STATE_VERSION } from '../../src/persistence/engineStateSchema.js';
import { SnapshotStore } from '../../src/persistence/SnapshotStore.js';
import { retention } from './savableState.js';
import { BreakerAction } from '../../src/risk/CircuitBreaker.js';
import { Scripted } from '../execution/coreHarness.js';

/** A state file written by the daemon of each commit that changed the format (test/fixtures/state/README.md). */
const DIR = fileURLToPath(new URL('../fixtures/state/', import.meta.url));
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();
/** The configurations they were written with: $100,000, commissions of $0.005 a share with a $1 minimum. */
const STARTING_CASH = 100_000;
const commission = (qty: number): number => Math.max(1, qty * 0.005);

interface Shown {
  readonly strategies: Record<string, { capital: number; symbols: string[]; circuitBreaker?: { state: string } | null }>;
}

function load(name: string) {
  const dir = mkdtempSync(join(tmpdir(), 'state-version-'));
  copyFileSync(join(DIR, name), join(dir, 'latest_state.json'));
  const warnings: string[] = [];
  const loaded = new SnapshotStore(dir, retention(), { startingCash: STARTING_CASH, entryCommission: commission }).loadNewest((w) => warnings.push(w));
  return { loaded, warnings, shown: JSON.parse(readFileSync(join(DIR, name), 'utf8')) as Shown };
}

describe('every state file this project has written restores', () => {
  it('has a file of each version and shape', () => {
    expect(FILES.filter((f) => f.startsWith('v1-'))).toHaveLength(3);
    expect(FILES.filter((f) => f.startsWith('v2-'))).toHaveLength(15);
    expect(FILES.filter((f) => f.startsWith('v3-'))).toHaveLength(1);
  });

  it.each(FILES)('%s: upgraded to the current version and put back into a core, its books, orders and breakers as they were', (name) => {
    const { loaded, warnings, shown } = load(name);
    expect(warnings).toEqual([]);
    expect(loaded!.snapshot.version).toBe(STATE_VERSION);
    const ids = Object.keys(shown.strategies);
    const clock = new SimClock(Date.parse('2019-02-12T15:00:00Z'));
    const offline = loaded!.snapshot.mode === 'sim';
    const venue = new MatchingEngine({ clock, startingCash: STARTING_CASH, slippage: noSlippage, commission: noCommission });
    const off = { maxDrawdownPct: null, maxDailyLossPct: null, maxConsecutiveLosses: null, maxTradesPerDay: null, action: BreakerAction.BlockEntries };
    const strategies = ids.map((id) => ({ id, type: 'scripted', symbols: shown.strategies[id]!.symbols, capital: shown.strategies[id]!.capital, params: {} }));
    const core = buildTradingCore({
      strategies,
      broker: new SimBroker(venue),
      clock,
      runId: 'restored',
      maxPositionPct: 1,
      estimateCommission: () => 0,
      logger: pino({ level: 'silent' }),
      breakers: { strategies: new Map(ids.map((id) => [id, off])), account: off },
      createStrategy: () => new Scripted(() => {}),
    });
    const capitals = strategies.reduce((a, s) => a + s.capital, 0);
    const { state, changes, fresh } = restoreState({ core, venue: offline ? venue : null, loaded: loaded!, strategies, configFile: 'c.json', time: clock.now(), unallocatedCash: () => STARTING_CASH - capitals, log: pino({ level: 'silent' }) });
    expect([changes, fresh]).toEqual([[], []]);
    // Offline, the simulated account and the books agree to the cent and the share.
    if (offline) expect(() => reconcileWithVenue(core, venue, state.unallocatedCash!)).not.toThrow();
    for (const id of ids) {
      const tripped = shown.strategies[id]!.circuitBreaker?.state === 'PAUSED';
      expect([id, core.breakers!.get(id)!.state]).toEqual([id, tripped ? 'PAUSED' : 'ARMED']);
    }
    // Every order the file had at the venue (and every protective exit of it) is in flight again, its strategy's.
    for (const w of state.venue?.working ?? []) expect(core.execution.isInFlight(w.order.clientOrderId)).toBe(true);
  });
});
