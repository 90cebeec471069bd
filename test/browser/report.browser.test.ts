import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer, { type Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root, runCli, scratchDir, writeConfig } from '../e2e/cli.js';
import { formatEt } from '../../src/market-data/formatEt.js';
import { findChromium } from './findChromium.js';

/** What the functions run inside the page use of it (the project's TypeScript has no DOM library). */
declare const document: { querySelector(selector: string): { textContent: string | null } | null; body: { getAttribute(name: string): string | null }; documentElement: { scrollWidth: number } };
declare const window: { innerWidth: number; reportCharts: { prices: Array<{ timeScale(): { timeToCoordinate(t: number): number | null } }> } };

const SHOTS = join(root, 'test-output', 'screenshots');
const chromium = findChromium();
if (chromium === null) {
  process.stderr.write('report browser test SKIPPED: no Chromium found (install Debian\'s chromium package, or set CHROMIUM_PATH)\n');
}

describe.skipIf(chromium === null)('the HTML backtest report in a real browser (headless Chromium), opened from disk', () => {
  let browser: Browser | null = null;
  let file = '';
  let result: {
    strategies: Array<{ id: string; symbols: string[] }>;
    trades: unknown[];
    fills: Array<{ strategy: string; symbol: string; fillTime: string; side: string; qty: number; price: number }>;
  } | null = null;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const dir = scratchDir();
    // The shipped portfolio (five strategies, twelve symbols) with breakers tight enough to trip on the sample week.
    const config = writeConfig(dir, (c) => {
      c['circuit_breakers'] = { max_drawdown_pct: 0.2, max_daily_loss_pct: 0.05, max_consecutive_losses: 2, max_trades_per_day: 6 };
    });
    const run = await runCli(['backtest', '--config', config, '--data-dir', join(root, 'data', 'eqker'), '--out', join(dir, 'r.json'), '--report', join(dir, 'report')], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    file = join(dir, 'report', 'backtest.html');
    result = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as typeof result;
    browser = await puppeteer.launch({ executablePath: chromium!, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('draws every section at 1,200 px without overflow, console errors or any request but the file itself', async () => {
    const problems: string[] = [];
    const requests: string[] = [];
    const page = await browser!.newPage();
    await page.setViewport({ width: 1200, height: 1000 });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warn') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${String(e)}`));
    await page.setRequestInterception(true);
    page.on('request', (r) => {
      requests.push(r.url());
      // Only the report itself may load: anything else is refused (and listed).
      void (r.url().startsWith('file://') ? r.continue() : r.abort());
    });
    const url = pathToFileURL(file).href;
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction(() => document.body.getAttribute('data-charts') === 'drawn', { timeout: 20_000 });

    const symbols = [...new Set(result!.strategies.flatMap((s) => s.symbols))];
    // lightweight-charts draws each chart on canvases inside its container.
    const canvases = async (sel: string): Promise<number> => page.$$eval(`${sel} canvas`, (c) => c.length);
    expect(await canvases('#chart-equity')).toBeGreaterThan(0);
    expect(await canvases('#chart-drawdown')).toBeGreaterThan(0);
    expect(await page.$$eval('#prices h3', (h) => h.map((e) => e.textContent))).toEqual([...symbols].sort());
    for (let k = 0; k < symbols.length; k++) expect(await canvases(`#chart-price-${k}`)).toBeGreaterThan(0);
    // The equity chart has two panes (account; each strategy): the legend names every strategy.
    expect(await page.$$eval('#equity .legend span > span.swatch', (s) => s.length)).toBe(1 + result!.strategies.length);

    // Tables: a column per strategy and the total; a row per month; a row per trade; the trips and refusals by rule.
    expect(await page.$$eval('table.metrics thead th', (th) => th.map((e) => e.textContent))).toEqual(['', ...result!.strategies.map((s) => s.id), 'total']);
    expect(await page.$$eval('table.metrics tbody tr', (tr) => tr.length)).toBe(14);
    expect(await page.$$eval('table.monthly tbody tr', (tr) => tr.length)).toBe(1);
    expect(await page.$$eval('table.trades tbody tr', (tr) => tr.length)).toBe(result!.trades.length);
    expect(await page.$$eval('table.trips tbody tr', (tr) => tr.length)).toBeGreaterThan(0);
    expect(await page.$$eval('table.refusals tbody tr', (tr) => tr.length)).toBeGreaterThan(0);
    expect(await page.$eval('header', (h) => h.textContent ?? '')).toMatch(/Starting cash: \$100,000\.00/);
    expect(await page.$eval('header', (h) => h.textContent ?? '')).toMatch(/Period: 2019-\d\d-\d\d \d\d:\d\d ET → 2019-\d\d-\d\d \d\d:\d\d ET/);

    // Fits 1,200 px: nothing wider than the window.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

    // The crosshair on a fill's bar names that bar's fills, each with its strategy, time (ET) and price.
    const symbol = [...symbols].sort()[0]!;
    const first = result!.fills.find((f) => f.symbol === symbol)!;
    const atFirst = result!.fills.filter((f) => f.symbol === symbol && f.fillTime === first.fillTime);
    const x = await page.evaluate((t: number) => window.reportCharts.prices[0]!.timeScale().timeToCoordinate(t), Date.parse(first.fillTime) / 1000);
    await page.$eval('#chart-price-0', (e) => (e as unknown as { scrollIntoView(): void }).scrollIntoView());
    const box = await (await page.$('#chart-price-0'))!.boundingBox();
    expect(await page.$eval('#hover-price-0', (e) => e.textContent)).toBe('Point at a marker to see its fills.');
    await page.mouse.move(box!.x + 1 + x!, box!.y + box!.height / 2, { steps: 5 });
    // The library handles the move on its next animation frame.
    await page.waitForFunction(() => document.querySelector('#hover-price-0')?.textContent !== 'Point at a marker to see its fills.', { timeout: 5_000 }).catch(() => undefined);
    expect(await page.$eval('#hover-price-0', (e) => e.textContent)).toBe(atFirst.map((f) => `${formatEt(Date.parse(f.fillTime))}: ${f.strategy} ${f.side} ${f.qty} @ $${f.price.toFixed(2)}`).join(' · '));

    await page.screenshot({ path: join(SHOTS, 'report-1200.png'), fullPage: true });
    await page.close();
    expect(problems).toEqual([]);
    expect(requests).toEqual([url]);
  }, 60_000);
});
