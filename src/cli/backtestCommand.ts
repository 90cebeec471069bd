import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { perShareCommission } from '../broker/sim/CommissionModel.js';
import { bpsSlippage } from '../broker/sim/SlippageModel.js';
import { runBacktest } from '../backtest/runBacktest.js';
import { formatBacktestSummary } from '../backtest/formatBacktestSummary.js';
import type { Bar } from '../core/Bar.js';
import { CliError } from '../core/errors.js';
import { loadCsvBars, symbolFromFileName } from '../market-data/loadCsvBars.js';
import { assertTimeZone } from '../market-data/zonedTime.js';
import { builtInStrategies } from '../strategies/builtInStrategies.js';
import { numberFlag, parseArgs } from './parseArgs.js';

/**
 * `npm run backtest -- --data FILE [--data FILE …] --strategy NAME [--params JSON] [--cash N]
 * [--tz ZONE] [--out FILE]`: one strategy over CSV bars, a summary on stdout, JSON with --out.
 */
export async function runBacktestCommand(args: string[]): Promise<number> {
  const v = parseArgs(
    args,
    {
      data: { type: 'string', multiple: true },
      strategy: { type: 'string' },
      params: { type: 'string' },
      cash: { type: 'string' },
      tz: { type: 'string' },
      out: { type: 'string' },
      'slippage-bps': { type: 'string' },
      'commission-per-share': { type: 'string' },
      'commission-min': { type: 'string' },
      'max-position-pct': { type: 'string' },
      verbose: { type: 'boolean' },
    },
    'backtest',
  );
  const known = Object.keys(builtInStrategies).sort().join(', ');
  if (v.strategy === undefined) throw new CliError(`--strategy is required (one of: ${known})`);
  const factory = builtInStrategies[v.strategy];
  if (factory === undefined) throw new CliError(`--strategy: unknown strategy "${v.strategy}" (known: ${known})`);
  const files = v.data ?? [];
  if (files.length === 0) throw new CliError('--data FILE is required (a CSV of bars; repeat for several symbols)');
  const timeZone = v.tz ?? 'America/New_York';
  try {
    assertTimeZone(timeZone);
  } catch {
    throw new CliError(`--tz: unknown time zone "${timeZone}"`);
  }
  const cash = numberFlag(v.cash, 'cash', 100_000, (n) => n > 0);
  const slippageBps = numberFlag(v['slippage-bps'], 'slippage-bps', 0, (n) => n >= 0);
  const perShare = numberFlag(v['commission-per-share'], 'commission-per-share', 0, (n) => n >= 0);
  const minimum = numberFlag(v['commission-min'], 'commission-min', 0, (n) => n >= 0);
  const maxPositionPct = numberFlag(v['max-position-pct'], 'max-position-pct', 0.25, (n) => n > 0 && n <= 1);

  let rawParams: unknown = {};
  if (v.params !== undefined) {
    try {
      rawParams = JSON.parse(v.params);
    } catch (error) {
      throw new CliError(`--params: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  const parsed = factory.params.safeParse(rawParams);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `--params: ${['params', ...i.path.map(String)].join('.')}: ${i.message}`);
    throw new CliError(issues.join('\n'));
  }

  const bySymbol = new Map<string, string>();
  const bars: Bar[] = [];
  for (const file of files) {
    const symbol = symbolFromFileName(file);
    const other = bySymbol.get(symbol);
    if (other !== undefined) throw new CliError(`--data: ${file} and ${other} are both ${symbol}`);
    bySymbol.set(symbol, file);
    bars.push(...(await loadCsvBars(file, { symbol, timeZone })));
  }
  if (files.length > 1) bars.sort((a, b) => a.time - b.time || (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));

  const result = runBacktest({
    strategy: { id: v.strategy, type: v.strategy, symbols: [...bySymbol.keys()].sort(), capital: cash, params: parsed.data },
    bars,
    startingCash: cash,
    slippage: bpsSlippage(slippageBps),
    commission: perShareCommission(perShare, minimum),
    maxPositionPct,
    logger: pino({ level: v.verbose === true ? 'debug' : 'warn', base: { component: 'backtest' } }, pino.destination(2)),
    stopwatch: () => performance.now(),
  });
  process.stdout.write(formatBacktestSummary(result));
  if (v.out !== undefined) {
    writeFileSync(v.out, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`wrote ${v.out}\n`);
  }
  return 0;
}
