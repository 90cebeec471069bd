import { describe, expect, it } from 'vitest';
import { clientOrderId, runSeqOfClientOrderId, sentAfterState } from '../../src/execution/clientOrderId.js';

describe('client order ids', () => {
  it('name the strategy, the run and the sequence number; a bracket leg keeps its entry’s', () => {
    expect(clientOrderId('sma_fast', 'mwwboyu7', 27)).toBe('sma_fast-mwwboyu7-27');
    expect(runSeqOfClientOrderId('sma_fast-mwwboyu7-27-sl')).toEqual({ run: 'mwwboyu7', seq: 27 });
    expect(runSeqOfClientOrderId('Manual order 1')).toBeNull();
  });

  it('tell an order sent after a state file from one it holds', () => {
    // State file of run mwwboyu7 whose next number was 28.
    expect(sentAfterState('s-mwwboyu7-27', 'mwwboyu7', 28)).toBe(false);
    expect(sentAfterState('s-mwwboyu7-28', 'mwwboyu7', 28)).toBe(true);
    expect(sentAfterState('s-mwwboyu7-27-ts', 'mwwboyu7', 28)).toBe(false);
    // A later run (started later: a larger base-36 time), an earlier one, and an id that is not ours.
    expect(sentAfterState('s-mwwbp683-1', 'mwwboyu7', 28)).toBe(true);
    expect(sentAfterState('s-mwwbnzzz-900', 'mwwboyu7', 28)).toBe(false);
    expect(sentAfterState('3f1c9a2e-77b0-4c1e-9d2a-0a6b5c4d3e2f', 'mwwboyu7', 28)).toBe(false);
  });
});
