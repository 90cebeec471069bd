import { TRADING_DAYS_PER_YEAR } from '../portfolio/metrics.js';
import { deflatedSharpe } from './deflatedSharpe.js';
import { heatmap, stability, type Scored } from './gridLandscape.js';
import { CliError } from '../core/errors.js';
import { tooFewDays } from '../portfolio/sampleRules.js';
import { checkSample, rank, score, type Objective } from './objectives.js';
import type { DeflatedSharpeReport, OptimizeResult, RankedCombination, StitchedResult, WalkForwardFoldResult } from './OptimizeResult.js';
import type { Grid } from './parseGrid.js';
import { backtestCombination, type CombinationResult } from './runCombination.js';
import type { SharedTape } from './SharedTape.js';
import type { SweepExecutor } from './SweepExecutor.js';
import type { CreateStrategy } from './sweepStrategy.js';
import type { SweepJob, SweepSetup } from './SweepSetup.js';
import { dayStarts } from '../market-data/dayStarts.js';
import { walkForwardFolds } from './walkForwardWindows.js';

export interface OptimizeInput {
  readonly setup: SweepSetup;
  readonly tape: SharedTape;
  readonly grid: Grid;
  readonly objective: Objective;
  readonly executor: SweepExecutor;
  /** Where the backtests run, for the result (`2 threads`, `redis://host:6379`). */
  readonly ranOn: string;
  /** Called with the backtests done and the total. */
  readonly progress: (done: number, total: number) => void;
  readonly walkForward?: { readonly train: number; readonly test: number };
  /** A monotonic clock in ms (elapsed time only). */
  readonly stopwatch: () => number;
  /** Builds a strategy of your own (the best combination's fills are backtested once more here). */
  readonly createStrategy?: CreateStrategy;
}

/** Runs every combination of the grid (or a walk-forward of it) on the executor and ranks the results. */
export async function optimize(i: OptimizeInput): Promise<OptimizeResult> {
  const started = i.stopwatch();
  const t = i.tape;
  const head = {
    strategy: { id: i.setup.strategy.id, type: i.setup.strategy.type, symbols: i.setup.strategy.symbols },
    metric: i.objective.name,
    grid: { keys: i.grid.keys, values: i.grid.values },
    combinations: i.grid.combinations.length,
    skipped: i.grid.skipped,
    bars: t.length,
    ranOn: i.ranOn,
  };
  if (i.walkForward !== undefined) {
    const refused = checkSample(i.objective, i.walkForward.train, `each training window of --walk-forward ${i.walkForward.train}/${i.walkForward.test} has`);
    if (refused !== null) throw new CliError(refused);
    const wf = await walkForward(i, i.walkForward.train, i.walkForward.test);
    return { ...head, from: wf.from, to: wf.to, backtests: wf.backtests, elapsedMs: i.stopwatch() - started, walkForward: wf.result };
  }
  const refused = checkSample(i.objective, dayStarts(t.time, t.length).length - 1, 'the data has');
  if (refused !== null) throw new CliError(refused);
  const jobs: SweepJob[] = i.grid.combinations.map((c, index) => ({ index, params: c.params, lo: 0, hi: t.length }));
  const results = await i.executor.run(jobs, (done) => i.progress(done, jobs.length));
  const ranking = rank(results, i.objective).map((r, k) => ranked(r, k + 1, i));
  const best = ranking[0]!;
  const bestResult = results[best.index]!;
  const scored: Scored[] = ranking.map((r) => ({ index: r.index, grid: r.grid, value: r.value }));
  const bestScored = scored[0]!;
  return {
    ...head,
    from: bestResult.from,
    to: bestResult.to,
    backtests: jobs.length,
    elapsedMs: i.stopwatch() - started,
    ranking,
    best,
    // The engine once more for the best one's fills (the sweep keeps only their digest).
    bestFills: backtestCombination(t, i.setup, jobs[best.index]!, i.createStrategy).fills,
    // No choice made (no combination has a value): no chance that it beats luck either.
    deflatedSharpe: deflated(results, bestResult, best.value === null ? `no combination has a ${i.objective.name}` : null),
    heatmap: heatmap(i.grid, scored, i.objective.higherIsBetter),
    stability: stability(i.grid, scored, bestScored),
  };
}

function ranked(r: CombinationResult, position: number, i: OptimizeInput): RankedCombination {
  const s = score(i.objective, r.metrics);
  return {
    rank: position,
    index: r.index,
    grid: i.grid.combinations[r.index]!.grid,
    value: s.value,
    na: s.na,
    flat: s.flat,
    finalValue: r.finalValue,
    fills: r.fills,
    trades: r.trades,
    rejections: r.rejections,
    fillsDigest: r.fillsDigest,
    metrics: r.metrics,
  };
}

const ANNUAL = Math.sqrt(TRADING_DAYS_PER_YEAR);

/**
 * The deflated Sharpe ratio of the chosen combination for the number of combinations tried, from
 * the daily Sharpe ratios (the annualized ones / √252) of every combination that has one; n/a, like
 * any Sharpe ratio, from fewer than 20 trading days.
 */
function deflated(results: readonly CombinationResult[], best: CombinationResult, unchosen: string | null): DeflatedSharpeReport {
  const na = unchosen ?? tooFewDays(best.metrics);
  const daily = results.map((r) => r.metrics.sharpe).filter((s): s is number => s !== null).map((s) => s / ANNUAL);
  const mean = daily.reduce((a, b) => a + b, 0) / Math.max(1, daily.length);
  const variance = daily.length < 2 ? 0 : daily.reduce((a, s) => a + (s - mean) ** 2, 0) / (daily.length - 1);
  const sharpeDaily = best.metrics.sharpe === null || na !== null ? null : best.metrics.sharpe / ANNUAL;
  const trials = results.length;
  const d =
    sharpeDaily === null
      ? { benchmark: deflatedSharpe({ sharpe: 0, periods: 0, skewness: 0, kurtosis: 3, trials, variance }).benchmark, probability: null }
      : deflatedSharpe({ sharpe: sharpeDaily, periods: best.returns.count, skewness: best.returns.skewness, kurtosis: best.returns.kurtosis, trials, variance });
  return { trials, variance, benchmarkDaily: d.benchmark, benchmarkAnnualized: d.benchmark * ANNUAL, sharpeDaily, returns: best.returns, probability: d.probability, na: na ?? (best.metrics.sharpe === null ? 'no variation' : null) };
}

/**
 * Optimises on each training window (every combination), runs the choice on the test window after
 * it, and stitches the test windows' daily returns into one out-of-sample record. Each test run
 * starts flat with the starting cash, its indicators warmed up on the training window.
 */
async function walkForward(i: OptimizeInput, train: number, test: number): Promise<{ from: string | null; to: string | null; backtests: number; result: NonNullable<OptimizeResult['walkForward']> }> {
  const folds = walkForwardFolds(i.tape.time, i.tape.length, train, test);
  const n = i.grid.combinations.length;
  const total = folds.length * n + folds.length;
  const trainJobs: SweepJob[] = folds.flatMap((f) => i.grid.combinations.map((c, index) => ({ index, params: c.params, lo: f.train.lo, hi: f.train.hi })));
  const trained = await i.executor.run(trainJobs, (done) => i.progress(done, total));
  const chosen = folds.map((_, k) => rank(trained.slice(k * n, (k + 1) * n), i.objective)[0]!);
  // Each test window starts flat with the starting cash, its indicators warmed up on the training
  // window's bars, as the daemon warms up on history before it trades.
  const testJobs: SweepJob[] = folds.map((f, k) => ({ index: chosen[k]!.index, params: chosen[k]!.params, lo: f.test.lo, hi: f.test.hi, warm: f.train.lo }));
  const tested = await i.executor.run(testJobs, (done) => i.progress(trainJobs.length + done, total));
  const results: WalkForwardFoldResult[] = folds.map((f, k) => {
    const c = chosen[k]!;
    const r = tested[k]!;
    const inSample = score(i.objective, c.metrics);
    const outOfSample = score(i.objective, r.metrics);
    return {
      fold: k + 1,
      train: { from: c.from, to: c.to, days: f.train.days, bars: f.train.hi - f.train.lo },
      test: { from: r.from, to: r.to, days: f.test.days, bars: f.test.hi - f.test.lo },
      chosen: i.grid.combinations[c.index]!.grid,
      inSample: inSample.value,
      inSampleNa: inSample.na,
      outOfSample: outOfSample.value,
      outOfSampleNa: outOfSample.na,
      finalValue: r.finalValue,
      fills: r.fills,
      trades: r.trades,
      fillsDigest: r.fillsDigest,
      metrics: r.metrics,
    };
  });
  return {
    from: results[0]!.test.from,
    to: results.at(-1)!.test.to,
    backtests: total,
    result: { train, test, folds: results, stitched: stitch(tested, i.setup.riskFreeRate) },
  };
}

/**
 * The out-of-sample record: daily returns compounded, Sharpe as the metrics compute it (sample σ,
 * 252 days), n/a from fewer than 20 days like every Sharpe ratio.
 */
export function stitch(tested: readonly CombinationResult[], riskFreeRate: number): StitchedResult {
  const r = tested.flatMap((t) => t.dailyReturns);
  const rf = (1 + riskFreeRate) ** (1 / TRADING_DAYS_PER_YEAR) - 1;
  let equity = 1;
  let peak = 1;
  let maxDrawdown = 0;
  for (const x of r) {
    equity *= 1 + x;
    peak = Math.max(peak, equity);
    maxDrawdown = Math.max(maxDrawdown, (peak - equity) / peak);
  }
  const excess = r.map((x) => x - rf);
  const mean = excess.reduce((a, b) => a + b, 0) / Math.max(1, excess.length);
  const sd = excess.length < 2 ? 0 : Math.sqrt(excess.reduce((a, x) => a + (x - mean) ** 2, 0) / (excess.length - 1));
  const na = tooFewDays({ tradingDays: r.length }) ?? (sd > 0 ? null : 'no variation');
  return {
    days: r.length,
    totalReturn: equity - 1,
    sharpe: na === null ? (mean / sd) * ANNUAL : null,
    sharpeNa: na,
    maxDrawdown,
    fills: tested.reduce((a, t) => a + t.fills, 0),
    trades: tested.reduce((a, t) => a + t.trades, 0),
  };
}
