import { describe, expect, it } from 'vitest';
import { builtInStrategies } from '../../src/strategies/builtInStrategies.js';
import { barsOf, runSignals } from './recordingContext.js';

const make = (type: string, params: unknown, symbols: string[] = ['X']) => builtInStrategies[type]!.create(params, symbols);
const brief = (s: ReturnType<typeof runSignals>): string[] => s.map((x) => `${x.at} ${x.side} ${x.qty} ${x.symbol}`);

describe('bollinger_reversion', () => {
  it('buys under the lower band and sells back at the middle band', () => {
    // period 3, k 1. Bar 3: window 10,10,7 → mean 9, σ √2 ≈ 1.414, lower 7.586 > 7: buy.
    // Bar 4: window 10,7,9 → mean 8.667 ≤ 9: sell. Bar 5: 7,9,10.5 → nothing (flat, above the lower band).
    const s = runSignals(make('bollinger_reversion', { period: 3, k: 1, qty: 1 }), barsOf('X', [10, 10, 10, 7, 9, 10.5]));
    expect(brief(s)).toEqual(['3 buy 1 X', '4 sell 1 X']);
  });
});

describe('macd_trend', () => {
  // fast 2, slow 3, signal 2 (EMAs seeded with simple averages). MACD − signal by bar, computed by hand:
  // 3: 0 · 4: −0.0556 · 5: −0.0648 · 6: −0.0509 · 7: +0.0774 · 8: +0.1094 · 9: +0.0903 · 10: +0.0611 ·
  // 11: +0.0372 · 12: −0.0898 · 13: −0.1180 …
  const closes = [10, 10, 10, 10, 9, 8, 7, 8, 9, 10, 11, 12, 11, 10, 9, 8];

  it('buys when MACD crosses above its signal above the trend average, sells when it crosses back', () => {
    // Bar 7: the cross, and the close 8 is above the 3-bar average 7.667.
    const s = runSignals(make('macd_trend', { fast: 2, slow: 3, signal: 2, trend: 3, qty: 5 }), barsOf('X', closes));
    expect(brief(s)).toEqual(['7 buy 5 X', '12 sell 5 X']);
  });

  it('stays out when the close is under the trend average at the cross', () => {
    // 5-bar average at bar 7: (10 + 9 + 8 + 7 + 8) / 5 = 8.4 > 8.
    expect(runSignals(make('macd_trend', { fast: 2, slow: 3, signal: 2, trend: 5, qty: 5 }), barsOf('X', closes))).toEqual([]);
  });
});

describe('donchian_breakout', () => {
  // entry 3, exit 2, ATR 2 (Wilder), stop 1 ATR; bars ±0.5 around the close.
  it('buys a close above the 3-bar high and sells a close under the 2-bar low', () => {
    // Bar 3: 11 > 10.5 (highest high of bars 0–2): buy, ATR 1.25, stop 9.75.
    // Bar 6: 11 < 11.5 (lowest low of bars 4–5): sell.
    const s = runSignals(make('donchian_breakout', { entry: 3, exit: 2, atr: 2, atrStop: 1, qty: 1 }), barsOf('X', [10, 10, 10, 11, 12, 12.2, 11, 10.4, 9]));
    expect(brief(s)).toEqual(['3 buy 1 X', '6 sell 1 X']);
  });

  it('sells at the ATR stop before the channel breaks', () => {
    // Bar 4: 9.6 is above the 2-bar low 9.5 but under the stop 11 − 1.25 = 9.75.
    const s = runSignals(make('donchian_breakout', { entry: 3, exit: 2, atr: 2, atrStop: 1, qty: 1 }), barsOf('X', [10, 10, 10, 11, 9.6]));
    expect(brief(s)).toEqual(['3 buy 1 X', '4 sell 1 X']);
  });
});

describe('rs_rotation', () => {
  it('holds the strongest symbol by return and rotates when another takes the lead', () => {
    const a = barsOf('A', [10, 11, 12, 12, 12]);
    const b = barsOf('B', [10, 10, 10, 13, 16]);
    const bars = a.flatMap((x, i) => [x, b[i]!]);
    // lookback 2, every timestamp. Timestamp 2 (bar 5): A +20 %, B 0 %: buy A, 833 × $12 of $10,000.
    // Timestamp 3 (bar 7): A +9.1 %, B +30 %: sell A, buy B (769 × $13). Timestamp 4: B +60 % still leads.
    const s = runSignals(make('rs_rotation', { lookback: 2, rebalance: 1, top: 1, invest: 1 }, ['A', 'B']), bars);
    expect(brief(s)).toEqual(['5 buy 833 A', '7 sell 833 A', '7 buy 769 B']);
  });
});
