import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CliError } from '../core/errors.js';
import { StaticNyseCalendar } from '../risk/calendar/StaticNyseCalendar.js';
import { StrategyOrigin } from '../strategies/StrategyCatalog.js';
import { formatOptimizeSummary } from '../optimize/formatOptimizeSummary.js';
import { objectives, type ObjectiveName } from '../optimize/objectives.js';
import { optimize } from '../optimize/optimize.js';
import { parseGrid } from '../optimize/parseGrid.js';
import { Progress } from '../optimize/Progress.js';
import { renderOptimizeReport } from '../optimize/renderOptimizeReport.js';
import { shareTape } from '../optimize/SharedTape.js';
import type { SweepExecutor } from '../optimize/SweepExecutor.js';
import { plainStamps, type SweepSetup } from '../optimize/SweepSetup.js';
import { parseWalkForward } from '../optimize/walkForwardWindows.js';
import { WorkerPool } from '../optimize/WorkerPool.js';
import { fromConfig } from './backtestRun.js';
import { commandSpecs } from './commandSpecs.js';
import { onStopSignal } from './onStopSignal.js';
import { numberFlag, parseArgs } from './parseArgs.js';

const date = (name: string, d: string | undefined): string | null => {
  if (d === undefined) return null;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d) || Number.isNaN(Date.parse(d))) throw new CliError(`--${name}: must be a date YYYY-MM-DD, got "${d}"`);
  return d;
};

/**
 * `npm run optimize` (options: commandSpecs.optimize): every combination of `--grid` for one
 * strategy of a config, each a backtest of that config with only this strategy enabled, on worker
 * threads (or on workers behind `--queue`), ranked by `--metric`.
 */
export async function runOptimizeCommand(args: string[]): Promise<number> {
  const v = parseArgs(args, commandSpecs.optimize);
  if (v.strategy === undefined) throw new CliError(`--strategy is required: the id of a strategy in ${v.config}`);
  if (v.grid === undefined) throw new CliError(`--grid is required, e.g. '{"fast":[5,10,20],"slow":[30,60]}'`);
  const metric = v.metric;
  if (!Object.hasOwn(objectives, metric)) throw new CliError(`--metric: must be one of ${Object.keys(objectives).join(', ')}, got "${metric}"`);
  const objective = objectives[metric as ObjectiveName];
  if (v.queue !== undefined && v.workers !== undefined) throw new CliError('--workers counts local threads; with --queue each `npm run worker` has its own --workers');
  const workers = numberFlag(v.workers, 'workers', availableParallelism(), (n) => Number.isInteger(n) && n >= 1 && n <= 1024);
  const walk = v['walk-forward'] === undefined ? undefined : parseWalkForward(v['walk-forward']);
  const from = date('from', v.from);
  const to = date('to', v.to);
  if (from !== null && to !== null && from > to) throw new CliError(`--from ${from} is after --to ${to}`);
  const riskFreeRate = numberFlag(v['risk-free'], 'risk-free', 0, (n) => n >= 0 && n < 1);

  const run = await fromConfig(v.config, v['data-dir'], { from, to, barTime: undefined, calendar: new StaticNyseCalendar() }, v.strategy);
  run.checkCash?.(run.cash);
  const spec = run.strategies[0]!;
  // A type of your own is loaded again where the backtests run (threads, other machines): by its
  // file, checked against the code this sweep starts with.
  const type = run.catalog.get(spec.type)!;
  const module = type.origin === StrategyOrigin.User ? { file: resolve(type.file), sha256: type.sourceHash() } : null;
  const grid = parseGrid(v.grid, spec.type, type.params, spec.params as Record<string, unknown>);
  const c = run.costs;
  const setup: SweepSetup = {
    strategy: spec,
    startingCash: run.cash,
    costs: { slippage_bps: c.slippage_bps, slippage_range: c.slippage_range, commission_per_share: c.commission_per_share, commission_per_order: c.commission_per_order, commission_min_per_order: c.commission_min_per_order },
    maxPositionPct: run.maxPositionPct,
    riskFreeRate,
    breakers: run.breakers === undefined ? null : { strategies: [...run.breakers.strategies], account: run.breakers.account },
    module,
    stamps: plainStamps(run.bars.stamps.entries()),
  };
  const tape = shareTape(run.bars.tape);
  let executor: SweepExecutor;
  let ranOn: string;
  if (v.queue !== undefined) {
    const { QueueExecutor } = await import('../optimize/queue/QueueExecutor.js');
    const q = await QueueExecutor.open(v.queue, tape, setup);
    executor = q;
    ranOn = q.describe();
    process.stderr.write(`optimize: the backtests wait in ${q.where} for workers: npm run worker -- --queue ${q.where}\n`);
  } else {
    const size = Math.min(workers, grid.combinations.length);
    executor = new WorkerPool(tape, setup, size);
    ranOn = `${size} worker thread${size === 1 ? '' : 's'}`;
  }
  let progress: Progress | null = null;
  const startedAt = performance.now();
  // Stopped half way, a sweep over a queue takes its waiting jobs and its bars back out of Redis.
  const offSignal = onStopSignal((signal) => {
    process.stderr.write(`\noptimize: stopped (${signal})\n`);
    void executor.close().finally(() => process.exit(130));
  });
  try {
    const result = await optimize({
      setup,
      tape,
      grid,
      objective,
      executor,
      ranOn,
      ...(module === null ? {} : { createStrategy: (s) => type.create(s.params, s.symbols) }),
      ...(walk === undefined ? {} : { walkForward: walk }),
      stopwatch: () => performance.now(),
      progress: (done, total) => {
        progress ??= new Progress({ total, write: (s) => void process.stderr.write(s), now: () => performance.now(), tty: process.stderr.isTTY === true, startedAt });
        progress.update(done);
      },
    });
    process.stdout.write(formatOptimizeSummary(result));
    if (v.out !== undefined) {
      writeFileSync(v.out, `${JSON.stringify(result, null, 2)}\n`);
      process.stdout.write(`wrote ${v.out}\n`);
    }
    if (v.report !== undefined) {
      mkdirSync(v.report, { recursive: true });
      const file = join(v.report, 'optimize.html');
      writeFileSync(file, renderOptimizeReport(result));
      process.stdout.write(`wrote ${file}\n`);
    }
  } finally {
    offSignal();
    await executor.close();
  }
  return 0;
}
