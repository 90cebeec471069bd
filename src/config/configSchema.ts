import { z } from 'zod';
import { timeframeSchema } from '../market-data/Timeframe.js';
import { consoleModes } from '../logging/consoleMode.js';

/** A fraction in (0, 1]: 0.05 means 5 %. */
const fraction = z.number().gt(0, 'must be > 0 (a fraction: 0.05 = 5 %)').max(1, 'must be ≤ 1 (a fraction: 0.05 = 5 %)');
const positiveInt = z.number().int('must be a whole number').positive('must be > 0');

// Strategy ids are written into every client order id (`<id>-<run>-<seq>`), so no `-` in them.
const strategyId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_]{0,39}$/, 'must be 1–40 lower-case letters, digits or _ (it names the strategy in client order ids)');
const symbol = z.string().regex(/^[A-Z][A-Z0-9.]{0,9}$/, 'must be an upper-case ticker such as AAPL or BRK.B');

/** The seed's four circuit-breaker rules; each key may be left out to take the default. */
const breakerRules = {
  max_drawdown_pct: fraction.optional(),
  max_daily_loss_pct: fraction.optional(),
  max_consecutive_losses: positiveInt.optional(),
  max_trades_per_day: positiveInt.optional(),
};
const breakerAction = z.enum(['block_entries', 'flatten', 'halt_all'], { message: 'must be block_entries, flatten or halt_all' });

export const strategyConfigSchema = z.strictObject({
  id: strategyId,
  type: z.string().min(1, 'must name a strategy type'),
  enabled: z.boolean().default(true),
  symbols: z
    .array(symbol)
    .min(1, 'must list at least one symbol')
    .refine((s) => new Set(s).size === s.length, 'must not repeat a symbol'),
  /** Dollars of the account this strategy may trade with: its own cash, ledger and P&L. */
  capital_allocation: z.number().positive('must be > 0 (dollars of the account given to this strategy)').finite(),
  /** Checked against the type's own schema by the loader. */
  params: z.record(z.string(), z.unknown()).default({}),
  /** This strategy's own thresholds, over the top-level `circuit_breakers`. */
  circuit_breakers: z.strictObject({ ...breakerRules, action: breakerAction.optional() }).optional(),
});

export const configSchema = z.strictObject({
  /**
   * The folder of your own strategy modules (docs/strategies.md): each `NAME.ts` / `NAME.js` in it is
   * the strategy type `NAME`. Read before the rest of the configuration, so its types are known.
   */
  strategies_dir: z.string().min(1).default('strategies'),
  strategies: z
    .array(strategyConfigSchema)
    .min(1, 'must list at least one strategy')
    .superRefine((list, ctx) => {
      const seen = new Set<string>();
      list.forEach((s, i) => {
        if (seen.has(s.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate strategy id "${s.id}"` });
        seen.add(s.id);
      });
    }),
  data: z
    .strictObject({
      /** Bar size: 1M…59M, 1H…23H, 1D (Alpaca's 1Min/15Min/1Hour/1Day also accepted). */
      timeframe: timeframeSchema.prefault('1H'),
      /** Calendar days of history loaded to warm indicators up before trading. */
      history_days: positiveInt.max(3650, 'must be ≤ 3650 (ten years)').default(100),
      /**
       * Alpaca mode: a bar whose prices lie more than this fraction from the symbol's last price is
       * held back and the symbol quarantined until prices confirm (a bad print never reaches a strategy).
       */
      max_bar_move_pct: z.number().positive('must be > 0').max(10, 'must be ≤ 10').default(0.25),
      /**
       * Alpaca mode: minutes without a live bar for any symbol, while the market is open, after which
       * the stream is called silent (a warning, an alert, a reconnection, the minutes fetched over
       * REST); also the shortest run of minutes with no bar at all in Alpaca's history reported as
       * missing data. Raise it for a few thinly traded symbols on the IEX feed.
       */
      silence_minutes: positiveInt.max(390, 'must be ≤ 390 (a session)').default(3),
    })
    .prefault({}),
  /** Each rule pauses trading when crossed: per strategy (these values, or the strategy's own), and for the account. */
  circuit_breakers: z
    .strictObject({
      max_drawdown_pct: fraction.default(0.2),
      max_daily_loss_pct: fraction.default(0.05),
      max_consecutive_losses: positiveInt.default(5),
      max_trades_per_day: positiveInt.default(50),
      /** What a paused breaker allows: exits only (block_entries), exits after closing everything (flatten), nothing (halt_all). */
      action: breakerAction.default('block_entries'),
      /** The account-wide breaker on the strategies' total; see breakerLimits for its defaults. */
      account: z.strictObject(breakerRules).prefault({}),
    })
    .prefault({}),
  risk: z
    .strictObject({
      /** Largest position after an order, as a fraction of the strategy's capital. */
      max_position_pct: fraction.default(0.25),
      /** Largest order, as a fraction of the strategy's capital, valued at the highest price the symbol had since yesterday. */
      max_order_pct: fraction.default(1),
    })
    .prefault({}),
  state: z
    .strictObject({
      dir: z.string().min(1).default('data_cache/portfolio_states'),
      // Node's timers hold at most 2^31 − 1 ms (about 24.8 days); a day is plenty between saves.
      snapshot_interval_s: positiveInt.max(86_400, 'must be ≤ 86400 (a day)').default(300),
      /** The newest backups kept (at 300 s, the last eight hours). */
      max_backups: positiveInt.default(100),
      /** And the last backup of each New York day for this many days (0: none): a long weekend and a month back. */
      daily_backups_days: z.number().int('must be a whole number').min(0, 'must be ≥ 0 (0: no daily backups)').max(3660, 'must be ≤ 3660 (ten years)').default(31),
      /** Earlier states moved to archive/ by fresh starts: the newest this many are kept. */
      max_archives: positiveInt.max(1000, 'must be ≤ 1000').default(10),
      /** The closed-trades log starts a new segment once the current one holds this many MB. */
      trades_segment_mb: z.number().gt(0, 'must be > 0 (MB)').max(1024, 'must be ≤ 1024 (MB)').default(4),
      /** A finished closed-trades segment last written longer ago than this many days is removed (its trades no longer count after a restore). */
      trades_keep_days: positiveInt.max(36_600, 'must be ≤ 36600 (a hundred years)').default(730),
    })
    .prefault({}),
  notifications: z
    .strictObject({
      telegram_on_all_trades: z.boolean().default(true),
      telegram_on_any_error: z.boolean().default(true),
      daily_summary: z.boolean().default(true),
    })
    .prefault({}),
  /**
   * Required to trade real money (the live URL and `--live`): the seed's migration checklist asks for
   * stricter breakers; these cap every strategy's and the account's drawdown and daily loss.
   */
  live: z
    .strictObject({
      max_drawdown_pct: fraction.max(0.1, 'must be ≤ 0.1 for live trading (default 0.05)').default(0.05),
      max_daily_loss_pct: fraction.max(0.05, 'must be ≤ 0.05 for live trading (default 0.02)').default(0.02),
      /** The paper daemon's state directory: the paper record the live checklist judges (`npm run readiness`, `--live`). Default: `state.dir`. */
      paper_state_dir: z.string().min(1).optional(),
      /** When and how you stop trading real money, written before you start (the checklist's exit plan). */
      exit_plan: z.string().trim().min(20, 'must say when and how you stop trading real money (at least a sentence)').optional(),
    })
    .optional(),
  /** The Alpaca mode (keys in .env). */
  alpaca: z
    .strictObject({
      /** Trade even when the account holds positions or orders no strategy's books explain (they are reported and left alone). */
      accept_external: z.boolean().default(false),
      /** Requests a minute the daemon allows itself (Alpaca: 200 per account). */
      requests_per_minute: z.number().int().min(10).max(200).default(190),
    })
    .prefault({}),
  /** The offline mode: replayed CSV bars and the simulated venue. */
  sim: z
    .strictObject({
      data_dir: z.string().min(1).default('data/eqker'),
      /** How the data files stamp intraday bars: at their `start` (Alpaca, most vendors), their `end`, or `auto` (told from the data per file). */
      bar_time: z.enum(['auto', 'start', 'end']).default('auto'),
      /** Market time per wall time: 600 replays ten minutes of bars per second. */
      speed: z.number().positive('must be > 0').max(1_000_000, 'must be ≤ 1000000').default(600),
      starting_cash: z.number().positive('must be > 0').finite().default(100_000),
      /** Slippage of market and stop fills: basis points of the price, or a fraction of the bar's range (not both). */
      slippage_bps: z.number().min(0, 'must be ≥ 0').max(1000, 'must be ≤ 1000 (10 %)').default(0),
      slippage_range: z.number().min(0, 'must be ≥ 0').max(1, 'must be ≤ 1 (a fraction of the bar range)').default(0),
      commission_per_share: z.number().min(0, 'must be ≥ 0').default(0),
      commission_per_order: z.number().min(0, 'must be ≥ 0').default(0),
      commission_min_per_order: z.number().min(0, 'must be ≥ 0').default(0),
      /** First New York date to trade (YYYY-MM-DD); earlier bars warm up. Default: the second day in the data. */
      start: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
        .nullable()
        .default(null),
    })
    .refine((sim) => sim.slippage_bps === 0 || sim.slippage_range === 0, { message: 'give slippage_bps or slippage_range, not both', path: ['slippage_range'] })
    .prefault({}),
  /**
   * The local dashboard, /healthz and /metrics (docs/dashboard.md). Loopback by default; any other
   * host needs DASHBOARD_TOKEN in the environment (checked at start). Port 0: a free port, logged.
   */
  dashboard: z
    .strictObject({
      enabled: z.boolean().default(true),
      host: z
        .string()
        .min(1, 'must name an address to listen on (127.0.0.1 keeps it on this machine)')
        .regex(/^[A-Za-z0-9.:-]+$/, 'must be an IP address or a host name (127.0.0.1 keeps it on this machine)')
        .default('127.0.0.1'),
      port: z.number().int('must be a whole number').min(0, 'must be 0–65535').max(65_535, 'must be 0–65535').default(8787),
    })
    .prefault({}),
  logging: z
    .strictObject({
      dir: z.string().min(1).default('logs'),
      level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).default('info'),
      /** What stdout shows besides the file: auto | pretty | journal | json | off (docs/logs.md). */
      console: z.enum(consoleModes).default('auto'),
    })
    .prefault({}),
});

export type DaemonConfig = z.output<typeof configSchema>;
export type StrategyConfig = DaemonConfig['strategies'][number];
