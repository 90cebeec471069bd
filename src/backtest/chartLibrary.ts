import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The charting library the HTML report inlines, with the licence notice it ships under. */
export interface ChartLibrary {
  readonly name: string;
  readonly version: string;
  /** The standalone build: defines the global `LightweightCharts`. */
  readonly script: string;
  /** The package's LICENSE file (Apache-2.0 with TradingView's copyright line). */
  readonly licence: string;
}

/**
 * TradingView's lightweight-charts (Apache-2.0), read from node_modules: resolved from this module
 * (src/ under tsx, dist/main.js in the bundle), so the report embeds whatever version is installed.
 * Its package exports only `.` and `./package.json`: the dist file is found beside the latter.
 */
export function chartLibrary(): ChartLibrary {
  const require = createRequire(import.meta.url);
  let manifest: string;
  try {
    manifest = require.resolve('lightweight-charts/package.json');
  } catch {
    throw new Error('the HTML report needs the lightweight-charts package: run npm install');
  }
  const dir = dirname(manifest);
  const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name: string; version: string };
  return {
    name: pkg.name,
    version: pkg.version,
    script: readFileSync(join(dir, 'dist', 'lightweight-charts.standalone.production.js'), 'utf8'),
    licence: readFileSync(join(dir, 'LICENSE'), 'utf8'),
  };
}
