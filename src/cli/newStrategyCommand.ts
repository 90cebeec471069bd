import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { CliError } from '../core/errors.js';
import { builtInStrategies } from '../strategies/builtInStrategies.js';
import { daemonRoot } from '../strategies/daemonRoot.js';
import { TYPE_NAME } from '../strategies/user/findUserModules.js';
import { strategyScaffold } from '../strategies/user/strategyScaffold.js';
import { commandSpecs } from './commandSpecs.js';
import { parseArgsWithPositionals } from './parseArgs.js';

/** A path as an import specifier: forward slashes, `./` in front when it does not climb. */
function specifier(from: string, to: string): string {
  const path = relative(from, to).split(sep).join('/');
  return path.startsWith('.') ? path : `./${path}`;
}

/**
 * `npm run new-strategy -- NAME` (options: commandSpecs['new-strategy']): writes DIR/NAME.ts, a
 * commented strategy to start from, and DIR/NAME.test.ts, its backtest on the sample data; both
 * pass `npm test` as written. Never overwrites a file.
 */
export async function runNewStrategyCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgsWithPositionals(args, commandSpecs['new-strategy']);
  if (positionals.length !== 1) throw new CliError(`new-strategy: give one NAME, e.g. npm run new-strategy -- my_breakout${positionals.length > 1 ? ` (got ${positionals.length} words)` : ''}`);
  const type = positionals[0]!;
  if (!TYPE_NAME.test(type)) throw new CliError(`new-strategy: "${type}" cannot name a strategy type: use 1–40 lower-case letters, digits or _, starting with a letter, e.g. my_breakout`);
  if (Object.hasOwn(builtInStrategies, type)) throw new CliError(`new-strategy: "${type}" is a built-in strategy type: choose another name`);
  const dir = values.dir;
  const module = join(dir, `${type}.ts`);
  const test = join(dir, `${type}.test.ts`);
  for (const f of [module, test]) if (existsSync(f)) throw new CliError(`new-strategy: ${f} exists already: choose another name, or remove it`);
  const root = daemonRoot();
  mkdirSync(dir, { recursive: true });
  const scaffold = strategyScaffold(type, specifier(dir, join(root, 'src')), specifier(dir, join(root, 'data', 'eqker', 'AAPL_daily.csv')));
  writeFileSync(module, scaffold.module, { flag: 'wx' });
  writeFileSync(test, scaffold.test, { flag: 'wx' });
  process.stdout.write(
    [
      `wrote ${module}: the strategy "${type}" (edit its rule in onBar and its parameters in params)`,
      `wrote ${test}: its backtest on the sample data (npm test runs it)`,
      '',
      'next:',
      `  npm run backtest -- --data data/eqker/AAPL_daily.csv --strategy ${type}${dir === 'strategies' ? '' : ` --strategies-dir ${dir}`}`,
      `  npx vitest run ${test}`,
      `  in a configuration: { "id": "${type}_1", "type": "${type}", "symbols": ["AAPL"], "capital_allocation": 10000, "params": { "period": 20, "qty": 10 } }`,
      '',
    ].join('\n'),
  );
  return 0;
}
