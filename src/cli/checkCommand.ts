import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { parseEnv, readDotEnv } from '../config/env.js';
import { loadConfig } from '../config/loadConfig.js';
import { simDataFile } from '../market-data/simDataFiles.js';
import { strategyParamSchemas } from '../strategies/builtInStrategies.js';
import { parseArgs } from './parseArgs.js';

interface Check {
  readonly name: string;
  run(): string;
}

/**
 * `npm run check`: what the seed's check_installation did, for this daemon: Node version, the
 * dependencies load, the configuration and .env are valid, the sample data is there, the log and
 * state directories are writable. Prints one line per check; exits 1 if any fails.
 */
export async function runCheckCommand(args: string[], processEnv: NodeJS.ProcessEnv): Promise<number> {
  const v = parseArgs(args, { config: { type: 'string', default: 'config/paper-trading.json' } }, 'check');
  const deps = ['zod', 'pino', 'pino-pretty', 'dotenv', 'trading-signals', 'ws', '@msgpack/msgpack'];
  const loaded = new Map<string, string | null>();
  for (const d of deps) {
    try {
      await import(d);
      loaded.set(d, null);
    } catch (error) {
      loaded.set(d, error instanceof Error ? error.message : String(error));
    }
  }
  let configFile: ReturnType<typeof loadConfig> | null = null;
  const checks: Check[] = [
    {
      name: 'Node.js ≥ 20.19',
      run: () => {
        const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
        if (major < 20 || (major === 20 && minor < 19)) throw new Error(`found ${process.versions.node}`);
        return process.versions.node;
      },
    },
    {
      name: 'dependencies load',
      run: () => {
        const failed = [...loaded].filter(([, e]) => e !== null);
        if (failed.length > 0) throw new Error(failed.map(([d, e]) => `${d}: ${e}`).join('; '));
        return deps.join(', ');
      },
    },
    {
      name: `configuration ${v.config}`,
      run: () => {
        configFile = loadConfig(v.config, { strategyParams: strategyParamSchemas() });
        const enabled = configFile.strategies.filter((s) => s.enabled);
        return `${enabled.length} enabled strategies: ${enabled.map((s) => `${s.id} (${s.type})`).join(', ')}`;
      },
    },
    {
      name: '.env',
      run: () => {
        const env = parseEnv({ ...readDotEnv('.env'), ...processEnv });
        const alpaca = env.alpaca === null ? 'no Alpaca keys: npm start runs offline (sim)' : `Alpaca keys set (${env.alpaca.baseUrl})`;
        const telegram = env.telegram === null ? 'no Telegram bot: alerts go to the log' : 'Telegram bot configured';
        return `${existsSync('.env') ? 'found' : 'absent (optional)'}; ${alpaca}; ${telegram}`;
      },
    },
    {
      name: 'sample data for offline mode',
      run: () => {
        if (configFile === null) throw new Error('needs a valid configuration');
        const c = configFile;
        const symbols = [...new Set(c.strategies.filter((s) => s.enabled).flatMap((s) => s.symbols))];
        for (const s of symbols) simDataFile(c.sim.data_dir, s, c.data.timeframe);
        return `${symbols.length} symbols at ${c.data.timeframe.label} in ${c.sim.data_dir}`;
      },
    },
    {
      name: 'log and state directories writable',
      run: () => {
        if (configFile === null) throw new Error('needs a valid configuration');
        const dirs = [configFile.logging.dir, configFile.state.dir];
        for (const d of dirs) {
          mkdirSync(d, { recursive: true });
          accessSync(d, constants.W_OK);
        }
        return dirs.join(', ');
      },
    },
  ];
  let failures = 0;
  for (const c of checks) {
    try {
      process.stdout.write(`✓ ${c.name}: ${c.run()}\n`);
    } catch (error) {
      failures++;
      process.stdout.write(`✗ ${c.name}: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
  process.stdout.write(failures === 0 ? 'All checks passed.\n' : `${failures} check(s) failed.\n`);
  return failures === 0 ? 0 : 1;
}
