import { formatEt } from '../market-data/formatEt.js';
import { zonedParts } from '../market-data/zonedTime.js';

/** One parsed log line (pino's JSON): level number, ISO time, component, message, and its fields. */
export type LogRecord = Readonly<Record<string, unknown>>;

export interface ConsoleLineOptions {
  /** `pretty`: time, level, component, message; `journal`: syslog priority, component, message (journald stamps the time). */
  readonly format: 'pretty' | 'journal';
  readonly colors: boolean;
  /** The line's fields after its message (at debug level); otherwise the message alone. */
  readonly details: boolean;
  /** Zone of the wall time shown; default: the machine's. */
  readonly timeZone?: string;
}

/** A market time at least this far from the wall time is shown beside it (the replay, the emulator). */
export const MARKET_TIME_SHOWN_FROM_MS = 60_000;

const LEVELS: Readonly<Record<number, { name: string; color: string; priority: number }>> = {
  10: { name: 'TRACE', color: '90', priority: 7 },
  20: { name: 'DEBUG', color: '34', priority: 7 },
  30: { name: 'INFO', color: '32', priority: 6 },
  40: { name: 'WARN', color: '33', priority: 4 },
  50: { name: 'ERROR', color: '31', priority: 3 },
  60: { name: 'FATAL', color: '35', priority: 2 },
};
/** Fields every line has, shown in the line's head rather than among its details. */
const HEAD = new Set(['level', 'time', 'msg', 'component', 'marketTime', 'pid', 'hostname']);

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * A log line as a person reads it on a console: `21:51:46 (market 2019-02-12 10:27 ET) INFO [trades] 📉 Sold …`.
 * Money in the message is already in cents; the fields follow only with `details` (debug level),
 * as `key=value` with float noise rounded away (-5.979999999999791 → -5.98); without them, a
 * warning or error still says its error's message when its own text does not. The journal form is
 * `<4>[broker] …`: the priority prefix lets `journalctl -p warning` filter, and a message of
 * several lines stays one journal entry.
 */
export function formatConsoleLine(r: LogRecord, o: ConsoleLineOptions): string {
  const level = LEVELS[typeof r['level'] === 'number' ? r['level'] : 30] ?? LEVELS[30]!;
  const component = typeof r['component'] === 'string' ? `[${r['component']}] ` : '';
  const msg = typeof r['msg'] === 'string' ? r['msg'] : '';
  const details = o.details ? formatDetails(r) : (r['level'] as number) >= 40 ? errorReason(r, msg) : '';
  if (o.format === 'journal') return `<${level.priority}>${component}${msg.replace(/\n/g, ' ⏎ ')}${details}\n`;
  const wall = typeof r['time'] === 'string' ? Date.parse(r['time']) : typeof r['time'] === 'number' ? r['time'] : Number.NaN;
  const market = typeof r['marketTime'] === 'string' ? Date.parse(r['marketTime']) : Number.NaN;
  const shown = Number.isFinite(market) && !(Math.abs(market - wall) < MARKET_TIME_SHOWN_FROM_MS) ? ` (market ${formatEt(market)})` : '';
  const name = level.name.padEnd(5);
  const tag = o.colors ? `\u001b[${level.color}m${name}\u001b[39m` : name;
  return `${Number.isFinite(wall) ? clock(wall, o.timeZone) : '--:--:--'}${shown} ${tag} ${component}${msg.replace(/\n/g, '\n    ')}${details}\n`;
}

/** HH:MM:SS of `ms` in `timeZone`, or the machine's zone. */
function clock(ms: number, timeZone: string | undefined): string {
  if (timeZone === undefined) {
    const d = new Date(ms);
    return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  }
  const p = zonedParts(ms, timeZone);
  return `${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
}

/** A warning's or error's cause, when its message does not say it: ` — connect ECONNREFUSED`. */
function errorReason(r: LogRecord, msg: string): string {
  const e = r['err'] ?? r['error'];
  const text = isError(e) ? e.message : typeof e === 'string' && !e.startsWith('[object ') ? e : '';
  return text === '' || msg.includes(text) ? '' : ` — ${text.split('\n')[0]}`;
}

/** ` · key=value …` of the fields that are not in the line's head. */
function formatDetails(r: LogRecord): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(r)) {
    if (HEAD.has(key) || value === undefined) continue;
    parts.push(`${key}=${formatValue(value)}`);
  }
  return parts.length === 0 ? '' : ` · ${parts.join(' ')}`;
}

function formatValue(value: unknown): string {
  if (typeof value === 'number') return String(roundNoise(value));
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  if (isError(value)) return JSON.stringify(`${value.type}: ${value.message}`);
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' ? roundNoise(v) : v));
}

const isError = (v: unknown): v is { type: string; message: string } =>
  typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string' && typeof (v as { message?: unknown }).message === 'string';

/** Binary float noise gone, meaningful decimals kept: six places (prices have four, percentages as fractions five). */
export function roundNoise(x: number): number {
  return Number.isInteger(x) || !Number.isFinite(x) ? x : Number(x.toFixed(6));
}
