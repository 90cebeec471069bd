/** A bar size as the market-data API spells it: `[1-59]Min|T`, `[1-23]Hour|H`, `1Day|D`, `1Week|W`, `1,2,3,4,6,12Month|M`. */
export interface AlpacaTimeframe {
  readonly unit: 'Min' | 'Hour' | 'Day' | 'Week' | 'Month';
  readonly amount: number;
  readonly label: string;
}

const units: Readonly<Record<string, AlpacaTimeframe['unit']>> = { Min: 'Min', T: 'Min', Hour: 'Hour', H: 'Hour', Day: 'Day', D: 'Day', Week: 'Week', W: 'Week', Month: 'Month', M: 'Month' };

/** Parses a `timeframe` query value; null when Alpaca would refuse it. */
export function parseAlpacaTimeframe(text: string): AlpacaTimeframe | null {
  const m = /^(\d{1,2})(Min|T|Hour|H|Day|D|Week|W|Month|M)$/.exec(text);
  if (m === null) return null;
  const amount = Number(m[1]);
  const unit = units[m[2]!]!;
  const ok =
    unit === 'Min' ? amount >= 1 && amount <= 59 : unit === 'Hour' ? amount >= 1 && amount <= 23 : unit === 'Month' ? [1, 2, 3, 4, 6, 12].includes(amount) : amount === 1;
  return ok ? { unit, amount, label: `${amount}${unit}` } : null;
}

/** Minutes per bar of an intraday timeframe (0 for day and longer). */
export function intradayMinutes(tf: AlpacaTimeframe): number {
  return tf.unit === 'Min' ? tf.amount : tf.unit === 'Hour' ? tf.amount * 60 : 0;
}
