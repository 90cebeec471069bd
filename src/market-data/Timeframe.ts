import { z } from 'zod';

export const TimeframeUnit = { Min: 'Min', Hour: 'Hour', Day: 'Day' } as const;
export type TimeframeUnit = (typeof TimeframeUnit)[keyof typeof TimeframeUnit];

/** A bar size. `label` is Alpaca's spelling (`1Min`, `15Min`, `1Hour`, `1Day`). */
export interface Timeframe {
  readonly amount: number;
  readonly unit: TimeframeUnit;
  readonly ms: number;
  readonly label: string;
}

const unitMs: Readonly<Record<TimeframeUnit, number>> = { Min: 60_000, Hour: 3_600_000, Day: 86_400_000 };

// Alpaca allows 1–59 minutes, 1–23 hours and 1 day per bar.
const maxAmount: Readonly<Record<TimeframeUnit, number>> = { Min: 59, Hour: 23, Day: 1 };

/** The seed's short forms (`1M`, `15M`, `1H`, `1D`) and Alpaca's (`1Min`, `15Min`, `1Hour`, `1Day`). */
const pattern = /^(\d+)\s*(M|Min|T|H|Hour|D|Day)$/i;

function unitOf(token: string): TimeframeUnit {
  const t = token.toLowerCase();
  if (t === 'm' || t === 'min' || t === 't') return TimeframeUnit.Min;
  if (t === 'h' || t === 'hour') return TimeframeUnit.Hour;
  return TimeframeUnit.Day;
}

/** Parses a timeframe; null when it is not one Alpaca can serve. */
export function parseTimeframe(text: string): Timeframe | null {
  const m = pattern.exec(text.trim());
  if (m === null) return null;
  const amount = Number(m[1]);
  const unit = unitOf(m[2]!);
  if (!Number.isInteger(amount) || amount < 1 || amount > maxAmount[unit]) return null;
  return Object.freeze({ amount, unit, ms: amount * unitMs[unit], label: `${amount}${unit}` });
}

/** zod schema turning a timeframe string into a Timeframe. */
export const timeframeSchema = z.string().transform((text, ctx) => {
  const tf = parseTimeframe(text);
  if (tf === null) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not a timeframe: use 1M…59M, 1H…23H or 1D (or 1Min, 15Min, 1Hour, 1Day)` });
    return z.NEVER;
  }
  return tf;
});
