import { describe, expect, it } from 'vitest';
import { LiveClock } from '../../src/core/LiveClock.js';

describe('LiveClock', () => {
  it('a timer longer than Node’s limit (2^31−1 ms, about 24.8 days: `--duration 2592000`, 30 days) waits, never fires at once', async () => {
    const clock = new LiveClock();
    let fired = 0;
    const long = clock.setTimeout(() => fired++, 30 * 86_400_000);
    const short = new Promise<void>((resolve) => clock.setTimeout(resolve, 20));
    await short;
    expect(fired).toBe(0);
    long.cancel();
  });
});
