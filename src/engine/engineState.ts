import type { MatchingEngine } from '../broker/sim/MatchingEngine.js';
import { InvariantError } from '../core/errors.js';
import type { EngineState } from '../persistence/engineStateSchema.js';
import type { TradingCore } from './buildTradingCore.js';

/** Everything a restart needs from the running core (and the offline venue), as plain data. */
export function captureEngineState(
  core: TradingCore,
  venue: MatchingEngine | null,
  lastBarTime: number | null,
  lastBarTimes: ReadonlyMap<string, number>,
  fills: ReadonlyMap<string, number>,
  broker: EngineState['broker'] = null,
): EngineState {
  return {
    broker,
    lastBarTime,
    lastBarTimes: Object.fromEntries(lastBarTimes),
    fills: Object.fromEntries(fills),
    venue: venue?.toData() ?? null,
    execution: core.execution.toData(),
    runners: Object.fromEntries(core.runner.runners.map((r) => [r.id, { runner: r.toData(), ledger: r.ledger.toData() }])),
    breakers: core.breakers?.toData() ?? null,
    curves: core.portfolio.curvesData(),
  };
}

/**
 * Puts a saved state back into a freshly built core. Strategies of the configuration that the state
 * does not know start fresh (and are named in the returned list); strategies of the state that the
 * configuration no longer has are dropped (also named).
 */
export function restoreEngineState(core: TradingCore, venue: MatchingEngine | null, s: EngineState): { fresh: string[]; dropped: string[] } {
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
  const known = new Set(core.runner.runners.map((r) => r.id));
  return { fresh, dropped: Object.keys(s.runners).filter((id) => !known.has(id)) };
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
