/**
 * The live checklist's thresholds (the seed's migration checklist, made measurable: docs/readiness.md).
 */
export const READINESS_RULES = {
  /** 1. Three months of paper trading: 63 New York trading days since the clock started. */
  minTradingDays: 63,
  /** 2. Annualized Sharpe over the period, above this … */
  minSharpe: 2.0,
  /** … and an edge, not luck: the probabilistic Sharpe ratio against 0 at least this (95 %). */
  minEdgeProbability: 0.95,
  /** 3. Worst drawdown over the period, below this. */
  maxDrawdown: 0.1,
  /** 5. Live starting capital at most this share of the paper capital. */
  maxLiveCapitalShare: 0.1,
  /** 5. Live breakers at least this strict: drawdown and daily loss (the seed's live caps). */
  liveMaxDrawdownPct: 0.05,
  liveMaxDailyLossPct: 0.02,
  /** 5. Monitoring works: a Telegram delivery within this (a daily summary every session; a long weekend is 4 days) … */
  deliveredWithinMs: 4 * 86_400_000,
  /** … and no message waiting longer than this. */
  maxWaitingMs: 3_600_000,
  /** 6. Paper and backtest agree on at least this share of fills … */
  minFillAgreement: 0.9,
  /** … and paper's prices are on average at most this many basis points worse than the backtest's. */
  maxMeanAdverseBps: 10,
} as const;
