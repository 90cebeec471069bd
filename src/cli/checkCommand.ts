import type { DaemonConfig } from '../config/configSchema.js';
import { accessSync, constants, existsSync } from 'node:fs';
import { ensureOwnedDirectory } from '../persistence/ensureOwnedDirectory.js';
import { alpacaEndpoints } from '../broker/alpaca/alpacaClient.js';
import { checkAlpacaAccount } from '../broker/alpaca/checkAlpacaAccount.js';
import { parseEnv, readDotEnv, type DaemonEnv } from '../config/env.js';
import { simDataFile } from '../market-data/simDataFiles.js';
import { StrategyOrigin } from '../strategies/StrategyCatalog.js';
import { loadConfigWithStrategies } from './loadConfigWithStrategies.js';
import { commandSpecs } from './commandSpecs.js';
import { parseArgs } from './parseArgs.js';

interface Check {
  readonly name: string;
  run(): string | Promise<string>;
  /** What to do when it fails. */
  readonly hint?: string;
}

/**
 * `npm run check`: what the seed's check_installation did, for this daemon: Node version, the
 * dependencies load, the configuration and .env are valid, the sample data is there, the log and
 * state directories are writable. Prints one line per check; exits 1 if any fails.
 */
export async function runCheckCommand(args: string[], processEnv: NodeJS.ProcessEnv): Promise<number> {
  const v = parseArgs(args, commandSpecs.check);
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
  let configFile: DaemonConfig | null = null;
  let daemonEnv: DaemonEnv | null = null;
  const checks: Check[] = [
    {
      name: 'Node.js ≥ 20.19',
      hint: 'install Node.js 20.19 or later (nodejs.org, or your package manager)',
      run: () => {
        const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
        if (major < 20 || (major === 20 && minor < 19)) throw new Error(`found ${process.versions.node}`);
        return process.versions.node;
      },
    },
    {
      name: 'dependencies load',
      hint: 'run npm install',
      run: () => {
        const failed = [...loaded].filter(([, e]) => e !== null);
        if (failed.length > 0) throw new Error(failed.map(([d, e]) => `${d}: ${e}`).join('; '));
        return deps.join(', ');
      },
    },
    {
      name: `configuration ${v.config}`,
      hint: 'fix the field or the file named (README: Configuration; your own strategies: docs/strategies.md)',
      run: async () => {
        const loaded = await loadConfigWithStrategies(v.config);
        configFile = loaded.config;
        const enabled = configFile.strategies.filter((s) => s.enabled);
        const own = loaded.strategies.list(StrategyOrigin.User).map((t) => t.file);
        const folder = own.length === 0 ? '' : `; your strategies: ${own.join(', ')}`;
        return `${enabled.length} enabled strategies: ${enabled.map((s) => `${s.id} (${s.type})`).join(', ')}${folder}`;
      },
    },
    {
      name: '.env',
      hint: 'fix each variable named (see .env.example)',
      run: () => {
        const env = parseEnv({ ...readDotEnv('.env'), ...processEnv });
        daemonEnv = env;
        const alpaca = env.alpaca === null ? 'no Alpaca keys: npm start runs offline (sim)' : `Alpaca keys set (${env.alpaca.baseUrl})`;
        const telegram = env.telegram === null ? 'no Telegram bot: alerts go to the log' : 'Telegram bot configured';
        return `${existsSync('.env') ? 'found' : 'absent (optional)'}; ${alpaca}; ${telegram}`;
      },
    },
    {
      name: 'Alpaca account',
      hint: 'check ALPACA_API_KEY / ALPACA_SECRET_KEY / ALPACA_BASE_URL in .env and the account on app.alpaca.markets',
      run: async () => {
        const alpaca = daemonEnv?.alpaca ?? null;
        if (alpaca === null) return 'skipped: no Alpaca keys (offline mode)';
        const a = await checkAlpacaAccount(alpacaEndpoints(alpaca, { timeoutMs: 10_000 }).client, alpaca);
        return `${a.accountNumber} ${a.status} at ${alpaca.baseUrl}${alpaca.live ? ' (LIVE: real money)' : ' (paper)'}: equity $${a.equity.toFixed(2)}, buying power $${a.buyingPower.toFixed(2)}`;
      },
    },
    {
      name: 'Alpaca market clock',
      hint: 'the trading API must answer GET /v2/clock',
      run: async () => {
        const alpaca = daemonEnv?.alpaca ?? null;
        if (alpaca === null) return 'skipped: no Alpaca keys (offline mode)';
        const c = await alpacaEndpoints(alpaca, { timeoutMs: 10_000 }).client.trading.clock.legacyClock();
        return c.isOpen ? `market open until ${c.nextClose.toISOString()}` : `market closed; next open ${c.nextOpen.toISOString()}`;
      },
    },
    {
      name: 'Telegram bot',
      hint: 'check TELEGRAM_BOT_TOKEN (from @BotFather) and TELEGRAM_API_ROOT in .env',
      run: async () => {
        const t = daemonEnv?.telegram ?? null;
        if (t === null) return 'skipped: no Telegram bot (alerts go to the log)';
        let res: Response;
        try {
          res = await fetch(`${t.apiRoot}/bot${t.botToken}/getMe`, { signal: AbortSignal.timeout(10_000) });
        } catch (error) {
          throw new Error(`cannot reach ${t.apiRoot}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
        }
        const body = (await res.json().catch(() => null)) as { ok?: boolean; result?: { username?: string }; description?: string } | null;
        // Never echo the token, even in an error.
        if (body?.ok !== true) throw new Error(`${t.apiRoot} refused the token (${res.status}${body?.description === undefined ? '' : ` ${body.description}`})`);
        const bot = `@${body.result?.username ?? '?'}`;
        // A bot may write only to a chat that wrote to it first (or a group it was added to); Telegram knows no other.
        const chatRes = await fetch(`${t.apiRoot}/bot${t.botToken}/getChat?chat_id=${encodeURIComponent(t.chatId)}`, { signal: AbortSignal.timeout(10_000) });
        const chat = (await chatRes.json().catch(() => null)) as { ok?: boolean; description?: string } | null;
        if (chat?.ok !== true) {
          throw new Error(`${bot} cannot write to chat ${t.chatId} (${chatRes.status}${chat?.description === undefined ? '' : ` ${chat.description}`}): send the bot a message from that chat first (a group: add the bot to it), and check TELEGRAM_CHAT_ID`);
        }
        return `${bot} will write to chat ${t.chatId}`;
      },
    },
    {
      name: 'sample data for offline mode',
      hint: 'point sim.data_dir at a folder of <SYMBOL>_<timeframe>.csv files (data/eqker ships with the project)',
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
      hint: 'make them writable, or change logging.dir / state.dir',
      run: () => {
        if (configFile === null) throw new Error('needs a valid configuration');
        const dirs = [configFile.logging.dir, configFile.state.dir];
        for (const d of dirs) {
          ensureOwnedDirectory(d, d === configFile.logging.dir ? 'logging.dir' : 'state.dir');
          accessSync(d, constants.W_OK);
        }
        return dirs.join(', ');
      },
    },
  ];
  let failures = 0;
  for (const c of checks) {
    try {
      process.stdout.write(`✓ ${c.name}: ${await c.run()}\n`);
    } catch (error) {
      failures++;
      // A check that found several problems (a configuration, .env) lists them one per line, indented under it.
      const message = (error instanceof Error ? error.message : String(error)).replaceAll('\n', '\n    ');
      process.stdout.write(`✗ ${c.name}: ${message}${c.hint === undefined ? '' : ` (hint: ${c.hint})`}\n`);
    }
  }
  process.stdout.write(failures === 0 ? 'All checks passed.\n' : `${failures} check(s) failed.\n`);
  return failures === 0 ? 0 : 1;
}
