const DAY = 86_400_000;
let cachedDay = Number.NaN;
let cachedDate = '';
const minutes: string[] = [];

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));
const pad3 = (n: number): string => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : String(n));

/**
 * `new Date(ms).toISOString()` for the instants a backtest reports, several times faster: the date
 * part is formatted once per UTC day (backtests report thousands of fills a day).
 */
export function toIso(ms: number): string {
  const day = Math.floor(ms / DAY);
  if (day !== cachedDay) {
    const full = new Date(day * DAY).toISOString();
    // Years outside 0000–9999 are written differently: leave those to Date.
    if (full.length !== 24) return new Date(ms).toISOString();
    cachedDay = day;
    cachedDate = full.slice(0, 11);
  }
  const rest = ms - day * DAY;
  const minute = Math.floor(rest / 60_000);
  const inMinute = rest - minute * 60_000;
  // Bars are stamped on whole minutes: the "HH:MM:" of each minute of the day is built once.
  const hm = (minutes[minute] ??= `${pad2(Math.floor(minute / 60))}:${pad2(minute % 60)}:`);
  if (inMinute === 0) return `${cachedDate}${hm}00.000Z`;
  const s = Math.floor(inMinute / 1000);
  return `${cachedDate}${hm}${pad2(s)}.${pad3(inMinute - s * 1000)}Z`;
}
