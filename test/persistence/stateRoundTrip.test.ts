import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StrategyContext } from '../../src/strategies/StrategyContext.js';
import { coreRun, type CoreRun } from '../execution/coreHarness.js';

/** What one strategy does on one bar: every order shape the daemon can have open. */
type Act =
  | { readonly kind: 'none' }
  | { readonly kind: 'market'; readonly qty: number }
  | { readonly kind: 'limit'; readonly qty: number; readonly offset: number }
  | { readonly kind: 'bracket'; readonly qty: number; readonly limit: boolean }
  | { readonly kind: 'oto'; readonly qty: number }
  | { readonly kind: 'trailing'; readonly qty: number; readonly limit: boolean }
  | { readonly kind: 'sell'; readonly qty: number }
  | { readonly kind: 'close' };

interface Step {
  readonly move: number;
  readonly acts: readonly [Act, Act];
}

const qty = fc.integer({ min: 1, max: 12 });
const act: fc.Arbitrary<Act> = fc.oneof(
  fc.constant({ kind: 'none' as const }),
  qty.map((q) => ({ kind: 'market' as const, qty: q })),
  fc.record({ kind: fc.constant('limit' as const), qty, offset: fc.constantFrom(-2, -0.5, 0.5) }),
  fc.record({ kind: fc.constant('bracket' as const), qty, limit: fc.boolean() }),
  qty.map((q) => ({ kind: 'oto' as const, qty: q })),
  fc.record({ kind: fc.constant('trailing' as const), qty, limit: fc.boolean() }),
  qty.map((q) => ({ kind: 'sell' as const, qty: q })),
  fc.constant({ kind: 'close' as const }),
);
const step: fc.Arbitrary<Step> = fc.record({ move: fc.constantFrom(-1.5, -0.5, 0, 0.5, 1.5), acts: fc.tuple(act, act) });

const cents = (x: number): number => Math.round(x * 100) / 100;

function doAct(a: Act, symbol: string, price: number, ctx: StrategyContext): void {
  switch (a.kind) {
    case 'none':
      return;
    case 'market':
      return ctx.buy(symbol, a.qty);
    case 'limit':
      return ctx.buy(symbol, a.qty, { type: 'limit', limitPrice: cents(price + a.offset) });
    case 'bracket':
      return ctx.buy(symbol, a.qty, { ...(a.limit ? { type: 'limit' as const, limitPrice: cents(price - 0.5) } : {}), stopLoss: cents(price - 2), takeProfit: cents(price + 2) });
    case 'oto':
      return ctx.buy(symbol, a.qty, { stopLoss: cents(price - 1) });
    case 'trailing':
      return ctx.buy(symbol, a.qty, { ...(a.limit ? { type: 'limit' as const, limitPrice: cents(price - 0.5) } : {}), trailingStop: { percent: 0.01 } });
    case 'sell':
      return ctx.sell(symbol, a.qty);
    case 'close':
      return ctx.closePosition(symbol);
  }
}

/** Two strategies on one symbol, shares trading 5 at a time (partial fills); `steps` from `from` on. */
function play(run: CoreRun, steps: readonly Step[], from: number): void {
  let price = 100;
  for (let k = 0; k < from; k++) price = cents(price + steps[k]!.move);
  for (let k = from; k < steps.length; k++) {
    const open = price;
    price = cents(price + steps[k]!.move);
    current = steps[k]!;
    run.bar(k, { AAPL: [open, Math.max(open, price) + 0.3, Math.min(open, price) - 0.3, price] });
  }
}

let current: Step | null = null;
const scripts = { a: (_i: number, bar: { symbol: string; close: number }, ctx: StrategyContext) => doAct(current!.acts[0], bar.symbol, bar.close, ctx), b: (_i: number, bar: { symbol: string; close: number }, ctx: StrategyContext) => doAct(current!.acts[1], bar.symbol, bar.close, ctx) };
const make = (restoreFrom?: Parameters<typeof coreRun>[0]['restoreFrom']): CoreRun => coreRun({ strategies: scripts, liquidity: 5, capital: 40_000, ...(restoreFrom === undefined ? {} : { restoreFrom }) });

describe('the state file round trip (property)', () => {
  it('saved and restored at any bar, with orders of every shape open (brackets, OTO, trailing stops, partial fills, held exits), the run goes on exactly as if it had never stopped', () => {
    let shapes = 0;
    fc.assert(
      fc.property(fc.array(step, { minLength: 4, maxLength: 40 }), fc.nat(), (steps, at) => {
        const cut = 1 + (at % (steps.length - 1));
        const calm = make();
        play(calm, steps, 0);
        const first = make();
        play(first, steps.slice(0, cut), 0);
        const saved = first.state();
        // What the file held: counted, so the property is known not to be vacuous.
        if (saved.execution.inFlight.some((o) => o.leg !== null) || saved.execution.held.length > 0) shapes++;
        const restored = make(saved);
        // Saving the restored core again gives the same file.
        expect(restored.state()).toEqual(saved);
        play(restored, steps, cut);
        const end = restored.state();
        const expected = calm.state();
        expect(end.runners).toEqual(expected.runners);
        expect(end.venue).toEqual(expected.venue);
        expect(end.execution).toEqual(expected.execution);
        expect(end.breakers).toEqual(expected.breakers);
      }),
      { numRuns: 300, seed: 20261129 },
    );
    expect(shapes).toBeGreaterThan(100);
  });
});
