// The HTML report opened in a real headless Chromium: it renders, every thumbnail loads, failures
// are visible, nothing is fetched from anywhere, and the token never appears.
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtures } from '../../fixtures/index.js';
import { defaultConfig } from '../../src/config/schema.js';
import { estimateCost, formatCost, resolvePrices } from '../../src/model/cost.js';
import { emptyUsage, totalBatch, type DeckReport, type SlideReport } from '../../src/model/report.js';
import { writeReport } from '../../src/report/write-report.js';
import { launchChromium } from '../helpers/browser.js';
import { tempDir } from '../helpers/paths.js';
import { packageFileProblems } from '../helpers/pptx-invariants.js';
import { fakeApi, infomaniakEnv } from '../helpers/provider-setup.js';
import { runCli } from '../helpers/run-cli.js';

/** Set to keep the screenshots (to look at them); by default they go to the test's temp folder. */
const SHOTS = process.env['REPORT_SCREENSHOT_DIR'];

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

interface Opened {
  page: Page;
  /** URLs the page asked for other than itself (must stay empty). */
  requests: string[];
  /** Messages from the console (CSP violations land here). */
  console: string[];
}

async function open(file: string): Promise<Opened> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const url = pathToFileURL(file).href;
  const requests: string[] = [];
  const console: string[] = [];
  page.on('request', (r) => void (r.url() !== url && !r.url().startsWith('data:') && requests.push(r.url())));
  page.on('console', (m) => void console.push(m.text()));
  await page.goto(url, { waitUntil: 'load' });
  return { page, requests, console };
}

/** Every <img> finished loading and decoded to real pixels. */
async function imageStates(page: Page): Promise<{ complete: boolean; width: number; src: string }[]> {
  return page.$$eval('img', (imgs) => imgs.map((i) => ({ complete: i.complete, width: i.naturalWidth, src: i.src.slice(0, 23) })));
}

/** The number shown on a totals tile. */
function tileValue(page: Page, label: string): Promise<string> {
  return page
    .locator('.tile')
    .filter({ has: page.locator('.tile-label', { hasText: new RegExp(`^${label}$`) }) })
    .locator('.tile-value')
    .innerText();
}

async function copyDecks(cwd: string, names: (keyof typeof fixtures)[]): Promise<string[]> {
  return Promise.all(
    names.map(async (name) => {
      const file = path.join(cwd, `${name}.pptx`);
      await copyFile(fixtures[name], file);
      return file;
    }),
  );
}

describe('--report in headless Chromium', () => {
  it('renders a contact sheet of two decks: a card per slide, every thumbnail loads, nothing fetched', async () => {
    const cwd = await tempDir();
    await copyDecks(cwd, ['demo', 'emptyAndHidden']);
    const r = await runCli(['demo.pptx', 'emptyAndHidden.pptx', '--report', 'reports/run.html'], { cwd });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('report: reports/run.html');
    for (const name of ['demo', 'emptyAndHidden'] as const)
      expect(await packageFileProblems(path.join(cwd, `output/${name}.pptx`), fixtures[name])).toEqual([]);

    const { page, requests, console } = await open(path.join(cwd, 'reports/run.html'));
    expect(await page.title()).toMatch(/^slide-illustrate: report \(2 decks, 10 slides\)$/);
    expect(await page.locator('h1').innerText()).toBe('Illustration report');
    expect(await page.locator('section.deck').count()).toBe(2);
    expect(await page.locator('section.deck').first().locator('article.card').count()).toBe(6);
    expect(await page.locator('section.deck').nth(1).locator('article.card').count()).toBe(4);
    expect(await page.locator('h3.slide-title', { hasText: 'Onboarding: Working Safely in the Warehouse' }).isVisible()).toBe(true);
    // demo: 4 illustrated, its cover and closing title slides left as designed; empty-and-hidden: 2 illustrated,
    // an empty and a hidden slide skipped.
    const images = await imageStates(page);
    expect(images).toHaveLength(6);
    for (const img of images) expect(img).toEqual({ complete: true, width: expect.any(Number) as number, src: 'data:image/jpeg;base64,' });
    expect(images.every((i) => i.width > 0 && i.width <= 320)).toBe(true);
    const titleSkip = 'Skipped: title slide: no room for a side panel or a band; left as designed';
    expect(await page.locator('.reason.skip').allInnerTexts()).toEqual([titleSkip, titleSkip, 'Skipped: no text', 'Skipped: hidden slide']);
    expect(await tileValue(page, 'Decks')).toBe('2');
    expect(requests).toEqual([]);
    expect(console).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS ?? cwd, 'report-offline.png'), fullPage: true });
  });

  it('shows an API failure with its reason, written even though the run failed, without the token', async () => {
    const cwd = await tempDir();
    await copyDecks(cwd, ['bullets', 'fourThree']);
    const pricing = { currency: 'CHF', perImage: 0.02, perMillionPromptTokens: 0.5, perMillionCompletionTokens: 1.5 };
    await writeFile(path.join(cwd, 'pipeline.config.json'), JSON.stringify({ pricing }));
    // The server quotes the Authorization header back in its error, as careless ones do.
    const api = await fakeApi({ echoAuthorization: true });
    api.failNext(400, 'images');
    const r = await runCli(['bullets.pptx', 'fourThree.pptx', '--report', 'run.html', '--json'], {
      cwd,
      env: infomaniakEnv(api),
      http: { sleep: async () => undefined },
    });
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout) as {
      totals: {
        slides: Record<string, number>;
        apiCalls: { prompts: number; images: number };
        tokens: { prompt: number; completion: number };
      };
    };
    expect(json.totals.slides).toEqual({ illustrated: 4, skipped: 0, failed: 1 });

    const html = await readFile(path.join(cwd, 'run.html'), 'utf8');
    expect(html).not.toContain(api.token);
    const { page, requests, console } = await open(path.join(cwd, 'run.html'));
    expect(await page.locator('article.card').count()).toBe(5);
    const failure = page.locator('.card.st-failed .reason.fail');
    expect(await failure.count()).toBe(1);
    expect(await failure.isVisible()).toBe(true);
    expect(await failure.innerText()).toMatch(
      /^Failed: POST \/1\/ai\/\d+\/openai\/images\/generations: 400 .*Authorization: Bearer \[redacted\]/,
    );
    expect(await page.locator('section.failures').innerText()).toMatch(/1 failure\s+(bullets|fourThree)\.pptx, slide \d: POST/);
    const images = await imageStates(page);
    expect(images).toHaveLength(4);
    expect(images.every((i) => i.complete && i.width > 0)).toBe(true);
    // Totals agree with the run's own JSON summary.
    const t = json.totals;
    expect(await tileValue(page, 'API calls')).toBe(String(t.apiCalls.prompts + t.apiCalls.images));
    expect(await tileValue(page, 'Tokens')).toBe((t.tokens.prompt + t.tokens.completion).toLocaleString('en-US'));
    expect(await tileValue(page, 'Images generated')).toBe(String(t.apiCalls.images));
    const usage = { images: t.apiCalls.images, promptTokens: t.tokens.prompt, completionTokens: t.tokens.completion };
    expect(await tileValue(page, 'Estimated cost')).toBe(formatCost(estimateCost(usage, resolvePrices(pricing))));
    expect(requests).toEqual([]);
    expect(console).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS ?? cwd, 'report-failure.png'), fullPage: true });
  });

  it('slide text is text: a <script> in a title neither runs nor becomes markup', async () => {
    const cwd = await tempDir();
    const evil = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">';
    const slide: SlideReport = {
      number: 1,
      status: 'failed',
      reason: evil,
      title: evil,
      text: { title: evil, body: evil, notes: '' },
      prompt: evil,
    };
    const deck: DeckReport = {
      input: path.join(cwd, `${evil}.pptx`),
      output: undefined,
      status: 'failed',
      error: evil,
      slides: [slide],
      usage: emptyUsage(),
      warnings: [evil],
      ms: 1,
    };
    const file = path.join(cwd, 'evil.html');
    await writeReport(file, {
      batch: { decks: [deck], totals: totalBatch([deck]), ms: 1 },
      prices: resolvePrices(defaultConfig().pricing),
      provider: { kind: 'offline', offline: true },
      cwd,
    });
    const { page, requests } = await open(file);
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.evaluate('typeof window.pwned')).toBe('undefined');
    expect(await page.locator('h3.slide-title').innerText()).toBe(evil);
    expect(await page.locator('.reason.fail').innerText()).toBe(`Failed: ${evil}`);
    expect(requests).toEqual([]);
  });
});
