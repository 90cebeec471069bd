/** The files `npm run new-strategy -- NAME` writes. */
export interface Scaffold {
  readonly module: string;
  readonly test: string;
}

/** `my_breakout` → `MyBreakout`. */
export function className(type: string): string {
  return type
    .split('_')
    .filter((w) => w !== '')
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

/**
 * A commented strategy to start from, and its test (a backtest on the sample data that checks each
 * fill against the rule worked out by hand), both passing `npm test` as written. `src` and `data`
 * are the daemon's src/ folder and sample-data file as the new files import them (relative paths).
 */
export function strategyScaffold(type: string, src: string, data: string): Scaffold {
  const Name = className(type);
  const module = `/**
 * \`${type}\`: your strategy, written by \`npm run new-strategy -- ${type}\` (docs/strategies.md).
 *
 * The file's name is the strategy type: a configuration runs it with \`"type": "${type}"\` (its
 * \`params\` checked against the schema below when the configuration is loaded), a backtest with
 * \`npm run backtest -- --data FILE --strategy ${type}\`. It runs as the built-ins do: backtests,
 * offline paper trading, Alpaca. Edit the rule in onBar, then its test (${type}.test.ts) to match.
 */
import { z } from 'zod';
import { ExactSMA, Strategy, type Bar, type StrategyContext, type StrategyFill } from '${src}/strategies/api.js';

/** One line for the logs and \`npm run check\`. */
export const description = 'buys when the close crosses above its moving average, sells when it crosses below';

/** Its parameters: a configuration with a wrong or unknown one is refused at start, naming it. */
export const params = z.strictObject({
  /** Bars of the simple moving average of the close. */
  period: z.number().int().min(2).default(20),
  /** Shares bought on each entry. */
  qty: z.number().int().positive().default(10),
});
export type Params = z.infer<typeof params>;

/**
 * Called with every bar of its symbols in time order: first the warm-up history (\`ctx.warmingUp\`,
 * orders ignored), then live. It never sees a broker: \`ctx.buy\` / \`ctx.sell\` / \`ctx.closePosition\`
 * hand an order to the RiskGate; the outcome comes back in onFill or onOrderRejected.
 */
export default class ${Name} extends Strategy<Params> {
  // One average per symbol: a strategy may trade several.
  readonly #averages = new Map<string, ExactSMA>();
  /** Whether the last close was above its average, per symbol. */
  readonly #above = new Map<string, boolean>();

  override onBar(bar: Bar, ctx: StrategyContext): void {
    let average = this.#averages.get(bar.symbol);
    if (average === undefined) {
      average = new ExactSMA(this.params.period);
      this.#averages.set(bar.symbol, average);
    }
    average.add(bar.close);
    if (!average.isStable) return;
    const above = bar.close > average.value;
    const before = this.#above.get(bar.symbol);
    this.#above.set(bar.symbol, above);
    // Only a cross decides, and never while an order of this symbol waits to be filled.
    if (before === undefined || before === above || ctx.hasOpenOrder(bar.symbol)) return;
    const held = ctx.position(bar.symbol);
    if (above && held === 0) ctx.buy(bar.symbol, this.params.qty, { reason: \`close crossed above SMA\${this.params.period}\` });
    else if (!above && held > 0) ctx.closePosition(bar.symbol, \`close crossed below SMA\${this.params.period}\`);
  }

  /** A fill of one of its orders, booked in its ledger (\`realizedPnl\` is 0 on an entry). */
  override onFill(_fill: StrategyFill, _ctx: StrategyContext): void {}
}
`;
  const test = `/**
 * \`${type}\`, loaded as the daemon loads it and backtested on the sample data with the daemon's own
 * runners, RiskGate and simulated venue (\`npm test\` runs it). The rule is worked out by hand below
 * from the same bars: change both when you change the strategy.
 */
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { noCommission } from '${src}/broker/sim/CommissionModel.js';
import { noSlippage } from '${src}/broker/sim/SlippageModel.js';
import { runBacktest } from '${src}/backtest/runBacktest.js';
import { loadCsvBars } from '${src}/market-data/loadCsvBars.js';
import { loadStrategyModule } from '${src}/strategies/loadStrategyCatalog.js';

const file = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

describe('${type}', () => {
  it('loads as the daemon loads it, with its defaults', async () => {
    const strategy = await loadStrategyModule(file('./${type}.ts'));
    expect([strategy.type, strategy.params.parse({})]).toEqual(['${type}', { period: 20, qty: 10 }]);
  });

  it('backtests on the sample data: a buy at each cross above the average, a sell at each cross below', async () => {
    const strategy = await loadStrategyModule(file('./${type}.ts'));
    const bars = await loadCsvBars(file('${data}'), { symbol: 'AAPL' });
    const result = runBacktest({
      strategies: [{ id: '${type}', type: '${type}', symbols: ['AAPL'], capital: 100_000, params: { period: 20, qty: 10 } }],
      bars,
      startingCash: 100_000,
      slippage: noSlippage,
      commission: noCommission,
      maxPositionPct: 1,
      logger: pino({ level: 'silent' }),
      stopwatch: () => performance.now(),
      createStrategy: (spec) => strategy.create(spec.params, spec.symbols),
    });

    // By hand: the 20-bar average of the close; a cross is a close on the other side of it than the
    // bar before. An order decided at a bar's close fills at the next bar's open (none after the last bar).
    const expected: Array<{ side: string; signalTime: string; qty: number; price: number }> = [];
    let held = 0;
    let before: boolean | null = null;
    for (let i = 19; i < bars.length - 1; i++) {
      const average = bars.slice(i - 19, i + 1).reduce((sum, b) => sum + b.close, 0) / 20;
      const above = bars[i]!.close > average;
      const cross = before !== null && before !== above;
      before = above;
      if (!cross || above === (held > 0)) continue;
      held = above ? 10 : 0;
      expected.push({ side: above ? 'buy' : 'sell', signalTime: new Date(bars[i]!.time).toISOString(), qty: 10, price: bars[i + 1]!.open });
    }
    expect(expected.length).toBeGreaterThan(4);
    expect(result.fills.map((f) => ({ side: f.side, signalTime: f.signalTime, qty: f.qty, price: f.price }))).toEqual(expected);
  });
});
`;
  return { module, test };
}
