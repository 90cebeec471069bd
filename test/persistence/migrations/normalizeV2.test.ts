import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { normalizeV2, CURVE_SAMPLES_V2 } from '../../../src/persistence/migrations/normalizeV2.js';
import { restorableSnapshotSchemaV2 } from '../../../src/persistence/migrations/stateSchemaV2.js';
import { upgradeV1 } from '../../../src/persistence/migrations/upgradeV1.js';

/** State files written by the daemon of each historical commit (see test/fixtures/state/README.md). */
const DIR = fileURLToPath(new URL('../../fixtures/state/', import.meta.url));
const FILES = readdirSync(DIR)
  .filter((f) => f.endsWith('.json') && (f.startsWith('v1-') || f.startsWith('v2-')))
  .sort();
const load = (name: string): Record<string, unknown> => JSON.parse(readFileSync(DIR + name, 'utf8')) as Record<string, unknown>;
/** `sim.starting_cash` of the configurations the fixtures were written with. */
const STARTING_CASH = 100_000;

type Json = Record<string, unknown>;
const o = (x: unknown): Json => x as Json;
const a = (x: unknown): unknown[] => x as unknown[];
const engineOf = (s: unknown): Json => o(o(s)['engine']);

function toV2(raw: Record<string, unknown>): unknown {
  return normalizeV2(raw['version'] === 1 ? upgradeV1(raw, { startingCash: STARTING_CASH }) : raw);
}

function issues(x: unknown): string {
  const r = restorableSnapshotSchemaV2.safeParse(x);
  return r.success ? '' : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
}

describe('historical state files', () => {
  it('has a fixture of every format', () => {
    expect(FILES.filter((f) => f.startsWith('v1-')).length).toBe(3);
    expect(FILES.filter((f) => f.startsWith('v2-')).length).toBe(15);
  });

  it.each(FILES)('%s restores with the v2 schema after the migrations', (name) => {
    expect(issues(toV2(load(name)))).toBe('');
  });

  it.each(FILES)('%s does not change while being migrated', (name) => {
    const raw = load(name);
    const copy = structuredClone(raw);
    toV2(raw);
    expect(raw).toEqual(copy);
  });

  it.each(FILES.filter((f) => f.startsWith('v2-')))('%s: normalizing twice changes nothing more', (name) => {
    const once = normalizeV2(load(name));
    expect(normalizeV2(once)).toEqual(once);
  });
});

describe('normalizeV2', () => {
  it.each(['v2-f04fe1d-head-sim.json', 'v2-f04fe1d-head-alpaca.json'])('is the identity on a file of the last v2 shape (%s)', (name) => {
    const raw = load(name);
    expect(issues(raw)).toBe('');
    expect(normalizeV2(raw)).toEqual(raw);
  });

  it('leaves anything that is not a v2 state as it is', () => {
    for (const x of [null, 3, 'x', [], { version: 1 }, { version: 3, engine: {} }, { version: 2 }]) expect(normalizeV2(x)).toBe(x);
  });

  it('4389594: samples become two arrays, thinned to what a 1,024-sample curve keeps; the history is exact', () => {
    const raw = load('v2-4389594-curve-samples.json');
    const before = o(o(engineOf(raw)['curves'])['total']);
    const samples = a(before['samples']).map(o);
    expect(samples.length).toBeGreaterThan(CURVE_SAMPLES_V2);
    expect(before['stride']).toBe(1);
    const after = o(o(engineOf(normalizeV2(raw))['curves'])['total']);
    expect(after['samples']).toBeUndefined();
    expect(after['stride']).toBe(2);
    expect(after['sampleTimes']).toEqual(samples.filter((_, i) => i % 2 === 0).map((p) => p['time']));
    expect(after['sampleValues']).toEqual(samples.filter((_, i) => i % 2 === 0).map((p) => p['equity']));
    // Every point was in the sample: the closes are sample points, the last one the curve's previousClose.
    const closes = a(after['closeValues']);
    expect(closes.length).toBe(a(before['returns']).length);
    expect(closes.at(-1)).toBe(before['previousClose']);
    for (const [i, t] of a(after['closeTimes']).entries()) expect(samples.find((p) => p['time'] === t)?.['equity']).toBe(closes[i]);
    expect(a(after['todayTimes']).at(-1)).toBe(before['lastTime']);
    expect(a(after['todayValues']).at(-1)).toBe(before['close']);
    expect(engineOf(normalizeV2(raw))['lastBarTimes']).toEqual({});
  });

  it.each(['v2-d7c9ade-equity-history.json', 'v2-0f8d21c-broker-alpaca.json', 'v2-f04fe1d-head-sim.json'])(
    'derives exactly the history %s wrote, from a curve that kept every point',
    (name) => {
      const raw = load(name);
      const stripped = structuredClone(raw);
      const curves = (s: unknown): Json[] => {
        const c = o(engineOf(s)['curves']);
        return [c['total'], ...Object.values(o(c['strategies']))].filter((x) => x !== null).map(o);
      };
      for (const c of curves(stripped)) for (const k of ['closeTimes', 'closeValues', 'todayTimes', 'todayValues']) delete c[k];
      expect(curves(raw).every((c) => c['stride'] === 1)).toBe(true);
      expect(engineOf(normalizeV2(stripped))['curves']).toEqual(engineOf(raw)['curves']);
    },
  );

  it('4d5c04f: a thinned curve gets close values from its daily returns and today from its samples', () => {
    const raw = load('v2-4d5c04f-compact-curves.json');
    const before = o(o(engineOf(raw)['curves'])['total']);
    expect(before['stride']).toBe(2);
    const after = o(o(engineOf(normalizeV2(raw))['curves'])['total']);
    const returns = a(before['returns']) as number[];
    const closes = a(after['closeValues']) as number[];
    expect(closes.length).toBe(returns.length);
    expect(closes.at(-1)).toBe(before['previousClose']);
    for (let i = 1; i < closes.length; i++) expect(closes[i]! / closes[i - 1]! - 1).toBeCloseTo(returns[i]!, 12);
    expect(a(after['todayTimes']).at(-1)).toBe(before['lastTime']);
  });

  it('pre-7d1451d working orders get triggered: false; offline files get broker: null', () => {
    const after = engineOf(normalizeV2(load('v2-d7c9ade-equity-history.json')));
    const working = a(o(after['venue'])['working']).map(o);
    expect(working.length).toBeGreaterThan(0);
    for (const w of working) expect(w['triggered']).toBe(false);
    expect(after['broker']).toBeNull();
  });

  it('drops the exits the v2 schema refuses from an open intent, keeps them on the venue order (or on request)', () => {
    const raw = load('v2-f04fe1d-head-sim-pending-bracket.json');
    expect(issues(raw)).toContain('Unrecognized key: "bracket"');
    const open = (s: unknown): Json[] => a(o(o(o(engineOf(s)['runners'])['probe'])['runner'])['open']).map((x) => o(o(x)['intent']));
    expect(open(raw).some((i) => i['bracket'] !== undefined)).toBe(true);
    const after = normalizeV2(raw);
    expect(open(after).some((i) => i['bracket'] !== undefined)).toBe(false);
    expect(a(o(engineOf(after)['venue'])['working']).some((w) => o(w)['bracket'] !== undefined)).toBe(true);
    expect(open(normalizeV2(raw, { keepIntentExits: true }))).toEqual(open(raw));
  });
});

describe('upgradeV1', () => {
  it.each(FILES.filter((f) => f.startsWith('v1-')))('%s: the venue is the ledgers plus the unallocated cash, with no orders', (name) => {
    const raw = load(name);
    const e = engineOf(upgradeV1(raw, { startingCash: STARTING_CASH }));
    const strategies = Object.values(o(raw['strategies'])).map(o);
    const capital = strategies.reduce((s, x) => s + (x['capital'] as number), 0);
    const ledgers = Object.values(o(e['runners'])).map((r) => o(o(r)['ledger']));
    const venue = o(e['venue']);
    expect(venue['cash']).toBeCloseTo(ledgers.reduce((s, l) => s + (l['cash'] as number), 0) + STARTING_CASH - capital, 6);
    expect(venue['cash']).toBeCloseTo(o(raw['account'])['cash'] as number, 2);
    const booked = new Map<string, number>();
    for (const l of ledgers) for (const lot of a(l['lots']).map(o)) booked.set(lot['symbol'] as string, (booked.get(lot['symbol'] as string) ?? 0) + (lot['qty'] as number));
    expect(Object.fromEntries(a(venue['positions']).map((p) => [o(p)['symbol'], o(p)['qty']]))).toEqual(Object.fromEntries(booked));
    expect(Object.fromEntries(Object.entries(o(o(raw['account'])['positions'])).map(([s, p]) => [s, o(p)['qty']]))).toEqual(Object.fromEntries(booked));
    expect(venue['working']).toEqual([]);
    expect(o(e['execution'])['inFlight']).toEqual([]);
    expect(e['lastBarTime']).toBe(Date.parse(raw['marketTime'] as string));
  });

  it('keeps the ledger identity: cash = capital + realized − positions at cost − pending entry commissions', () => {
    const raw = load('v1-cc0f3f2-breakers.json');
    const e = engineOf(upgradeV1(raw, { startingCash: STARTING_CASH }));
    for (const [id, s] of Object.entries(o(raw['strategies']))) {
      const l = o(o(o(e['runners'])[id])['ledger']);
      const lots = a(l['lots']).map(o);
      const atCost = lots.reduce((x, lot) => x + (lot['qty'] as number) * (lot['avgPrice'] as number), 0);
      const pending = lots.reduce((x, lot) => x + (lot['pendingEntryCommission'] as number), 0);
      expect((o(s)['capital'] as number) + (l['realized'] as number) - atCost - pending).toBeCloseTo(l['cash'] as number, 6);
    }
  });

  it('keeps a tripped breaker tripped, and its day', () => {
    const raw = load('v1-cc0f3f2-breakers.json');
    const tripped = Object.entries(o(raw['strategies'])).filter(([, s]) => o(o(s)['circuitBreaker'])['trip'] !== null);
    expect(tripped.length).toBeGreaterThan(0);
    const breakers = o(o(engineOf(upgradeV1(raw, { startingCash: STARTING_CASH }))['breakers'])['strategies']);
    for (const [id, s] of tripped) {
      const b = o(breakers[id]);
      expect(b['trip']).toEqual(o(o(s)['circuitBreaker'])['trip']);
      expect(b['day']).toBe(o(o(s)['circuitBreaker'])['day']);
      // 2019-02-13 ends at midnight New York time, 05:00 UTC the next day.
      expect(b['dayEnd']).toBe(Date.parse('2019-02-14T05:00:00Z'));
    }
  });

  it('has no breakers before they existed (093bcf7)', () => {
    expect(engineOf(upgradeV1(load('v1-093bcf7-metrics.json'), { startingCash: STARTING_CASH }))['breakers']).toBeNull();
  });

  it('shares the pending entry commissions by the commission model when given', () => {
    const raw = load('v1-5f75102-account-allocated.json');
    const lots = (x: unknown): Json[] => a(o(o(o(engineOf(x)['runners'])['sma_slow_tech'])['ledger'])['lots']).map(o);
    const even = lots(upgradeV1(raw, { startingCash: STARTING_CASH }));
    const byModel = lots(upgradeV1(raw, { startingCash: STARTING_CASH, entryCommission: (qty) => Math.max(1, qty * 0.005) }));
    const sum = (ls: Json[]): number => ls.reduce((x, l) => x + (l['pendingEntryCommission'] as number), 0);
    expect(sum(byModel)).toBeCloseTo(sum(even), 9);
    expect(even.length).toBeGreaterThan(1);
  });

  it('refuses books that do not add up, and files of another starting cash', () => {
    const raw = load('v1-cc0f3f2-breakers.json');
    expect(() => upgradeV1(raw, { startingCash: 99_000 })).toThrow(/account.s cash/);
    const broken = structuredClone(raw);
    o(o(o(broken['strategies'])['rsi_banks'])['ledger'])['cash'] = 1;
    expect(() => upgradeV1(broken, { startingCash: STARTING_CASH })).toThrow(/do not add up|account's cash/);
    expect(() => upgradeV1({ ...raw, mode: 'alpaca' }, { startingCash: STARTING_CASH })).toThrow(/offline mode only/);
  });

  it('leaves anything that is not a v1 state as it is', () => {
    const v2 = load('v2-f04fe1d-head-sim.json');
    expect(upgradeV1(v2, { startingCash: STARTING_CASH })).toBe(v2);
  });
});
