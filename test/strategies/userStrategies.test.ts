import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { noCommission } from '../../src/broker/sim/CommissionModel.js';
import { noSlippage } from '../../src/broker/sim/SlippageModel.js';
import { runBacktest } from '../../src/backtest/runBacktest.js';
import { parseConfig } from '../../src/config/loadConfig.js';
import { ConfigError, StrategyModuleError } from '../../src/core/errors.js';
import { loadCsvBars } from '../../src/market-data/loadCsvBars.js';
import { loadStrategyCatalog } from '../../src/strategies/loadStrategyCatalog.js';
import { StrategyOrigin } from '../../src/strategies/StrategyCatalog.js';
import { strategySourceHash } from '../../src/strategies/strategySourceHash.js';
import { BUY_SECOND_JS, MY_CROSS, SRC, strategiesFolder } from './userStrategyFiles.js';

const sha256 = (text: string | Buffer): string => createHash('sha256').update(text).digest('hex');
const load = (folder: string) => loadStrategyCatalog({ folder, required: true });

async function problemOf(files: Record<string, string>): Promise<{ folder: string; message: string }> {
  const folder = strategiesFolder(files);
  try {
    await load(folder);
  } catch (error) {
    expect(error).toBeInstanceOf(StrategyModuleError);
    return { folder, message: (error as Error).message };
  }
  throw new Error('expected the folder to be refused');
}

const good = (body = ''): string => `import { z } from 'zod';
import { Strategy } from '${SRC}/strategies/api.js';
export const params = z.strictObject({ qty: z.number().default(1) });
export default class Good extends Strategy<z.infer<typeof params>> {
  override onBar(): void {}
}
${body}`;

describe('strategies of your own (the strategies folder)', () => {
  it('loads TypeScript and JavaScript modules beside the built-ins, named after their files; helpers are not types', async () => {
    const folder = strategiesFolder({
      'my_cross.ts': MY_CROSS,
      'buy_second.mjs': BUY_SECOND_JS,
      '_helper.ts': 'export const x = 1;\n',
      'lib/more.ts': 'export const y = 2;\n',
      'my_cross.test.ts': 'this is not compiled',
      'notes.md': '# not a module',
    });
    const catalog = await load(folder);
    expect(catalog.names()).toEqual(['bollinger_reversion', 'buy_second', 'donchian_breakout', 'macd_trend', 'my_cross', 'rs_rotation', 'rsi_reversion', 'sma_cross']);
    expect(catalog.list(StrategyOrigin.User).map((t) => [t.type, t.file, t.description])).toEqual([
      ['buy_second', join(folder, 'buy_second.mjs'), 'buys on the second live bar, sells hold bars later'],
      ['my_cross', join(folder, 'my_cross.ts'), `MyCross (${join(folder, 'my_cross.ts')})`],
    ]);
    // A configuration names them as it names the built-ins; their params are checked by their schema.
    const config = (type: string, params: object): string => JSON.stringify({ strategies: [{ id: 'a', type, symbols: ['SPY'], capital_allocation: 1000, params }] });
    expect(parseConfig(config('buy_second', { qty: 3 }), 'c.json', { strategyParams: catalog.paramSchemas() }).strategies[0]!.params).toEqual({ qty: 3, hold: 2 });
    expect(() => parseConfig(config('buy_second', { qty: 0 }), 'c.json', { strategyParams: catalog.paramSchemas() })).toThrow('c.json: strategies[0].params.qty: Too small: expected number to be >0');
    expect(() => parseConfig(config('buy_secnd', {}), 'c.json', { strategyParams: catalog.paramSchemas() })).toThrow(
      'c.json: strategies[0].type: unknown strategy type "buy_secnd" (known: bollinger_reversion, buy_second, donchian_breakout, macd_trend, my_cross, rs_rotation, rsi_reversion, sma_cross)',
    );
  });

  it('runs a user module exactly as the built-in it copies: the same fills, bar for bar', async () => {
    const catalog = await load(strategiesFolder({ 'my_cross.ts': MY_CROSS }));
    const bars = await loadCsvBars(join(SRC, '..', 'data', 'eqker', 'SPY_daily.csv'), { symbol: 'SPY' });
    const run = (type: string) =>
      runBacktest({
        strategies: [{ id: 's', type, symbols: ['SPY'], capital: 100_000, params: { fast: 5, slow: 20, qty: 10 } }],
        bars,
        startingCash: 100_000,
        slippage: noSlippage,
        commission: noCommission,
        maxPositionPct: 1,
        logger: pino({ level: 'silent' }),
        stopwatch: () => 0,
        createStrategy: (spec) => catalog.create(spec),
      });
    const builtIn = run('sma_cross');
    const mine = run('my_cross');
    expect(builtIn.fills.length).toBeGreaterThan(6);
    expect(mine.fills).toEqual(builtIn.fills);
    expect(mine.finalValue).toBe(builtIn.finalValue);
  });

  it('backtests a JavaScript module to the hand-computed fills: a buy at the third bar’s open, a sell two bars later', async () => {
    const catalog = await load(strategiesFolder({ 'buy_second.js': BUY_SECOND_JS }));
    const bars = await loadCsvBars(join(SRC, '..', 'data', 'eqker', 'AAPL_daily.csv'), { symbol: 'AAPL' });
    const result = runBacktest({
      strategies: [{ id: 'b', type: 'buy_second', symbols: ['AAPL'], capital: 100_000, params: { qty: 7 } }],
      bars,
      startingCash: 100_000,
      slippage: noSlippage,
      commission: noCommission,
      maxPositionPct: 1,
      logger: pino({ level: 'silent' }),
      stopwatch: () => 0,
      createStrategy: (spec) => catalog.create(spec),
    });
    const iso = (i: number): string => new Date(bars[i]!.time).toISOString();
    // Decided at the close of bar 1 (the second), filled at bar 2's open; sold at bar 3's close + 1.
    expect(result.fills.map((f) => [f.side, f.qty, f.signalTime, f.fillTime, f.price])).toEqual([
      ['buy', 7, iso(1), iso(2), bars[2]!.open],
      ['sell', 7, iso(3), iso(4), bars[4]!.open],
    ]);
  });

  it('fingerprints a module by the sha256 of its file, and of its helpers too when it imports some', async () => {
    const helper = "export const threshold = 3;\n";
    const withHelper = `${good()}import { threshold } from './_rules.js';\nexport const description = 'uses ' + threshold;\n`;
    const folder = strategiesFolder({ 'alone.ts': good(), 'helped.ts': withHelper, '_rules.ts': helper });
    const catalog = await load(folder);
    expect(strategySourceHash(catalog, 'alone')).toBe(sha256(good()));
    const lines = [`${sha256(helper)}  _rules.ts\n`, `${sha256(withHelper)}  helped.ts\n`].join('');
    expect(strategySourceHash(catalog, 'helped')).toBe(sha256(lines));
    // Editing the helper changes the module's fingerprint.
    writeFileSync(join(folder, '_rules.ts'), 'export const threshold = 4;\n');
    expect(strategySourceHash(await load(folder), 'helped')).not.toBe(sha256(lines));
    // A built-in's: the sha256 of its source file.
    expect(strategySourceHash(catalog, 'sma_cross')).toBe(sha256(readFileSync(join(SRC, 'strategies', 'MovingAverageCrossover.ts'))));
  });

  it('refuses each bad module with one line naming the file and what is wrong', async () => {
    const cases: Array<[Record<string, string>, (folder: string) => string]> = [
      [{ 'no_params.ts': good().replace('export const params', 'const params') }, (f) => `${f}/no_params.ts: no export "params": export the zod schema of its parameters (export const params = z.strictObject({ … }))`],
      [{ 'not_zod.ts': good().replace("export const params = z.strictObject({ qty: z.number().default(1) });", 'export const params = { qty: 1 };\nconst z = { infer: 0 };') }, (f) => `${f}/not_zod.ts: export "params" is not a zod schema (it is an object): export const params = z.strictObject({ … })`],
      [{ 'string_params.ts': good().replace('z.strictObject({ qty: z.number().default(1) })', 'z.string()') }, (f) => `${f}/string_params.ts: export "params" must be a zod object schema (z.object / z.strictObject: a configuration's params are an object), not a zod string`],
      [{ 'no_class.ts': good().replace('export default class', 'class') }, (f) => `${f}/no_class.ts: no strategy class exported: export default class MyStrategy extends Strategy<z.infer<typeof params>> { … } (Strategy from '../src/strategies/api.js')`],
      [{ 'not_class.ts': `${good().replace('export default class', 'class')}export default 42;\n` }, (f) => `${f}/not_class.ts: the default export is not a class (it is a number): export default class MyStrategy extends Strategy<z.infer<typeof params>> { … } (Strategy from '../src/strategies/api.js')`],
      [{ 'no_base.ts': "import { z } from 'zod';\nexport const params = z.object({});\nexport default class NoBase { onBar(): void {} }\n" }, (f) => `${f}/no_base.ts: class NoBase has no onFill, onOrderRejected: extend Strategy from src/strategies/api.ts and implement onBar(bar, ctx)`],
      [{ 'sma_cross.ts': good() }, (f) => `${f}/sma_cross.ts: "sma_cross" is a built-in strategy type: rename the file (its name is the type the configuration names)`],
      [{ 'broken.ts': "import { z } from 'zod';\nexport const params = z.object({ a: 1 ;\n" }, (f) => `${f}/broken.ts:2:39: cannot compile: Expected "}" but found ";"`],
      [{ 'throws.ts': `${good()}throw new Error('no data file');\n` }, (f) => `${f}/throws.ts: loading it failed: no data file`],
      [{ 'missing_pkg.ts': `import { x } from 'no-such-package-here';\n${good()}export const y = x;\n` }, (f) => `${f}/missing_pkg.ts:1:19: cannot compile: cannot find the package "no-such-package-here" (install it in ${join(SRC, '..')} with npm install)`],
      [{ 'My-Strategy.ts': good() }, (f) => `${f}/My-Strategy.ts: the file's name is the strategy type, and "My-Strategy" cannot be one: use 1–40 lower-case letters, digits or _, starting with a letter, e.g. my_breakout.ts (a helper module: start its name with _, or put it in a sub-folder)`],
      [{ 'twice.js': good().replace(/: void|<z\.infer<typeof params>>|override /g, ''), 'twice.ts': good() }, (f) => `${f}/twice.ts: ${f}/twice.js defines the strategy type "twice" too: keep one of them`],
      [{ 'bad_description.ts': `${good()}export const description = 7;\n` }, (f) => `${f}/bad_description.ts: export "description" must be a string (one line saying what the strategy does)`],
    ];
    for (const [files, expected] of cases) {
      const { folder, message } = await problemOf(files);
      expect(message).toBe(expected(folder));
    }
    // Every problem of the folder at once, one line each.
    const { folder, message } = await problemOf({ 'a_ok.ts': good(), 'sma_cross.ts': good(), 'throws.ts': `${good()}throw new Error('boom');\n` });
    expect(message.split('\n')).toEqual([
      `${folder}/sma_cross.ts: "sma_cross" is a built-in strategy type: rename the file (its name is the type the configuration names)`,
      `${folder}/throws.ts: loading it failed: boom`,
    ]);
  });

  it('a constructor that throws is one line naming the module (a ConfigError: exit 2), not a stack trace', async () => {
    const folder = strategiesFolder({ 'picky.ts': good().replace('override onBar(): void {}', "constructor(p: z.infer<typeof params>, symbols: readonly string[]) {\n    super(p);\n    if (symbols.length > 1) throw new Error('trades one symbol only');\n  }\n  override onBar(): void {}") });
    const catalog = await load(folder);
    expect(catalog.create({ type: 'picky', params: {}, symbols: ['SPY'] }).params).toEqual({ qty: 1 });
    expect(() => catalog.create({ type: 'picky', params: {}, symbols: ['SPY', 'QQQ'] })).toThrow(new ConfigError(`${folder}/picky.ts: building the strategy failed: trades one symbol only`));
  });

  it('a configuration naming a folder that is not there is refused; the default folder may be absent', async () => {
    await expect(loadStrategyCatalog({ folder: '/nonexistent/strategies', required: true })).rejects.toThrow(
      'strategies_dir: no such folder /nonexistent/strategies (the folder of your own strategy modules; leave it out for the default, strategies/)',
    );
    expect((await loadStrategyCatalog({ folder: '/nonexistent/strategies', required: false })).names()).toHaveLength(6);
  });
});
