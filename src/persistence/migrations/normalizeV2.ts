import { nyNextMidnight } from '../../market-data/zonedTime.js';

/**
 * Every shape a `version: 2` state file has had (the version was never bumped while it changed),
 * brought to the last one: the shape `restorableSnapshotSchemaV2` (stateSchemaV2.ts, the schema of
 * commit f04fe1d) accepts. test/fixtures/state/ holds a file written by each of these commits:
 *
 * | written by          | what it lacks or has that the last shape (f04fe1d) does not                 |
 * | ------------------- | --------------------------------------------------------------------------- |
 * | 4389594             | curve samples as `samples: [{time, equity}]`, up to 4,096 a curve; no        |
 * |                     | `lastBarTimes`, no daily-close / today history, no `broker`, no `triggered`  |
 * | 4d5c04f             | samples as `sampleTimes`/`sampleValues` (at most 1,024); otherwise as above  |
 * | 7721e4e             | `lastBarTimes` added; still no history, no `broker`, no `triggered`          |
 * | d7c9ade             | the history added; no `broker`, no `triggered`                               |
 * | 83d52c4 … 7d1451d   | `triggered` on every working order (83d52c4's own schema refused it; 7d1451d |
 * |                     | accepted it); no `broker`                                                     |
 * | 0f8d21c             | `broker` (null offline; booked amounts in the new Alpaca mode): the last     |
 * |                     | shape, as long as no order has exits                                          |
 * | 5c86b78, 7c30d8e    | working orders gain `bracket`/`sibling`, then `trail`; an open entry's intent |
 * |                     | carries its `bracket` (and `trail`), which the strict schema never accepted   |
 * |                     | (f04fe1d writes it too)                                                       |
 *
 * The result is a new object; the input is not changed. Anything that is not a version-2 state is
 * returned as it is (validation then says what is wrong with it).
 */
export function normalizeV2(raw: unknown, options: NormalizeV2Options = {}): unknown {
  if (!isObject(raw) || raw['version'] !== 2 || !isObject(raw['engine'])) return raw;
  const out = structuredClone(raw);
  const engine = out['engine'] as Json;

  // The last bar per symbol (7721e4e) is only written back by the offline engine and read by the
  // Alpaca engine to backfill a live feed. The files that lack it are offline ones (Alpaca mode came
  // later), so nothing reads it on their restore; a value made up from `lastBarTime` would claim a
  // bar at that minute for symbols that may have had none. Unknown is an empty map, which is what a
  // fresh run starts with: each symbol's entry comes back with its next bar.
  if (!('lastBarTimes' in engine)) engine['lastBarTimes'] = {};

  // The Alpaca broker's books (0f8d21c): offline files have none, and the offline engine writes null.
  if (!('broker' in engine)) engine['broker'] = null;

  const venue = engine['venue'];
  if (isObject(venue)) {
    for (const w of list(venue['working'])) {
      // A stop the quotes have reached trades as a market order (the emulator's quote matching,
      // 83d52c4). Before that flag was written the venue matched on bars only, where no stop is ever
      // left triggered-but-unfilled: false is the truth for those files (it is also what the
      // restore assumes when the flag is absent).
      if (isObject(w) && !('triggered' in w)) w['triggered'] = false;
    }
  }

  if (options.keepIntentExits !== true) {
    // The runner keeps, for each open order, the intent it came from. Since 5c86b78 an entry with
    // protective exits carries them on its intent (`bracket`, and `trail` since 7c30d8e), but the
    // strict v2 schema never accepted them: a file saved while such an entry was open could not be
    // restored (f04fe1d refuses its own file: test/fixtures/state/v2-f04fe1d-head-sim-pending-bracket.json).
    // The runner reads only the symbol, side, quantity, type and prices of an open order's intent
    // (its cash reservation and its rejection reports); the exits themselves were sent with the
    // order and live at the venue (offline: the working order's `bracket`, kept). Dropping them
    // from the runner's copy loses nothing a restore uses.
    for (const r of Object.values(asObject(engine['runners']))) {
      for (const o of list(asObject(asObject(r)['runner'])['open'])) dropExits(asObject(asObject(o)['intent']));
    }
    // Held orders are exits waiting for an opposite order to finish; a bracket is refused on a sell,
    // so only a trailing-stop sell can carry exits here. Without its `trail` such a sell has no stop
    // price and the venue rejects it when it is released (the strategy is told): a visible refusal of
    // one order, where keeping it would make the whole file unreadable and the daemon start afresh.
    for (const h of list(asObject(engine['execution'])['held'])) dropExits(asObject(h));
  }

  const curves = asObject(engine['curves']);
  if (isObject(curves['total'])) normalizeCurve(curves['total']);
  for (const c of Object.values(asObject(curves['strategies']))) if (isObject(c)) normalizeCurve(c);
  return out;
}

export interface NormalizeV2Options {
  /**
   * Keep the protective exits (`bracket`, `trail`) on open intents and held orders, for a later
   * version whose schema holds them. The result then only fits that version, not the v2 schema.
   */
  readonly keepIntentExits?: boolean;
}

/** The most samples a curve keeps (EquityCurve's DEFAULT_SAMPLES since 4d5c04f; 4389594 kept 4,096). */
export const CURVE_SAMPLES_V2 = 1024;

type Json = Record<string, unknown>;

function isObject(x: unknown): x is Json {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** The object, or a throwaway empty one (a malformed part is left for validation to report). */
function asObject(x: unknown): Json {
  return isObject(x) ? x : {};
}

function list(x: unknown): unknown[] {
  return Array.isArray(x) ? x : [];
}

function numbers(x: unknown): number[] | null {
  return Array.isArray(x) && x.every((v) => typeof v === 'number') ? (x as number[]) : null;
}

function dropExits(o: Json): void {
  delete o['bracket'];
  delete o['trail'];
}

function normalizeCurve(c: Json): void {
  // 4389594: the thinned sample as objects; 4d5c04f on: two parallel arrays (same points, same order).
  if (Array.isArray(c['samples']) && !('sampleTimes' in c)) {
    const samples = c['samples'].map(asObject);
    c['sampleTimes'] = samples.map((p) => p['time']);
    c['sampleValues'] = samples.map((p) => p['equity']);
    delete c['samples'];
  }
  // The history is derived before thinning: a 4,096-sample curve may still hold every point.
  if (!('closeTimes' in c) || !('todayTimes' in c)) Object.assign(c, deriveHistory(c));
  thin(c);
}

/**
 * A curve of 4389594 could hold 4,096 samples; the current curve holds 1,024 and refuses more on
 * restore. The curve thins itself the same way when full (keep samples 0, 2, 4 … and sample every
 * other point from then on), so halving until it fits gives exactly the sample and stride a
 * 1,024-sample curve would have after the same points.
 */
function thin(c: Json): void {
  const times = numbers(c['sampleTimes']);
  const values = numbers(c['sampleValues']);
  const stride = c['stride'];
  if (times === null || values === null || times.length !== values.length || typeof stride !== 'number') return;
  let t = times;
  let v = values;
  let s = stride;
  while (t.length > CURVE_SAMPLES_V2) {
    t = t.filter((_, i) => i % 2 === 0);
    v = v.filter((_, i) => i % 2 === 0);
    s *= 2;
  }
  c['sampleTimes'] = t;
  c['sampleValues'] = v;
  c['stride'] = s;
}

interface History {
  closeTimes: number[];
  closeValues: number[];
  todayTimes: number[];
  todayValues: number[];
}

/**
 * The equity history (d7c9ade): the last point of every finished New York day and every point of the
 * current day (dayEnd is the midnight that ends it). Older files kept only the thinned sample, the
 * daily returns (one per finished day) and the last close (previousClose). The history feeds the
 * daily summary's chart only; no restore decision depends on it.
 * - Every committed point sampled (stride 1, as many samples as points: any curve of under 1,025
 *   points, or 4,096 in 4389594): the history is exact, read off the sample.
 * - Thinned: each finished day's close value is exact (from the last close back through the daily
 *   returns, to the last bit of rounding); its time is the last sampled point of that day, at most
 *   stride − 1 points before the real close, the same day. When some finished day has no sample the
 *   days cannot be matched to the returns, and the closes before the restore are left out (the
 *   chart starts at the restore). Today keeps the sampled points and the last committed one: a
 *   thinner but true line.
 */
function deriveHistory(c: Json): History {
  const none: History = { closeTimes: [], closeValues: [], todayTimes: [], todayValues: [] };
  const times = numbers(c['sampleTimes']);
  const values = numbers(c['sampleValues']);
  const returns = numbers(c['returns']);
  const { points, stride, dayEnd, lastTime, close, previousClose } = c;
  if (times === null || values === null || returns === null || times.length !== values.length) return none;
  if (typeof points !== 'number' || typeof stride !== 'number' || typeof dayEnd !== 'number' || points === 0) return none;

  // The samples by New York day, as the curve itself splits days (EquityCurve's step()).
  const finished: number[] = []; // index of the last sample of each finished day
  const today: number[] = [];
  for (let i = 0; i < times.length; i++) {
    const end = nyNextMidnight(times[i]!);
    if (end === dayEnd) today.push(i);
    else if (end < dayEnd) {
      if (i + 1 < times.length && nyNextMidnight(times[i + 1]!) === end) continue;
      finished.push(i);
    }
  }
  const at = (idx: number[]): { t: number[]; v: number[] } => ({ t: idx.map((i) => times[i]!), v: idx.map((i) => values[i]!) });

  const complete = stride === 1 && times.length === points && times[times.length - 1] === lastTime && values[values.length - 1] === close;
  if (complete && finished.length === returns.length && (finished.length === 0 || values[finished[finished.length - 1]!] === previousClose)) {
    const closes = at(finished);
    const now = at(today);
    return { closeTimes: closes.t, closeValues: closes.v, todayTimes: now.t, todayValues: now.v };
  }

  const out: History = { ...none };
  if (finished.length === returns.length && finished.length > 0 && typeof previousClose === 'number') {
    const closeValues = new Array<number>(returns.length);
    closeValues[returns.length - 1] = previousClose;
    for (let i = returns.length - 1; i > 0; i--) closeValues[i - 1] = closeValues[i]! / (1 + returns[i]!);
    out.closeTimes = at(finished).t;
    out.closeValues = closeValues;
  }
  const now = at(today);
  out.todayTimes = now.t;
  out.todayValues = now.v;
  if (typeof lastTime === 'number' && typeof close === 'number' && nyNextMidnight(lastTime) === dayEnd && !(now.t.length > 0 && now.t[now.t.length - 1]! >= lastTime)) {
    out.todayTimes.push(lastTime);
    out.todayValues.push(close);
  }
  return out;
}
