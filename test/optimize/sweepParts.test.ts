import { describe, expect, it } from 'vitest';
import { CliError } from '../../src/core/errors.js';
import { BarTape } from '../../src/market-data/BarTape.js';
import { heatmap, stability, type Scored } from '../../src/optimize/gridLandscape.js';
import { formatScore, objectives, rank, score } from '../../src/optimize/objectives.js';
import { stitch } from '../../src/optimize/optimize.js';
import { parseGrid } from '../../src/optimize/parseGrid.js';
import { Progress } from '../../src/optimize/Progress.js';
import { decodeSweep, encodeSweep } from '../../src/optimize/queue/sweepCodec.js';
import type { CombinationResult } from '../../src/optimize/runCombination.js';
import { shareTape, tapeView } from '../../src/optimize/SharedTape.js';
import type { SweepSetup } from '../../src/optimize/SweepSetup.js';
import { parseWalkForward, walkForwardFolds } from '../../src/optimize/walkForwardWindows.js';
import { movingAverageCrossoverParams } from '../../src/strategies/MovingAverageCrossover.js';
import type { Metrics } from '../../src/portfolio/metrics.js';
import { messageOf } from '../core/messageOf.js';

const base = { fast: 10, slow: 30, fraction: 0.2 };
const cliError = (run: () => unknown): string => messageOf(run, CliError);

describe('parseGrid', () => {
  it('spans every combination, the last parameter fastest, over the config parameters', () => {
    const g = parseGrid('{"fast":[5,10],"slow":[30,60,90]}', 'sma_cross', movingAverageCrossoverParams, base);
    expect(g.combinations.map((c) => c.grid)).toEqual([
      { fast: 5, slow: 30 },
      { fast: 5, slow: 60 },
      { fast: 5, slow: 90 },
      { fast: 10, slow: 30 },
      { fast: 10, slow: 60 },
      { fast: 10, slow: 90 },
    ]);
    expect(g.combinations[0]!.params).toMatchObject({ fast: 5, slow: 30, fraction: 0.2 });
    expect(g.skipped).toEqual([]);
  });

  it("skips the combinations the strategy's own rules refuse, saying why", () => {
    const g = parseGrid('{"fast":[20,40],"slow":30}', 'sma_cross', movingAverageCrossoverParams, base);
    expect(g.combinations.map((c) => c.grid)).toEqual([{ fast: 20, slow: 30 }]);
    expect(g.skipped).toEqual([{ grid: { fast: 40, slow: 30 }, reason: 'fast must be less than slow (30)' }]);
  });

  it('refuses bad JSON, unknown parameters, wrong values and a grid the strategy refuses whole', () => {
    expect(cliError(() => parseGrid('{fast:[5]}', 'sma_cross', movingAverageCrossoverParams, base))).toMatch(/^--grid: not valid JSON \(/);
    expect(cliError(() => parseGrid('[1,2]', 'sma_cross', movingAverageCrossoverParams, base))).toBe(`--grid: must be an object of parameter → list of values, e.g. '{"fast":[5,10],"slow":[30,60]}'`);
    expect(cliError(() => parseGrid('{"fats":[5]}', 'sma_cross', movingAverageCrossoverParams, base))).toMatch(/^--grid: sma_cross has no such parameter \(.*"fats".*\), in \{"fats":5\}$/);
    expect(cliError(() => parseGrid('{"fast":[0,5]}', 'sma_cross', movingAverageCrossoverParams, base))).toMatch(/^--grid: fast: .*, in \{"fast":0\}$/);
    expect(cliError(() => parseGrid('{"fast":[]}', 'sma_cross', movingAverageCrossoverParams, base))).toBe('--grid: fast: the list of values is empty');
    expect(cliError(() => parseGrid('{"fast":[5,5]}', 'sma_cross', movingAverageCrossoverParams, base))).toBe('--grid: fast: a value is listed twice');
    expect(cliError(() => parseGrid('{"fast":[40,50]}', 'sma_cross', movingAverageCrossoverParams, base))).toBe(
      '--grid: sma_cross refuses every combination (first: {"fast":40}: fast must be less than slow (30))',
    );
  });
});

const metricsWith = (sharpe: number | null, tradingDays = 20): Metrics => ({ sharpe, tradingDays, exposure: 1 }) as unknown as Metrics;

describe('ranking, heatmap and the stability of the best region', () => {
  it('ranks best first, undefined values last, ties in grid order; drawdown lowest first', () => {
    const items = [0.5, null, 1.5, 0.5].map((s, index) => ({ index, metrics: metricsWith(s) }));
    expect(rank(items, objectives.sharpe).map((r) => r.index)).toEqual([2, 0, 3, 1]);
    // A Sharpe ratio from 19 days ranks with the undefined ones, whatever its value.
    const short = [0.5, 9, 1.5].map((s, index) => ({ index, metrics: metricsWith(s, index === 1 ? 19 : 20) }));
    expect(rank(short, objectives.sharpe).map((r) => r.index)).toEqual([2, 0, 1]);
    expect(score(objectives.sharpe, short[1]!.metrics)).toEqual({ value: null, na: '19 of 20 trading days', flat: false });
    expect(formatScore(score(objectives.sharpe, short[1]!.metrics))).toBe('n/a (19 of 20 trading days)');
    // Mostly idle: ranked by its value, flagged.
    const idle = { sharpe: 1.25, tradingDays: 40, exposure: 0.1 } as unknown as Metrics;
    expect(formatScore(score(objectives.sharpe, idle))).toBe('1.2500*');
    // Not a ratio: no sample rule (a return is a return after one day).
    expect(score(objectives.return, { totalReturn: 0.01, tradingDays: 1 } as unknown as Metrics)).toEqual({ value: 0.01, na: null, flat: false });
    const dd = [0.3, 0.1, 0.2].map((depth, index) => ({ index, metrics: { maxDrawdown: { depth } } as unknown as Metrics }));
    expect(rank(dd, objectives.drawdown).map((r) => r.index)).toEqual([1, 2, 0]);
  });

  // a ∈ {1,2,3} × b ∈ {10,20} × c ∈ {0,1}; the value is a + b/10 + c, except a lone spike at (3, 20, 1).
  const g = parseGrid('{"a":[1,2,3],"b":[10,20],"c":[0,1]}', 'x', { safeParse: (p: unknown) => ({ success: true, data: p }) } as never, {});
  const scored: Scored[] = g.combinations.map((c, index) => {
    const { a, b, c: k } = c.grid as { a: number; b: number; c: number };
    return { index, grid: c.grid, value: a === 3 && b === 20 && k === 1 ? 100 : a + b / 10 + k };
  });

  it('the heatmap is over the first two parameters that vary, each cell the best over the others', () => {
    expect(heatmap(g, scored, true)).toEqual({
      x: 'a',
      y: 'b',
      xValues: [1, 2, 3],
      yValues: [10, 20],
      cells: [
        [3, 4, 5],
        [4, 5, 100],
      ],
    });
    expect(heatmap(parseGrid('{"a":[1,2],"b":[5]}', 'x', { safeParse: (p: unknown) => ({ success: true, data: p }) } as never, {}), [], true)).toBeNull();
  });

  it("the best one's neighbours (one step or less in every parameter) say a spike from a plateau", () => {
    const best = scored.find((s) => s.value === 100)!;
    // Neighbours of (3,20,1): a ∈ {2,3}, b ∈ {10,20}, c ∈ {0,1}, less itself: 7 combinations.
    // Values: (2,10,0) 3, (2,10,1) 4, (2,20,0) 4, (2,20,1) 5, (3,10,0) 4, (3,10,1) 5, (3,20,0) 5 → mean 30/7, min 3.
    expect(stability(g, scored, best)).toEqual({ neighbours: 7, best: 100, mean: 30 / 7, min: 3, meanOverBest: 30 / 7 / 100 });
  });
});

describe('walk-forward windows', () => {
  it('parses TRAIN/TEST in trading days', () => {
    expect(parseWalkForward('60/20')).toEqual({ train: 60, test: 20 });
    expect(cliError(() => parseWalkForward('60'))).toBe('--walk-forward: must be TRAIN/TEST in trading days, both at least 1, e.g. 60/20; got "60"');
    expect(cliError(() => parseWalkForward('0/5'))).toBe('--walk-forward: must be TRAIN/TEST in trading days, both at least 1, e.g. 60/20; got "0/5"');
  });

  it('trains on TRAIN days, tests on the next TEST days, rolls on by TEST; a last partial window is left out', () => {
    // Seven New York days (2019-02-11 … 2019-02-19 less the weekend and Presidents' Day), two bars each.
    const days = ['2019-02-11', '2019-02-12', '2019-02-13', '2019-02-14', '2019-02-15', '2019-02-19', '2019-02-20'];
    const time = new Float64Array(days.flatMap((d) => [Date.parse(`${d}T15:00:00Z`), Date.parse(`${d}T16:00:00Z`)]));
    expect(walkForwardFolds(time, time.length, 3, 2)).toEqual([
      { train: { lo: 0, hi: 6, days: 3 }, test: { lo: 6, hi: 10, days: 2 } },
      { train: { lo: 4, hi: 10, days: 3 }, test: { lo: 10, hi: 14, days: 2 } },
    ]);
    expect(cliError(() => walkForwardFolds(time, time.length, 6, 2))).toBe(
      '--walk-forward 6/2: the data has 7 trading days; it needs at least 8 (one training and one test window)',
    );
  });

  const r = (dailyReturns: number[], fills: number, trades: number): CombinationResult => ({ dailyReturns, fills, trades }) as unknown as CombinationResult;

  it('stitches the test windows: returns compounded, drawdown over the chain, no Sharpe ratio from 3 days', () => {
    // 1.1 · 0.95 · 1.02 − 1 = 0.0659; peak 1.1 then 1.045: drawdown 0.05; three days make no Sharpe ratio.
    const s = stitch([r([0.1, -0.05], 4, 2), r([0.02], 2, 1)], 0);
    expect(s.days).toBe(3);
    expect(s.totalReturn).toBeCloseTo(0.0659, 14);
    expect(s.maxDrawdown).toBeCloseTo(0.05, 14);
    expect(s.sharpe).toBeNull();
    expect(s.sharpeNa).toBe('3 of 20 trading days');
    expect([s.fills, s.trades]).toEqual([6, 3]);
  });

  it('stitches 20 days into a Sharpe ratio from every day', () => {
    // 0.1, −0.05, 0.02 then 17 flat days: mean 0.07/20 = 0.0035, sample σ 0.025808 → 0.0035/0.025808 · √252 = 2.15285
    const s = stitch([r([0.1, -0.05], 4, 2), r([0.02, ...Array<number>(7).fill(0)], 2, 1), r(Array<number>(10).fill(0), 0, 0)], 0);
    expect(s.days).toBe(20);
    expect(s.totalReturn).toBeCloseTo(0.0659, 14);
    expect(s.sharpe).toBeCloseTo(2.1528513339431603, 12);
    expect(s.sharpeNa).toBeNull();
  });
  it('a flat record has no Sharpe ratio: no variation', () => {
    expect(stitch([r(Array<number>(20).fill(0), 0, 0)], 0).sharpeNa).toBe('no variation');
  });
});

describe('the shared tape and its bytes for Redis', () => {
  const tape = new BarTape(['AAA', 'BBB'], 4);
  for (const [i, t] of [1000, 1000, 2000, 2000].entries()) tape.push(t, 10 + i, 11 + i, 9 + i, 10.5 + i / 3, 100 * i, 0);
  tape.symbolIndex![0] = 0;
  tape.symbolIndex![1] = 1;
  tape.symbolIndex![2] = 0;
  tape.symbolIndex![3] = 1;

  it('a view of bars lo … hi − 1 reads the same memory', () => {
    const shared = shareTape(tape);
    expect(shared.time.buffer).toBeInstanceOf(SharedArrayBuffer);
    const view = tapeView(shared, 1, 3);
    expect(view.toBars()).toEqual([tape.bar(1), tape.bar(2)]);
    expect(view.time.buffer).toBe(shared.time.buffer);
  });

  it('crosses to bytes and back exactly, into shared memory', () => {
    const setup = { strategy: { id: 's', type: 'sma_cross', symbols: ['AAA', 'BBB'], capital: 1, params: { fast: 1 } }, riskFreeRate: 0.01 } as unknown as SweepSetup;
    const back = decodeSweep(encodeSweep(shareTape(tape), setup));
    expect(back.setup).toEqual(setup);
    expect(tapeView(back.tape, 0, 4).toBars()).toEqual(tape.toBars());
    expect(back.tape.close.buffer).toBeInstanceOf(SharedArrayBuffer);
  });
});

describe('Progress', () => {
  it('into a pipe: a line at each tenth, with the time left at the pace so far', () => {
    const lines: string[] = [];
    let now = 0;
    const p = new Progress({ total: 20, write: (s) => void lines.push(s), now: () => now, tty: false });
    for (let done = 1; done <= 20; done++) {
      now = done * 500;
      p.update(done);
    }
    expect(lines).toHaveLength(10);
    expect(lines[0]).toBe('optimize [##..................] 2/20 backtests (10%), 1.0 s, ETA 9.0 s\n');
    expect(lines[9]).toBe('optimize [####################] 20/20 backtests (100%), 10.0 s\n');
  });

  it('on a terminal: one line redrawn at most every interval, and the last one', () => {
    const out: string[] = [];
    let now = 0;
    const p = new Progress({ total: 4, write: (s) => void out.push(s), now: () => now, tty: true, intervalMs: 1000 });
    for (const [done, t] of [[1, 100], [2, 200], [3, 1200], [4, 1300]] as const) {
      now = t;
      p.update(done);
    }
    expect(out).toEqual([
      '\roptimize [#####...............] 1/4 backtests (25%), 0.1 s, ETA 0.3 s\x1b[K',
      '\roptimize [###############.....] 3/4 backtests (75%), 1.2 s, ETA 0.4 s\x1b[K',
      '\roptimize [####################] 4/4 backtests (100%), 1.3 s\x1b[K\n',
    ]);
  });
});
