/** One regular trading session of the US equity market, in UTC ms. */
export interface Session {
  /** New York date, `YYYY-MM-DD`. */
  readonly date: string;
  readonly open: number;
  readonly close: number;
  /** Closes at 13:00 New York time instead of 16:00. */
  readonly earlyClose: boolean;
}

/**
 * When the market trades: regular sessions only (extended hours are off). The offline mode uses a
 * static NYSE calendar; the Alpaca mode will use Alpaca's `/v2/calendar`.
 */
export interface MarketCalendar {
  /** The session on New York date `date` (`YYYY-MM-DD`), or null when the market is closed that day. */
  session(date: string): Session | null;
  /** The first session that opens after instant `ms`. */
  nextSession(ms: number): Session;
}
