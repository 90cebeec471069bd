const DAY = 86_400_000;
let cachedDay = Number.NaN;
let cachedDate = '';

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
  let rest = ms - day * DAY;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = Math.floor(rest / 1000);
  return `${cachedDate}${pad2(h)}:${pad2(m)}:${pad2(s)}.${pad3(rest - s * 1000)}Z`;
}
