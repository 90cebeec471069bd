import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MainProcess } from '../../drill/processes.js';
import { root, scratchDir, spawnCli, writeConfig } from '../e2e/cli.js';
import { findChromium } from './findChromium.js';

/** What the functions run inside the page use of it (the project's TypeScript has no DOM library). */
declare const document: {
  querySelector(selector: string): { textContent: string | null; click(): void } | null;
  querySelectorAll(selector: string): { length: number };
};

const TOKEN = 'browser-test-token-0123456789';
const SHOTS = join(root, 'test-output', 'screenshots');
const chromium = findChromium();
if (chromium === null) {
  process.stderr.write('dashboard browser test SKIPPED: no Chromium found (install Debian\'s chromium package, or set CHROMIUM_PATH)\n');
}

/** The dashboard's address, from the daemon's log line (it listens on a free port). */
async function dashboardUrl(logFile: string, ms: number): Promise<string> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    let text = '';
    try {
      text = readFileSync(logFile, 'utf8');
    } catch {
      // not written yet
    }
    for (const line of text.split('\n')) {
      if (!line.includes('"component":"dashboard"')) continue;
      const url = (JSON.parse(line) as { url?: string }).url;
      if (url !== undefined) return url;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the daemon did not log its dashboard address within ${ms} ms`);
}

const fillCount = (page: Page): Promise<number> => page.$eval('#fill-count', (e) => Number.parseInt(e.textContent ?? '', 10));

describe.skipIf(chromium === null)('the dashboard in a real browser (headless Chromium), against a running offline daemon', () => {
  let daemon: { child: MainProcess['child']; result: Promise<unknown> } | null = null;
  let browser: Browser | null = null;
  let base = '';
  const problems: string[] = [];
  const elsewhere: string[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const dir = scratchDir();
    const config = writeConfig(dir, (c) => {
      // Five sample days in about a minute: fills keep coming while the page is watched.
      c.sim.speed = 2000;
      c['circuit_breakers'] = { max_drawdown_pct: 0.9, max_daily_loss_pct: 0.9, max_consecutive_losses: 1000, max_trades_per_day: 1000 };
    });
    daemon = spawnCli(['start', '--config', config, '--duration', '120'], dir, { DASHBOARD_TOKEN: TOKEN });
    base = await dashboardUrl(join(dir, 'logs', 'paper_engine.log'), 60_000);
    browser = await puppeteer.launch({ executablePath: chromium!, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    daemon?.child.kill('SIGTERM');
    await daemon?.result;
  }, 60_000);

  const open = async (width: number): Promise<Page> => {
    const page = await browser!.newPage();
    await page.setViewport({ width, height: 1100 });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warn') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${String(e)}`));
    page.on('request', (r) => {
      if (!r.url().startsWith(base)) elsewhere.push(r.url());
    });
    await page.goto(base, { waitUntil: 'load' });
    return page;
  };

  it('shows the account and the strategies, and updates by itself when fills happen', async () => {
    const page = await open(1200);
    await page.waitForFunction(() => document.querySelector('#link')?.textContent === 'live', { timeout: 30_000 });
    await page.waitForFunction(() => Number.parseInt(document.querySelector('#fill-count')?.textContent ?? '', 10) > 0, { timeout: 60_000 });
    const first = await fillCount(page);
    const rows = await page.$$eval('#strategies-body tr', (trs) => trs.map((tr) => tr.getAttribute('data-strategy')));
    expect(rows).toEqual(['sma_fast_index', 'sma_slow_tech', 'sma_momentum', 'rsi_banks', 'rsi_fast_etf']);
    expect(await page.$eval('#health', (e) => e.textContent)).toBe('healthy');
    expect(await page.$eval('#venue', (e) => e.textContent)).toBe('offline simulation (sim)');
    expect(await page.$eval('#acct-equity', (e) => e.textContent)).toMatch(/^\$\d{1,3}(,\d{3})*\.\d\d$/);
    // Without reloading: the next fills arrive over the event stream.
    await page.waitForFunction((n: number) => Number.parseInt(document.querySelector('#fill-count')?.textContent ?? '', 10) > n, { timeout: 60_000 }, first);
    const later = await fillCount(page);
    expect(later).toBeGreaterThan(first);
    const shown = await page.$$eval('#fills-body tr', (trs) => trs.length);
    expect(shown).toBe(Math.min(50, later));
    // The live checklist's verdict per strategy (judged by the daemon from its saved record): a week of
    // simulation is not ready, and a configuration without a live section has no live plan (item 5).
    await page.waitForFunction(() => document.querySelectorAll('#readiness-body tr').length === 5, { timeout: 30_000 });
    const verdicts = await page.$$eval('#readiness-body tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    expect(verdicts.map((v) => v[0])).toEqual(['sma_fast_index', 'sma_slow_tech', 'sma_momentum', 'rsi_banks', 'rsi_fast_etf']);
    for (const v of verdicts) {
      expect(v[1]).toBe('not yet');
      expect(v[2]).toContain('5. live plan');
    }
    expect(await page.$eval('#readiness-state', (e) => e.textContent)).toMatch(/judged \d\d\/\d\d\/\d{4}, \d\d:\d\d ET \(at the start and after each close\)/);
    // One equity chart for the total and one per strategy, each with a drawn line.
    expect(await page.$$eval('#curve-total svg polyline, #curves svg polyline', (l) => l.length)).toBe(6);
    await page.screenshot({ path: join(SHOTS, 'dashboard-1200.png'), fullPage: true });
    await page.close();
  }, 150_000);

  it('pauses and resumes a strategy only with the right token and a confirmation', async () => {
    const page = await open(1400);
    await page.waitForFunction(() => document.querySelectorAll('#strategies-body tr button').length === 5, { timeout: 30_000 });
    const dialogs: string[] = [];
    let accept = false;
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void (accept ? d.accept() : d.dismiss());
    });
    const button = '#strategies-body tr[data-strategy="rsi_banks"] button';
    const result = (): Promise<string | null> => page.$eval('#control-result', (e) => e.textContent);
    // Found and clicked in one evaluation inside the page: the table is redrawn at every push, and a
    // button detached by a redraw takes the click without it reaching the page's listener. (`page.$eval`
    // is two round trips, a query then the call, so a push can land between them.)
    const click = async (): Promise<void> => {
      const found = await page.evaluate((sel: string) => {
        const b = document.querySelector(sel);
        b?.click();
        return b !== null;
      }, button);
      if (!found) throw new Error(`no ${button} to click`);
    };
    const says = async (text: string): Promise<void> => {
      try {
        await page.waitForFunction((t: string) => document.querySelector('#control-result')?.textContent === t, { timeout: 10_000 }, text);
      } catch {
        throw new Error(`the page said "${await result()}" (token field "${await page.$eval('#token', (e) => (e as unknown as { value: string }).value)}", dialogs ${JSON.stringify(dialogs)}), not "${text}"`);
      }
    };

    // A wrong token: confirmed, sent, refused.
    await page.waitForSelector('#token', { visible: true, timeout: 10_000 });
    await page.type('#token', 'not-the-token-at-all-000');
    expect(await page.$eval('#token', (e) => (e as unknown as { value: string }).value)).toBe('not-the-token-at-all-000');
    accept = true;
    await click();
    await says('wrong token');

    // The right token, but the confirmation declined: nothing is sent.
    await page.$eval('#token', (e) => ((e as unknown as { value: string }).value = ''));
    await page.type('#token', TOKEN);
    accept = false;
    await click();
    expect(await result()).toBe('Not sent.');
    expect(await page.$eval(button, (e) => e.textContent)).toBe('Pause');

    // Confirmed: paused, and the row says so after the next push.
    accept = true;
    await click();
    await says('paused: rsi_banks');
    await page.waitForFunction((sel: string) => document.querySelector(sel)?.textContent === 'Resume', { timeout: 10_000 }, button);
    const row = await page.$eval('#strategies-body tr[data-strategy="rsi_banks"]', (tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent));
    expect(row[1]).toBe('PAUSED (manual)');
    expect(row[9]).toMatch(/^PAUSED \(paused by hand \(dashboard\)\) since \d\d\/\d\d\/2019, \d\d:\d\d ET$/);
    await page.screenshot({ path: join(SHOTS, 'dashboard-paused.png'), fullPage: true });
    const metrics = await (await fetch(`${base}metrics`)).text();
    expect(metrics).toContain('paper_daemon_breaker_paused{scope="rsi_banks",rule="manual"} 1');

    await click();
    await says('resumed: rsi_banks');
    expect(dialogs).toEqual([
      'pause rsi_banks? This acts on the running daemon like npm run ctl pause rsi_banks.',
      'pause rsi_banks? This acts on the running daemon like npm run ctl pause rsi_banks.',
      'pause rsi_banks? This acts on the running daemon like npm run ctl pause rsi_banks.',
      'resume rsi_banks? This acts on the running daemon like npm run ctl resume rsi_banks.',
    ]);
    await page.close();
  }, 90_000);

  it('answers /healthz and /metrics in the browser too; no console error but the refused token, nothing fetched from elsewhere', async () => {
    const page = await browser!.newPage();
    const health = await page.goto(`${base}healthz`);
    expect(health?.status()).toBe(200);
    expect(JSON.parse(await page.$eval('body', (b) => b.textContent ?? ''))).toMatchObject({ status: 'ok', phase: 'running', broker: 'ok' });
    const metrics = await page.goto(`${base}metrics`);
    expect(metrics?.status()).toBe(200);
    const text = await page.$eval('body', (b) => b.textContent ?? '');
    expect(text).toContain('paper_daemon_up 1');
    expect(text).toMatch(/paper_daemon_fills_total\{strategy="\w+"\} [1-9]\d*/);
    await page.close();
    // The one error is the wrong token's refusal, which Chromium reports for any 401.
    expect(problems).toEqual(['error: Failed to load resource: the server responded with a status of 401 (Unauthorized)']);
    expect(elsewhere).toEqual([]);
  }, 30_000);
});
