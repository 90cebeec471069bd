import { emulatorDefaults } from '../emulator/EmulatorOptions.js';
import type { CommandSpec } from './CommandSpec.js';

const DEFAULT_CONFIG = 'config/paper-trading.json';

const config = { type: 'string', value: 'FILE', default: DEFAULT_CONFIG, help: 'the configuration' } as const;

/**
 * The command line's contract (design.md, README *Commands*): every command, its options and what
 * `--help` says of them. The commands parse their arguments with these very objects.
 */
export const commandSpecs = {
  start: {
    name: 'start',
    summary: 'Runs the daemon: on Alpaca when ALPACA_API_KEY / ALPACA_SECRET_KEY are set (.env), else offline on the sample data.',
    invocation: 'npm start --',
    options: {
      config,
      restore: { type: 'boolean', default: false, help: 'continue from the newest saved state (without it, earlier state files are moved to archive/)' },
      'allow-fresh': { type: 'boolean', default: false, help: 'with --restore: start fresh when there is no saved state yet (a first start under a service manager)' },
      verbose: { type: 'boolean', default: false, help: 'log at debug level' },
      duration: { type: 'string', value: 'SECONDS', help: 'stop gracefully after that many seconds of wall time (exit 0)' },
      mode: { type: 'string', value: 'sim|alpaca', help: 'sim: offline on the sample data; alpaca: on Alpaca (needs the keys). Default: alpaca when the keys are set, else sim' },
      live: {
        type: 'boolean',
        default: false,
        help: 'trade real money: ALPACA_BASE_URL must be https://api.alpaca.markets and the configuration must have a "live" section; only the strategies whose paper record passes the live checklist start (npm run readiness)',
      },
      'override-readiness': { type: 'string', value: 'REASON', help: 'with --live: start every enabled strategy although the live checklist says not ready; the reason is logged, alerted and kept in the state file' },
    },
    notes: ['Ctrl+C or SIGTERM stops it: the final state is written, exit 0 (a stop that takes over 5 s exits 1).'],
  },
  backtest: {
    name: 'backtest',
    summary: 'Runs one strategy over CSV bars, or every enabled strategy of a configuration, and prints a summary.',
    invocation: 'npm run backtest --',
    forms: ['--data FILE [--data FILE …] --strategy NAME [--params JSON] [options]', '--config FILE [--data-dir DIR] [--from DATE] [--to DATE] [options]'],
    options: {
      data: { type: 'string', multiple: true, value: 'FILE', help: 'a CSV of bars, SYMBOL_anything.csv (repeat for several symbols)' },
      strategy: { type: 'string', value: 'NAME', help: 'a built-in strategy (sma_cross, rsi_reversion, macd_trend, bollinger_reversion, donchian_breakout, rs_rotation) or your own: the module NAME.ts in the strategies folder' },
      'strategies-dir': { type: 'string', value: 'DIR', help: 'with --strategy: the folder of your own strategy modules (default: strategies)' },
      params: { type: 'string', value: 'JSON', help: `the strategy's parameters, e.g. '{"fast":10,"slow":30,"qty":10}'` },
      config: { type: 'string', value: 'FILE', help: 'run every enabled strategy of this configuration, with its capital, symbols and breakers' },
      'data-dir': { type: 'string', value: 'DIR', help: "with --config: the folder of SYMBOL_<timeframe>.csv files (default: the config's sim.data_dir)" },
      from: { type: 'string', value: 'YYYY-MM-DD', help: 'keep the New York dates from this one (inclusive)' },
      to: { type: 'string', value: 'YYYY-MM-DD', help: 'keep the New York dates up to this one (inclusive)' },
      'warm-up-days': { type: 'string', value: 'N', help: 'with --from: the N trading days before it warm the indicators up (no orders, no equity), as the daemon warms up on history' },
      cash: { type: 'string', value: 'N', help: "starting cash (default: 100000; with --config, the config's sim.starting_cash)" },
      tz: { type: 'string', value: 'ZONE', help: 'the time zone of CSV times without an offset (default: America/New_York)' },
      out: { type: 'string', value: 'FILE', help: 'also write the result as JSON' },
      report: { type: 'string', value: 'DIR', help: 'also write DIR/backtest.html' },
      'slippage-bps': { type: 'string', value: 'N', help: "slippage in basis points of the price (default: 0; with --config, the config's sim value)" },
      'slippage-range': { type: 'string', value: 'F', help: "slippage as a fraction of the bar's range, 0-1 (instead of --slippage-bps)" },
      'commission-per-share': { type: 'string', value: 'N', help: "commission in $ per share (default: 0, or the config's)" },
      'commission-per-order': { type: 'string', value: 'N', help: "commission in $ per order (default: 0, or the config's)" },
      'commission-min': { type: 'string', value: 'N', help: "smallest commission of an order in $ (default: 0, or the config's)" },
      'max-position-pct': { type: 'string', value: 'F', help: "largest position as a fraction of the strategy's equity (default: 0.25, or the config's risk.max_position_pct)" },
      'risk-free': { type: 'string', value: 'F', help: 'annual risk-free rate for the Sharpe ratio, e.g. 0.04 (default: 0)' },
      'bar-time': { type: 'string', value: 'start|end|auto', help: "how the files stamp their bars (default: auto, told from each file; with --config, the config's sim.bar_time)" },
      verbose: { type: 'boolean', help: 'log at debug level' },
    },
  },
  optimize: {
    name: 'optimize',
    summary: "Backtests every combination of a parameter grid for one strategy of a configuration, on every core (or on workers behind a Redis queue), ranked by a metric.",
    invocation: 'npm run optimize --',
    forms: ['--strategy ID --grid JSON [--config FILE] [--metric NAME] [--walk-forward TRAIN/TEST] [--out FILE] [--report DIR] [--workers N | --queue redis://HOST:PORT]'],
    options: {
      config,
      strategy: { type: 'string', value: 'ID', help: 'the id of the strategy in the configuration to tune (backtested as if it were the only one enabled)' },
      grid: { type: 'string', value: 'JSON', help: `the values to try per parameter, e.g. '{"fast":[5,10,20],"slow":[30,60,90]}' (other parameters: the config's)` },
      metric: { type: 'string', value: 'NAME', default: 'sharpe', help: 'rank by sharpe, sortino, return, cagr, drawdown (lowest first), profit_factor, expectancy or win_rate' },
      'walk-forward': { type: 'string', value: 'TRAIN/TEST', help: 'choose on TRAIN trading days, test on the next TEST days, roll on by TEST; report only the test days' },
      out: { type: 'string', value: 'FILE', help: 'also write the result as JSON' },
      report: { type: 'string', value: 'DIR', help: 'also write DIR/optimize.html (heatmap over two parameters, stability of the best region)' },
      workers: { type: 'string', value: 'N', help: 'worker threads (default: every core)' },
      queue: { type: 'string', value: 'redis://HOST:PORT', help: 'hand the backtests to `npm run worker` processes through this Redis (BullMQ) instead of local threads' },
      'data-dir': { type: 'string', value: 'DIR', help: "the folder of SYMBOL_<timeframe>.csv files (default: the config's sim.data_dir)" },
      from: { type: 'string', value: 'YYYY-MM-DD', help: 'keep the New York dates from this one (inclusive)' },
      to: { type: 'string', value: 'YYYY-MM-DD', help: 'keep the New York dates up to this one (inclusive)' },
      'risk-free': { type: 'string', value: 'F', help: 'annual risk-free rate for the Sharpe ratio, e.g. 0.04 (default: 0)' },
    },
    notes: ['Each combination is the backtest `npm run backtest -- --config` gives for a config with only that strategy enabled, with those parameters: the same fills.', 'Progress and the time left go to stderr; docs/optimize.md explains the report.'],
  },
  worker: {
    name: 'worker',
    summary: 'Takes backtests of `npm run optimize -- --queue` from a Redis queue and runs them on every core, until stopped.',
    invocation: 'npm run worker --',
    forms: ['--queue redis://HOST:PORT [--workers N]'],
    options: {
      queue: { type: 'string', value: 'redis://HOST:PORT', help: 'the Redis the optimizer hands its backtests to' },
      workers: { type: 'string', value: 'N', help: 'backtests at once, each on a thread (default: every core)' },
      'lock-ms': { type: 'string', value: 'MS', default: '30000', help: 'how long a backtest is held without a heartbeat before another worker takes it over (a worker that died)' },
    },
    notes: ['Ctrl+C or SIGTERM stops it after the backtests under way; a worker killed outright loses nothing: its backtests are run again elsewhere.'],
  },
  check: {
    name: 'check',
    summary: 'Checks the installation and configuration: Node, dependencies, the configuration, .env, the Alpaca keys and account, Telegram, sample data, writable directories.',
    invocation: 'npm run check --',
    options: { config },
    notes: ['Prints one line per check (✓/✗ with a hint); exit 1 if any fails.'],
  },
  ctl: {
    name: 'ctl',
    summary: "Sends a command to the running daemon of that configuration and prints its answer (exit 0 done, 1 refused, 2 no daemon).",
    invocation: 'npm run ctl --',
    words: 'status | pause <strategy|account|all> | resume <strategy|account|all> | flatten <strategy>',
    options: { config },
  },
  status: {
    name: 'status',
    summary: 'Prints the newest saved state of that configuration (the daemon need not run): account, P&L, strategies, breakers, positions.',
    invocation: 'npm run status --',
    options: {
      config,
      json: { type: 'boolean', help: 'print it as JSON, for scripts' },
    },
    notes: ["For a pipe, keep npm's banner off stdout: npm run -s status -- --json | jq ."],
  },
  readiness: {
    name: 'readiness',
    summary: "Judges each strategy's paper record against the live checklist (3 months, Sharpe, drawdown, unchanged strategy, live plan, paper fills vs backtest): every item, its measure, what is missing, a verdict.",
    invocation: 'npm run readiness --',
    options: {
      config,
      strategy: { type: 'string', multiple: true, value: 'ID', help: 'judge only this strategy (repeatable; default: every enabled one)' },
      json: { type: 'boolean', help: 'print the report as JSON, with the figures behind each item' },
    },
    notes: ['Exit 0 when every strategy judged is ready, 1 when one is not, 2 for bad input. A live configuration (live.paper_state_dir) is judged on its paper daemon\'s record: docs/readiness.md.'],
  },
  emulator: {
    name: 'emulator',
    summary: "Runs a local Alpaca (trading API, market data, both streams) replaying CSV bars, and prints the .env lines that point the daemon at it.",
    invocation: 'npm run emulator --',
    options: {
      port: { type: 'string', value: 'N', default: '8765', help: 'the port to listen on; 0 picks a free one' },
      host: { type: 'string', value: 'HOST', default: emulatorDefaults.host, help: 'the loopback address to listen on' },
      data: { type: 'string', value: 'DIR', default: 'data/eqker', help: 'the folder of SYMBOL_<timeframe>.csv files to replay' },
      speed: { type: 'string', value: 'N', default: String(emulatorDefaults.speed), help: 'market time runs N times faster than wall time' },
      start: { type: 'string', value: 'ISO', help: 'market time at start, with its offset, e.g. 2019-02-12T09:25:00-05:00 (default: a minute before the first bar)' },
      paused: { type: 'boolean', help: 'start with the market clock stopped (resume: POST {"action":"resume"} to /admin/clock)' },
      'start-when-connected': { type: 'boolean', help: 'hold the market clock until a client subscribes to the data stream (the daemon is ready)' },
      'skip-closed': { type: 'boolean', help: 'jump over closed hours to a minute before the next open' },
      seed: { type: 'string', value: 'N', default: String(emulatorDefaults.seed), help: 'seed of the simulated quotes, prints and partial fills' },
      cash: { type: 'string', value: 'N', default: String(emulatorDefaults.startingCash), help: "the account's starting cash" },
      key: { type: 'string', value: 'K', help: 'the API key id it accepts (or EMULATOR_KEY; default: a fixed placeholder)' },
      secret: { type: 'string', value: 'S', help: 'the secret it accepts (or EMULATOR_SECRET, kept out of ps)' },
      'rate-limit': { type: 'string', value: 'N', default: String(emulatorDefaults.rateLimit), help: 'REST requests a minute per key and API' },
      'partial-fill-rate': { type: 'string', value: 'X', default: String(emulatorDefaults.partialFillRate), help: 'share of fills split in parts, 0-1' },
      'bar-label': { type: 'string', value: 'auto|start|end', default: 'auto', help: 'how the files stamp their bars' },
      'extended-hours': { type: 'string', value: 'data|synthetic', default: 'data', help: 'replay the pre-/after-market minutes the data has, or make thin ones up where it has none' },
      fault: { type: 'string', multiple: true, value: 'JSON', help: 'a fault from the start, e.g. \'{"type":"latency","api":"trading","ms":500}\' (repeatable)' },
    },
    notes: ['The port and the keys, and so the .env lines, stay the same from one start to the next (unless --port 0). Ctrl+C or SIGTERM stops it.'],
  },
  'new-strategy': {
    name: 'new-strategy',
    summary: 'Writes a strategy of your own to start from (DIR/NAME.ts, commented) and its test (DIR/NAME.test.ts, a backtest on the sample data).',
    invocation: 'npm run new-strategy --',
    words: 'NAME',
    options: {
      dir: { type: 'string', value: 'DIR', default: 'strategies', help: "the folder of your own strategies (a configuration's strategies_dir)" },
    },
    notes: ['NAME is the strategy type a configuration names: lower-case letters, digits and _. Existing files are never overwritten. See docs/strategies.md.'],
  },
} as const satisfies Readonly<Record<string, CommandSpec>>;

export type CommandName = keyof typeof commandSpecs;
