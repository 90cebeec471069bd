import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { cpus, totalmem } from 'node:os';
import { pino } from 'pino';
import type { barToOrderBench, burstBench, defaultWarmUpBench, hourlyWarmUpBench, warmUpBench } from './liveBench.js';
import { BACKTRADER_200K_SECONDS, type CliFigures } from './cliBench.js';
import { benchBacktest, type portfolioBench } from './portfolioBench.js';
import { syntheticBars } from './syntheticBars.js';

/**
 * `npm run bench` (`-- --pretty` for a table): performance figures as one JSON object on stdout.
 * Throughputs are the best of several runs after a warm-up run (the machine is shared and noisy;
 * the best run is the least disturbed one); latencies are medians and percentiles of many samples;
 * memory and the state file are measured in a process of their own. Targets: README "Performance".
 */
const BARS = 200_000;
const RUNS = 10;

/** Collects the previous run's garbage first (with --expose-gc), so runs do not pay for each other. */
const collect = (globalThis as { gc?: () => void }).gc ?? ((): void => {});

function best(run: () => number): number {
  run();
  let top = 0;
  for (let i = 0; i < RUNS; i++) {
    collect();
    top = Math.max(top, run());
  }
  return Math.round(top);
}

const logger = pino({ level: 'silent' });
const started = performance.now();

const bars = syntheticBars(BARS);
let fills = 0;
let loop = 0;
const smaCross = best(() => {
  const t0 = performance.now();
  const r = benchBacktest([{ id: 'bench', type: 'sma_cross', symbols: ['SYN'], capital: 100_000, params: { fast: 10, slow: 30, qty: 10 } }], bars, 100_000, logger);
  fills = r.fills.length;
  loop = Math.max(loop, r.barsPerSecond);
  return BARS / ((performance.now() - t0) / 1000);
});

/** A measure in a fresh process (the daemon's own would not hold the garbage of the measures before): its JSON line. */
const fresh = <T>(file: string, ...args: string[]): T =>
  JSON.parse(execFileSync(process.execPath, ['--expose-gc', '--max-semi-space-size=64', '--import', 'tsx', fileURLToPath(new URL(file, import.meta.url)), ...args], { encoding: 'utf8' })) as T;
/**
 * The code as `npm run backtest` runs it: one esbuild bundle, as dist/main.js is (the same packages
 * left outside), not loaded file by file through tsx, whose per-module loading reads the portfolio's
 * hot path 10–13 % slower. Returns the bundle's path (under node_modules, so the packages resolve).
 */
const bundled = (file: string): string => {
  const outfile = fileURLToPath(new URL(`../node_modules/.cache/bench/${file.replace(/^.*\//, '').replace(/\.ts$/, '.mjs')}`, import.meta.url));
  // The packages left outside and the banner: `npm run build`'s own (package.json), so the two agree.
  const build = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: { build: string } }).scripts.build;
  const external = [...build.matchAll(/--external:(\S+)/g)].map((m) => m[1]!);
  const banner = { js: /--banner:js="([^"]+)"/.exec(build)![1]! };
  buildSync({ entryPoints: [fileURLToPath(new URL(file, import.meta.url))], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile, external, banner, logLevel: 'warning' });
  return outfile;
};
const portfolio = JSON.parse(execFileSync(process.execPath, ['--expose-gc', '--max-semi-space-size=64', bundled('./portfolioBench.ts'), '5'], { encoding: 'utf8' })) as ReturnType<typeof portfolioBench>;
// The whole command as a user runs it (processes), and the CSV loader it starts with.
const cli = fresh<CliFigures>('./cliBench.ts', String(RUNS));
const burst = fresh<Awaited<ReturnType<typeof burstBench>>>('./liveBench.ts', 'burst', '7');
const b2o = fresh<Awaited<ReturnType<typeof barToOrderBench>>>('./liveBench.ts', 'bar-to-order', '300');
const warm = fresh<Awaited<ReturnType<typeof warmUpBench>>>('./liveBench.ts', 'warm-up');
const hourly = fresh<Awaited<ReturnType<typeof hourlyWarmUpBench>>>('./liveBench.ts', 'warm-up-hourly');
const shipped = fresh<Awaited<ReturnType<typeof defaultWarmUpBench>>>('./liveBench.ts', 'warm-up-default');
// Memory and the state file at scale.
const scale = fresh<Record<string, number>>('./scaleBench.ts', '5');
// The optimizer's sweep on worker threads: 1 thread, then every core, best of 10 sweeps each (with
// 5, the ratio of the same code read 1.65–2.12 on a quiet 2-core machine; with 10, 1.86–2.05).
const opt = fresh<Record<string, number>>('./optimizeBench.ts', '100000', '10');

const figures = {
  node: process.version,
  machine: `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB`,
  backtest_sma_cross_bars_per_second: smaCross,
  backtest_sma_cross_loop_bars_per_second: loop,
  backtest_sma_cross_fills: fills,
  backtest_cli_200k_seconds: cli.cli200kSeconds,
  backtest_cli_200k_node_seconds: cli.cli200kNodeSeconds,
  backtest_cli_200k_vs_backtrader: Math.round((BACKTRADER_200K_SECONDS / cli.cli200kSeconds) * 10) / 10,
  backtest_cli_tiny_seconds: cli.cliTinySeconds,
  csv_rows_per_second: cli.csvRowsPerSecond,
  csv_first_run_rows_per_second: cli.csvFirstRunRowsPerSecond,
  backtest_portfolio_strategy_bars_per_second: portfolio.strategyBarsPerSecond,
  backtest_portfolio_fills: portfolio.fills,
  burst_10k_symbols_ms: burst.ms,
  burst_10k_symbols_first_ms: burst.firstMs,
  burst_orders_per_minute: burst.ordersPerBurst,
  burst_rehearsal_ms: burst.rehearsalMs,
  bar_to_order_p50_us: b2o.p50Us,
  bar_to_order_p99_us: b2o.p99Us,
  bar_to_order_samples: b2o.orders,
  rss_mb_10x1000_100d_1h: scale.rss_mb_10x1000_100d_1h,
  snapshot_write_ms: scale.snapshot_write_ms,
  snapshot_latest_only_ms: scale.snapshot_latest_only_ms,
  snapshot_first_write_ms: scale.snapshot_first_write_ms,
  snapshot_write_cpu_ms: scale.snapshot_write_cpu_ms,
  restore_cpu_ms: scale.restore_cpu_ms,
  restore_ms: scale.restore_ms,
  snapshot_bytes: scale.snapshot_bytes,
  snapshot_fills: scale.fills,
  optimize_strategy_bars_per_second_1_worker: opt.optimize_strategy_bars_per_second_1_worker,
  optimize_strategy_bars_per_second_all_cores: opt.optimize_strategy_bars_per_second_all_cores,
  optimize_speedup_all_cores: opt.optimize_speedup,
  history_warmup_requests: warm.requests,
  history_warmup_ms: warm.ms,
  history_warmup_bars: warm.bars,
  history_warmup_hourly_timeframe: hourly.timeframe,
  history_warmup_hourly_requests: hourly.requests,
  history_warmup_hourly_seconds: hourly.seconds,
  history_warmup_hourly_bars: hourly.hourlyBars,
  history_warmup_default_requests: shipped.requests,
  history_warmup_default_seconds: shipped.seconds,
  history_warmup_default_bars: shipped.bars,
  history_warmup_default_peak_rss_mb: shipped.peakRssMb,
  bench_seconds: Math.round((performance.now() - started) / 100) / 10,
};

/** The targets of the performance issue, where a figure has one. */
const targets: Record<string, [string, (v: number) => boolean]> = {
  backtest_sma_cross_bars_per_second: ['≥ 1,500,000', (v) => v >= 1_500_000],
  backtest_cli_200k_seconds: ['≤ 0.45 (40× backtrader)', (v) => v <= 0.45],
  backtest_cli_200k_vs_backtrader: ['≥ 40', (v) => v >= 40],
  backtest_cli_tiny_seconds: ['< 0.5', (v) => v < 0.5],
  csv_rows_per_second: ['≥ 2,000,000', (v) => v >= 2_000_000],
  backtest_portfolio_strategy_bars_per_second: ['≥ 2,000,000', (v) => v >= 2_000_000],
  burst_10k_symbols_ms: ['< 250', (v) => v < 250],
  burst_10k_symbols_first_ms: ['< 250', (v) => v < 250],
  bar_to_order_p99_us: ['< 2,000', (v) => v < 2000],
  rss_mb_10x1000_100d_1h: ['< 512', (v) => v < 512],
  snapshot_write_ms: ['< 50', (v) => v < 50],
  restore_ms: ['< 200', (v) => v < 200],
  history_warmup_requests: ['≤ 40', (v) => v <= 40],
  history_warmup_default_requests: ['≤ 40', (v) => v <= 40],
  // On 2 cores: at least 1.8 times the 1-thread figure (on more cores: 0.9 of a core each).
  optimize_speedup_all_cores: [`≥ ${(0.9 * (opt.optimize_cores ?? 2)).toFixed(1)}`, (v) => v >= 0.9 * (opt.optimize_cores ?? 2)],
};

if (process.argv.includes('--pretty')) {
  const rows = Object.entries(figures).map(([k, v]) => {
    const t = targets[k];
    const value = typeof v === 'number' ? v.toLocaleString('en-US') : v;
    return [k, value, t === undefined ? '' : `${t[0]} ${typeof v === 'number' && t[1](v) ? '✓' : '✗'}`];
  });
  const w0 = Math.max(...rows.map((r) => r[0]!.length));
  const w1 = Math.max(...rows.map((r) => String(r[1]).length));
  for (const [k, v, t] of rows) process.stdout.write(`${k!.padEnd(w0)}  ${String(v).padStart(w1)}  ${t}\n`);
} else process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
