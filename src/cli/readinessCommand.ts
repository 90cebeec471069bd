import { pino } from 'pino';
import { parseEnv, readDotEnv } from '../config/env.js';
import { CliError } from '../core/errors.js';
import { formatReadiness } from '../readiness/formatReadiness.js';
import { readinessOf } from '../readiness/readinessOf.js';
import { commandSpecs } from './commandSpecs.js';
import { loadConfigWithStrategies } from './loadConfigWithStrategies.js';
import { parseArgs } from './parseArgs.js';

/**
 * `npm run readiness` (options: commandSpecs.readiness): the live checklist per strategy,
 * judged on the paper record (docs/readiness.md). Exit 0 when every strategy listed is ready, 1 when
 * one is not, 2 for bad input.
 */
export async function runReadinessCommand(args: string[], processEnv: NodeJS.ProcessEnv): Promise<number> {
  const v = parseArgs(args, commandSpecs.readiness);
  // The drift check backtests each strategy: your own modules are loaded as the daemon loads them.
  const { config, strategies } = await loadConfigWithStrategies(v.config);
  const enabled = config.strategies.filter((s) => s.enabled).map((s) => s.id);
  for (const id of v.strategy ?? []) {
    if (!enabled.includes(id)) throw new CliError(`--strategy: ${id} is not an enabled strategy of ${v.config} (${enabled.join(', ')})`);
  }
  const env = parseEnv({ ...readDotEnv('.env'), ...processEnv });
  const report = await readinessOf(config, {
    env,
    ...(v.strategy === undefined ? {} : { strategyIds: v.strategy }),
    now: Date.now(),
    logger: pino({ level: 'silent' }),
    strategies,
  });
  process.stdout.write(v.json === true ? `${JSON.stringify(report, null, 2)}\n` : formatReadiness(report));
  return report.ready ? 0 : 1;
}
