import { existsSync } from 'node:fs';
import { pino } from 'pino';
import pretty from 'pino-pretty';
import { z } from 'zod';
import { LiveClock } from '../core/LiveClock.js';
import { CliError } from '../core/errors.js';
import { AlpacaEmulator } from '../emulator/AlpacaEmulator.js';
import { emulatorDefaults } from '../emulator/EmulatorOptions.js';
import { faultSchema, type Fault } from '../emulator/faults/Fault.js';
import { BarLabel } from '../emulator/market/loadMarketSeries.js';
import { newYorkTime } from '../emulator/wire/decimal.js';
import { redactPaths } from '../logging/createLogger.js';
import { numberFlag, parseArgs } from './parseArgs.js';

/** Keys the emulator accepts unless told others: placeholders, obviously not Alpaca's. */
const DEFAULT_KEY = 'PKEMULATOR0000000001';
const DEFAULT_SECRET = 'emulator-secret-not-a-real-key';

const usage = `usage: npm run emulator -- [--port N] [--data DIR] [--speed N] [--start ISO] [--paused] [--skip-closed]
       [--seed N] [--cash N] [--key K --secret S (or EMULATOR_KEY/EMULATOR_SECRET)] [--rate-limit N] [--partial-fill-rate X]
       [--bar-label auto|start|end] [--extended-hours data|synthetic] [--fault JSON]…`;

function parseFault(text: string): Fault {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new CliError(`--fault: not JSON: ${text}`);
  }
  const r = faultSchema.safeParse(raw);
  if (!r.success) throw new CliError(`--fault ${text}: ${r.error.issues.map((i) => `${i.path.join('.') || 'fault'}: ${i.message}`).join('; ')}`);
  return r.data;
}

/**
 * `npm run emulator`: a local Alpaca (trading API, market data, both streams) replaying CSV bars,
 * for rehearsals without an account and for fault drills. Prints its URLs and the `.env` lines that
 * point the daemon at it, then runs until Ctrl-C.
 */
export async function runEmulatorCommand(args: string[], env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<number> {
  const v = parseArgs(
    args,
    {
      port: { type: 'string' },
      host: { type: 'string' },
      data: { type: 'string' },
      speed: { type: 'string' },
      start: { type: 'string' },
      paused: { type: 'boolean' },
      'skip-closed': { type: 'boolean' },
      seed: { type: 'string' },
      cash: { type: 'string' },
      key: { type: 'string' },
      secret: { type: 'string' },
      'rate-limit': { type: 'string' },
      'partial-fill-rate': { type: 'string' },
      'bar-label': { type: 'string' },
      'extended-hours': { type: 'string' },
      fault: { type: 'string', multiple: true },
      help: { type: 'boolean' },
    },
    'emulator',
  );
  if (v.help === true) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const port = numberFlag(v.port, 'port', emulatorDefaults.port, (n) => Number.isInteger(n) && n >= 0 && n <= 65_535);
  const seed = numberFlag(v.seed, 'seed', emulatorDefaults.seed, Number.isInteger);
  const speed = numberFlag(v.speed, 'speed', emulatorDefaults.speed, (n) => n > 0 && n <= 1_000_000);
  const startingCash = numberFlag(v.cash, 'cash', emulatorDefaults.startingCash, (n) => n >= 0);
  const rateLimit = numberFlag(v['rate-limit'], 'rate-limit', emulatorDefaults.rateLimit, (n) => Number.isInteger(n) && n > 0);
  const partialFillRate = numberFlag(v['partial-fill-rate'], 'partial-fill-rate', emulatorDefaults.partialFillRate, (n) => n >= 0 && n <= 1);
  const faults = (v.fault ?? []).map(parseFault);
  const host = v.host ?? emulatorDefaults.host;
  if (!/^(127\.\d+\.\d+\.\d+|localhost|::1)$/.test(host)) throw new CliError(`--host: the emulator listens on loopback only (no TLS, keyless admin routes); got ${host}`);
  const label = v['bar-label'] ?? BarLabel.Auto;
  if (!(Object.values(BarLabel) as string[]).includes(label)) throw new CliError(`--bar-label: one of auto, start, end (got "${label}")`);
  const extendedHours = v['extended-hours'] ?? 'data';
  if (extendedHours !== 'data' && extendedHours !== 'synthetic') throw new CliError(`--extended-hours: data (replay what the data has) or synthetic (make thin pre-/after-market minutes up where it has none); got "${extendedHours}"`);
  let start: number | undefined;
  if (v.start !== undefined) {
    if (!z.iso.datetime({ offset: true }).safeParse(v.start).success) throw new CliError(`--start: an ISO time with offset, e.g. 2019-02-11T09:25:00-05:00 (got "${v.start}")`);
    start = Date.parse(v.start);
  }
  // The secret may come from the environment (EMULATOR_SECRET), so it is not in `ps` output.
  const secret = v.secret ?? env['EMULATOR_SECRET'];
  const key = v.key ?? env['EMULATOR_KEY'];
  if ((key === undefined) !== (secret === undefined)) throw new CliError('--key and --secret (or EMULATOR_KEY and EMULATOR_SECRET) go together');
  const credentials = { key: key ?? DEFAULT_KEY, secret: secret ?? DEFAULT_SECRET };
  const dataDir = v.data ?? 'data/eqker';
  if (!existsSync(dataDir)) throw new CliError(`--data: no folder ${dataDir}`);

  const logger = pino(
    { level: 'info', base: null, redact: { paths: redactPaths, censor: '[redacted]' } },
    pretty({ destination: 2, sync: true, colorize: process.stderr.isTTY === true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,component', singleLine: true }),
  );
  const emulator = await AlpacaEmulator.create({
    ...emulatorDefaults,
    host,
    port,
    dataDir,
    barLabel: label as BarLabel,
    seed,
    speed,
    ...(start === undefined ? {} : { start }),
    paused: v.paused === true,
    skipClosed: v['skip-closed'] === true,
    extendedHours,
    credentials,
    startingCash,
    rateLimit,
    partialFillRate,
    faults,
    wall: new LiveClock(),
    logger,
  });
  const urls = await emulator.start();
  const s = emulator.status();
  process.stdout.write(
    [
      `Alpaca emulator: replaying ${dataDir} (${String(s['symbols'])} symbols${extendedHours === 'synthetic' ? ', synthetic extended hours' : ''}) from ${newYorkTime(emulator.startTime)} at ${emulator.clock.speed}x${emulator.clock.paused ? ', paused' : ''}`,
      `  trading API    ${urls.baseUrl}/v2`,
      `  market data    ${urls.dataUrl}/v2/stocks`,
      `  trade updates  ${urls.tradeStreamUrl}`,
      `  data stream    ${urls.dataStreamUrl}/v2/iex`,
      `  admin          ${urls.adminUrl}/status`,
      '',
      '# .env lines that point the daemon at this emulator:',
      `ALPACA_API_KEY=${credentials.key}`,
      `ALPACA_SECRET_KEY=${credentials.secret}`,
      `ALPACA_BASE_URL=${urls.baseUrl}`,
      `ALPACA_DATA_URL=${urls.dataUrl}`,
      `ALPACA_DATA_STREAM_URL=${urls.dataStreamUrl}`,
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    const done = (): void => resolve();
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
    signal?.addEventListener('abort', done);
  });
  await emulator.stop();
  logger.info('emulator stopped');
  return 0;
}
