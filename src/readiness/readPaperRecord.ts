import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { nyDateOf } from '../market-data/zonedTime.js';
import { readOutboxStatus, type OutboxStatus } from '../notify/Outbox.js';
import type { EngineState } from '../persistence/engineStateSchema.js';
import { RunRegistry } from '../persistence/RunRegistry.js';
import { loadNewestState, RUNS } from '../persistence/SnapshotStore.js';
import { EquityCurve, type CurveData } from '../portfolio/EquityCurve.js';
import type { PaperBreakerTrip, PaperDay, PaperRecord, StrategyPaperRecord } from './PaperRecord.js';

/**
 * Where the paper record lies today, and the one place that knows these files' shapes:
 * - the newest readable state file of the state directory (validated as for a restore, its closed
 *   trades and equity history read back from the append-only logs beside it): each
 *   strategy's equity curve (daily closes and returns net of capital moves, worst drawdown,
 *   exposure), ledger (closed trades, open lots, capital), status and current breaker trip;
 * - `runs.json` beside it: every run, with each strategy's fingerprint since version 2;
 * - `<logging.dir>/circuit_breaker.log` (and rotated `circuit_breaker.log.N`): every breaker trip,
 *   those logged since this record's first run;
 * - the Telegram outbox (`telegram_outbox.json` beside the state directory): deliveries.
 */
export interface PaperRecordFiles {
  readonly stateDir: string;
  readonly logDir: string;
}

/** The paper record of a state directory; null when it holds no state file that can be read. */
export function readPaperRecord(f: PaperRecordFiles): PaperRecord | null {
  const warnings: string[] = [];
  // The closed trades and daily closes are read back from the logs beside the state (docs/state.md);
  // lines past the state's position are a running daemon's next save, not a problem.
  const loaded = loadNewestState(f.stateDir, { startingCash: null }, (w) => warnings.push(`skipped ${w}`), () => {});
  if (loaded === null) return null;
  const snapshot = loaded.snapshot;
  const runs = new RunRegistry(join(f.stateDir, RUNS)).records((m) => warnings.push(m));
  const firstRun = runs.length === 0 ? null : Date.parse(runs[0]!.startedAt);
  const trips = breakerLogTrips(f.logDir, Number.isFinite(firstRun) ? firstRun : null, warnings);
  const e = snapshot.engine;
  const strategies = new Map<string, StrategyPaperRecord>();
  for (const [id, { runner, ledger }] of Object.entries(e.runners)) {
    const curve = e.curves.strategies[id];
    const current = e.breakers?.strategies[id]?.trip ?? null;
    const logged = trips.get(id) ?? [];
    // The trip in force is in the state even when the log was removed.
    const all = current === null || logged.some((t) => t.time === current.time && t.rule === current.rule) ? logged : [...logged, { time: current.time, rule: current.rule, message: current.message }];
    strategies.set(id, {
      id,
      capital: ledger.capital,
      status: runner.status,
      ...curveFigures(curve ?? null, ledger.capital),
      trades: ledger.trades,
      openLots: ledger.lots.filter((l) => l.qty !== 0).map((l) => ({ symbol: l.symbol, direction: l.direction, qty: l.qty, entryTime: l.entryTime, entryPrice: l.entryQty > 0 ? l.entryValue / l.entryQty : l.avgPrice })),
      fills: e.fills[id] ?? 0,
      breakerTrips: all.sort((a, b) => a.time - b.time),
    });
  }
  return {
    dir: f.stateDir,
    mode: snapshot.mode,
    savedAt: snapshot.timestamp,
    marketTime: e.lastBarTime,
    runs,
    strategies,
    deliveries: outbox(join(dirname(f.stateDir), 'telegram_outbox.json'), warnings),
    warnings,
  };
}

type Curve = EngineState['curves']['strategies'][string];

/** Daily closes and returns, the exact drawdown and the exposure of a saved curve (the curve's own code reads it). */
function curveFigures(data: Curve | null, capital: number): Pick<StrategyPaperRecord, 'days' | 'drawdown' | 'exposure'> {
  if (data === null) return { days: [], drawdown: { depth: 0, peakTime: null, troughTime: null, recoveryTime: null, durationMs: 0 }, exposure: 0 };
  const curve = new EquityCurve(capital, Math.max(1024, data.sampleTimes.length));
  curve.restore(data as CurveData);
  const summary = curve.summary();
  const h = curve.history();
  const closes = h.today.length === 0 ? h.dailyCloses : [...h.dailyCloses, h.today[h.today.length - 1]!];
  // Both lists end with the newest day; a return belongs to the close it ends at.
  const returns = summary.returns.slice(Math.max(0, summary.returns.length - closes.length));
  const offset = closes.length - returns.length;
  const days: PaperDay[] = returns.map((r, i) => {
    const c = closes[i + offset]!;
    return { date: nyDateOf(c.time), time: c.time, equity: c.equity, return: r };
  });
  return { days, drawdown: summary.drawdown, exposure: summary.points === 0 ? 0 : summary.exposedPoints / summary.points };
}

/** Breaker trips by strategy from the breaker log's JSON lines (a line with an `action` is a trip), those written since `since` (wall ms). */
function breakerLogTrips(logDir: string, since: number | null, warnings: string[]): Map<string, PaperBreakerTrip[]> {
  const out = new Map<string, PaperBreakerTrip[]>();
  if (!existsSync(logDir)) return out;
  const files = readdirSync(logDir).filter((n) => /^circuit_breaker\.log(\.\d+)?$/.test(n));
  for (const name of files) {
    let bad = 0;
    for (const line of readFileSync(join(logDir, name), 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        bad++;
        continue;
      }
      const { scope, rule, action, marketTime, time, msg } = entry;
      if (typeof scope !== 'string' || typeof rule !== 'string' || typeof action !== 'string' || typeof marketTime !== 'string') continue;
      if (since !== null && typeof time === 'string' && Date.parse(time) < since) continue;
      const at = Date.parse(marketTime);
      if (!Number.isFinite(at)) continue;
      const list = out.get(scope) ?? [];
      if (!list.some((t) => t.time === at && t.rule === rule)) list.push({ time: at, rule, message: typeof msg === 'string' ? msg : rule });
      out.set(scope, list);
    }
    if (bad > 0) warnings.push(`${join(logDir, name)}: ${bad} lines are not JSON (skipped)`);
  }
  return out;
}

function outbox(file: string, warnings: string[]): OutboxStatus | null {
  try {
    return readOutboxStatus(file);
  } catch (error) {
    warnings.push(`${file} cannot be read (${error instanceof Error ? error.message.slice(0, 200) : String(error)})`);
    return null;
  }
}
