import type { MatchingEngine } from '../broker/sim/MatchingEngine.js';
import { InvariantError } from '../core/errors.js';
import type { EngineState } from '../persistence/engineStateSchema.js';
import type { TradingCore } from './buildTradingCore.js';

/** What an engine keeps beside its core, for the state file. */
export interface EngineExtras {
  readonly lastBarTime: number | null;
  readonly lastBarTimes: ReadonlyMap<string, number>;
  readonly fills: ReadonlyMap<string, number>;
  /** Alpaca mode: the broker's books of open orders and legs; null offline. */
  readonly broker: EngineState['broker'];
  /** Offline mode: the account's cash outside the strategies; null in Alpaca mode. */
  readonly unallocatedCash: number | null;
  readonly capitalFlows: EngineState['capitalFlows'];
  /** The last session whose close was handled (New York date), null before the first. */
  readonly lastClose: string | null;
}

/** Everything a restart needs from the running core (and the offline venue), as plain data. */
export function captureEngineState(core: TradingCore, venue: MatchingEngine | null, x: EngineExtras): EngineState {
  return {
    broker: x.broker,
    lastBarTime: x.lastBarTime,
    lastBarTimes: Object.fromEntries(x.lastBarTimes),
    fills: Object.fromEntries(x.fills),
    venue: venue?.toData() ?? null,
    execution: core.execution.toData(),
    runners: Object.fromEntries(core.runner.runners.map((r) => [r.id, { runner: r.toData(), ledger: r.ledger.toData() }])),
    breakers: core.breakers?.toData() ?? null,
    curves: core.portfolio.curvesData(),
    unallocatedCash: x.unallocatedCash,
    capitalFlows: x.capitalFlows,
    lastClose: x.lastClose,
  };
}

/**
 * Puts a saved state back into a freshly built core. The state has been fitted to the
 * configuration first (`applyConfigChange`): every strategy of the core is either in it or new.
 * Returns the strategies that start fresh.
 */
export function restoreEngineState(core: TradingCore, venue: MatchingEngine | null, s: EngineState): { fresh: string[] } {
  if (venue !== null && s.venue !== null) venue.restore(s.venue);
  core.execution.restore(s.execution);
  const fresh: string[] = [];
  for (const r of core.runner.runners) {
    const saved = s.runners[r.id];
    if (saved === undefined) {
      fresh.push(r.id);
      continue;
    }
    r.restore(saved.runner);
    r.ledger.restore(saved.ledger);
  }
  if (core.breakers !== null && s.breakers !== null) core.breakers.restore(s.breakers);
  core.portfolio.restoreCurves(s.curves);
  return { fresh };
}

/**
 * Offline reconciliation: the strategies' positions must add up to the simulated account's, share
 * for share, and their cash plus the unallocated cash to the account's cash (to the cent). A
 * difference means the books cannot be trusted: trading does not start.
 */
export function reconcileWithVenue(core: TradingCore, venue: MatchingEngine, unallocatedCash: number): void {
  const books = new Map<string, number>();
  for (const r of core.runner.runners) for (const p of r.ledger.positions()) books.set(p.symbol, (books.get(p.symbol) ?? 0) + p.qty);
  const account = new Map(venue.positions().map((p) => [p.symbol, p.qty]));
  const symbols = [...new Set([...books.keys(), ...account.keys()])].sort();
  const off = symbols.filter((s) => (books.get(s) ?? 0) !== (account.get(s) ?? 0)).map((s) => `${s}: books ${books.get(s) ?? 0}, account ${account.get(s) ?? 0}`);
  const booksCash = core.runner.runners.reduce((a, r) => a + r.ledger.cash, 0) + unallocatedCash;
  const accountCash = venue.account().cash;
  if (Math.abs(booksCash - accountCash) >= 0.005) off.push(`cash: books ${booksCash.toFixed(2)}, account ${accountCash.toFixed(2)}`);
  if (off.length > 0) throw new InvariantError(`restored books do not match the account: ${off.join('; ')}`);
}
