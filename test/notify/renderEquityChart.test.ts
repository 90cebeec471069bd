import { describe, expect, it } from 'vitest';
import { renderEquityChart } from '../../src/notify/chart/renderEquityChart.js';
import { decodePng } from './decodePng.js';

describe('renderEquityChart', () => {
  it('draws an 800 × 400 truecolour PNG that decodes, with the curve in blue', () => {
    const points = Array.from({ length: 50 }, (_, i) => ({ time: i, equity: 100_000 + Math.sin(i / 5) * 500 }));
    const img = decodePng(renderEquityChart(points, 100_000));
    expect([img.width, img.height, img.bitDepth, img.colorType, img.raw.length]).toEqual([800, 400, 8, 2, (800 * 3 + 1) * 400]);
    let blue = 0;
    for (let y = 0; y < 400; y++) {
      const row = img.raw.subarray(y * 2401 + 1, (y + 1) * 2401);
      for (let x = 0; x < 800; x++) if (row[x * 3] === 30 && row[x * 3 + 1] === 90 && row[x * 3 + 2] === 200) blue++;
    }
    expect(blue).toBeGreaterThan(760);
  });
});
