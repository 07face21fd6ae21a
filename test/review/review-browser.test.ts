// The review page end to end: the built CLI serves it against the loopback fake API, Debian's
// Chromium drives it (playwright-core, no downloaded browser) from the keyboard and the mouse, and
// the written deck and the API's call counts show exactly what was decided. Screenshots go to
// test-output/review/ (gitignored) for a person to look at.
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtures } from '../../fixtures/index.js';
import { launchChromium } from '../helpers/browser.js';
import { colouredPngBase64, deckPictures, pictureIndexOf } from '../helpers/deck-pictures.js';
import { repoRoot, tempDir } from '../helpers/paths.js';
import { packageFileProblems } from '../helpers/pptx-invariants.js';
import { fakeApi, infomaniakEnv } from '../helpers/provider-setup.js';
import { reviewRoutes } from '../../src/review/routes.js';
import { startReviewServer } from '../../src/review/server.js';
import { fakeSession, noRenderer } from '../helpers/review-session.js';
import { runCli, spawnBin, waitFor, type SpawnedCli } from '../helpers/run-cli.js';

const SHOTS = path.join(repoRoot, 'test-output/review');
const PRICING = { currency: 'CHF', perImage: 0.02, perMillionPromptTokens: 0.5, perMillionCompletionTokens: 1.5 };

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
  await mkdir(SHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
});

/** The review command, started like a person starts it; resolves with its URL (the first line on stdout). */
async function startReview(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ cli: SpawnedCli; url: string }> {
  const cli = spawnBin(['review', ...args], { cwd, env });
  const url = await waitFor(
    () => {
      const first = cli.stdout().split('\n');
      return first.length > 1 && first[0]!;
    },
    30_000,
    `the review URL (stderr: ${cli.stderr()})`,
  ).catch(async (error: unknown) => {
    cli.child.kill('SIGKILL');
    throw error;
  });
  return { cli, url };
}

/** Stops the review as Ctrl-C does; resolves with its exit code. */
async function stop(cli: SpawnedCli): Promise<number | NodeJS.Signals> {
  cli.child.kill('SIGINT');
  return cli.exited;
}

function raw(url: string, headers: Record<string, string>, method = 'GET'): Promise<number> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname, method, headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end(method === 'POST' ? '{"action":"skip","skip":true}' : undefined);
  });
}

/** Waits for the page's status line to say `text`, and returns it. */
async function message(page: Page, text: RegExp): Promise<string> {
  await page.locator('#message', { hasText: text }).waitFor({ timeout: 30_000 });
  return page.locator('#message').innerText();
}

/** The mean colour of what the page shows as a slide's variant (its thumbnail). */
async function thumbnailColour(page: Page, slide: number, variant: number): Promise<[number, number, number]> {
  const src = await page.locator(`#slide-${slide} button.variant[data-variant="${variant}"] img`).getAttribute('src');
  const bytes = await page.evaluate(async (u) => Array.from(new Uint8Array(await (await fetch(u)).arrayBuffer())), src!);
  const { channels } = await sharp(Buffer.from(bytes)).stats();
  return channels.slice(0, 3).map((c) => Math.round(c.mean)) as [number, number, number];
}

describe('slide-illustrate review in headless Chromium', () => {
  it('pick a variant, edit a prompt and regenerate, skip a slide, write: the deck has exactly those pictures', async () => {
    const cwd = await tempDir();
    const deck = path.join(cwd, 'talk.pptx');
    await copyFile(fixtures.demo, deck);
    await writeFile(path.join(cwd, 'pipeline.config.json'), JSON.stringify({ pricing: PRICING }));
    const api = await fakeApi({ imageBase64: colouredPngBase64 });
    const env = infomaniakEnv(api);

    // The first run pays for four prompts and two variants of each of the four pictures, in four calls.
    const first = await runCli(['talk.pptx', '--variants', '2', '--yes'], { cwd, env, http: { sleep: async () => undefined } });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(api.stats.requests).toMatchObject({ chat: 4, images: 4 });
    const before = (await deckPictures(path.join(cwd, 'output/talk.pptx'))).map((p) => p.slide);
    expect(before).toEqual([2, 3, 4, 5]);

    const { cli, url } = await startReview(['talk.pptx', '--no-open', '--variants', '2'], cwd, env);
    try {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/s\/[A-Za-z0-9_-]{32}\/$/);
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const outside: string[] = [];
      const consoleLines: string[] = [];
      page.on('request', (r) => void (!r.url().startsWith(url) && !r.url().startsWith('data:') && outside.push(r.url())));
      page.on('console', (m) => void consoleLines.push(m.text()));
      await page.goto(url);
      expect(await page.title()).toBe('Review: talk.pptx');
      expect(await page.locator('article.rcard').count()).toBe(6);
      // Every planned slide shows its chosen picture in place on the planner's drawing, and both variants.
      for (const n of [2, 3, 4, 5]) {
        expect(await page.locator(`#slide-${n} svg image.pic-in`).count()).toBe(1);
        expect(await page.locator(`#slide-${n} button.variant img`).count()).toBe(2);
      }
      await page.screenshot({ path: path.join(SHOTS, 'review-start.png'), fullPage: true });

      // Slide 2: variant 2, from the keyboard (focus, Enter); focus comes back to the control.
      const variant1 = await thumbnailColour(page, 2, 1);
      const variant2 = await thumbnailColour(page, 2, 2);
      expect(pictureIndexOf(variant1, 10)).not.toBe(pictureIndexOf(variant2, 10));
      await page.locator('#slide-2 button.variant[data-variant="2"]').focus();
      await page.keyboard.press('Enter');
      expect(await message(page, /variant 2 chosen/)).toBe('slide 2: variant 2 chosen (free: it is in the cache)');
      expect(await page.locator('#slide-2 button.variant[data-variant="2"]').getAttribute('aria-pressed')).toBe('true');
      expect(await page.evaluate("document.activeElement?.getAttribute('data-focus')")).toBe('2:variant:2');

      // Slide 3: a new prompt; the button says what it costs, and nothing is paid before "Pay".
      const prompt = 'A lighthouse on a rock in a storm, seen from the sea, in deep teal and orange';
      await page.locator('#prompt-3').fill(prompt);
      expect(await page.locator('#slide-3 .prompt-form .cost').innerText()).toBe('2 images, CHF 0.040');
      // Ctrl+Enter in the prompt is the button's shortcut: it asks first, like the button.
      await page.locator('#prompt-3').press('Control+Enter');
      const confirm = page.locator('#slide-3 .confirm');
      expect(await confirm.locator('p').innerText()).toBe('Regenerate from this prompt pays for 2 images, CHF 0.040.');
      expect(api.stats.requests['images']).toBe(4);
      await page.screenshot({ path: path.join(SHOTS, 'review-confirm.png') });
      await confirm.getByRole('button', { name: 'Pay and go on' }).click();
      expect(await message(page, /prompt saved/)).toBe('prompt saved; slide 3: 2 new pictures made');
      expect(await page.locator('#prompt-3').inputValue()).toBe(prompt);

      // Slide 4: skipped.
      await page.locator('#slide-4').getByRole('button', { name: 'Skip slide' }).click();
      expect(await message(page, /slide 4/)).toBe('slide 4: skipped: the deck keeps it as it is');
      expect(await page.locator('#slide-4 .badge.st-skipped').count()).toBe(1);

      // Each decision is in the directions file already.
      expect(JSON.parse(await readFile(path.join(cwd, 'talk.illustrate.json'), 'utf8'))).toEqual({
        slides: { 'id:257': { variant: 2 }, 'id:258': { prompt }, 'id:259': { skip: true } },
      });

      // "Write deck": free now (every chosen picture is cached).
      expect(await page.locator('#review-head .cost').first().innerText()).toBe('free (cached)');
      await page.getByRole('button', { name: 'Write deck' }).click();
      expect(await message(page, /written/)).toBe(`written: ${path.join(cwd, 'output/talk.pptx')} (3 pictures)`);
      await page.screenshot({ path: path.join(SHOTS, 'review-written.png'), fullPage: true });
      // LibreOffice draws the written deck beside each slide's drawing (the page reloads to show it).
      await Promise.all([
        page.waitForEvent('load', { timeout: 120_000 }),
        page.getByRole('button', { name: 'Render with LibreOffice' }).click(),
      ]);
      const drawn = page.locator('figure.lo img');
      expect(await drawn.count()).toBe(6);
      await page.waitForFunction("[...document.querySelectorAll('figure.lo img')].every((i) => i.complete && i.naturalWidth > 0)");
      expect(await drawn.first().getAttribute('alt')).toBe('Slide 1 of the written deck, drawn by LibreOffice');
      await page.screenshot({ path: path.join(SHOTS, 'review-libreoffice.png'), fullPage: true });
      expect(outside).toEqual([]);
      expect(consoleLines).toEqual([]);
      expect(await page.content()).not.toContain(api.token);

      // The review paid for one image call (two variants) and no prompt.
      expect(api.stats.requests).toMatchObject({ chat: 4, images: 5 });
      const pictures = await deckPictures(path.join(cwd, 'output/talk.pptx'));
      expect(pictures.map((p) => p.slide)).toEqual([2, 3, 5]);
      expect(pictures.find((p) => p.slide === 3)!.descr).toBe(prompt);
      // Slide 2 has the picture the page showed as its variant 2 (each picture the fake serves has its own colour).
      const slide2 = pictures.find((p) => p.slide === 2)!;
      expect(pictureIndexOf(slide2.rgb, 10)).toBe(pictureIndexOf(variant2, 10));
      // Slide 3 has the first picture of the call the review paid for (pictures 8 and 9).
      expect(pictureIndexOf(pictures.find((p) => p.slide === 3)!.rgb, 10)).toBe(8);
      expect(await packageFileProblems(path.join(cwd, 'output/talk.pptx'), deck)).toEqual([]);
    } finally {
      expect(await stop(cli)).toBe(0);
    }
    expect(cli.stdout().trim().split('\n').at(-1)).toBe('review: stopped');
  }, 120_000);

  it('refuses a wrong secret, a foreign Origin and a foreign Host with 403; the decision is not saved', async () => {
    const cwd = await tempDir();
    await copyFile(fixtures.bullets, path.join(cwd, 'talk.pptx'));
    const { cli, url } = await startReview(['talk.pptx', '--no-open', '--provider', 'offline'], cwd, {});
    try {
      const u = new URL(url);
      const host = { host: u.host };
      expect(await raw(url, host)).toBe(200);
      expect(await raw(`${u.origin}/s/not-the-secret/`, host)).toBe(403);
      expect(await raw(`${u.origin}/`, host)).toBe(403);
      expect(await raw(url, { ...host, origin: 'http://evil.example' })).toBe(403);
      expect(await raw(url, { host: `evil.example:${u.port}` })).toBe(403);
      const post = { ...host, 'content-type': 'application/json' };
      expect(await raw(`${url}api/slide/1`, { ...post, origin: 'http://evil.example' }, 'POST')).toBe(403);
      expect(await raw(`${u.origin}/s/not-the-secret/api/slide/1`, { ...post, origin: u.origin }, 'POST')).toBe(403);
      await expect(readFile(path.join(cwd, 'talk.illustrate.json'))).rejects.toThrow(/ENOENT/);
      // A page of another origin cannot read it either (the browser sends its Origin).
      const page = await browser.newPage();
      await page.goto('data:text/html,<p>another page</p>');
      const status = await page.evaluate(
        (target) =>
          fetch(`${target}api/slide/1`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"action":"accept"}' })
            .then((r) => r.status)
            .catch(() => 'blocked'),
        url,
      );
      expect(status).toBe('blocked');
      await expect(readFile(path.join(cwd, 'talk.illustrate.json'))).rejects.toThrow(/ENOENT/);
    } finally {
      expect(await stop(cli)).toBe(0);
    }
  }, 60_000);

  it('a page whose review stopped says so: no answer, then 403 from a new review on the same port', async () => {
    const first = await startReviewServer(reviewRoutes(fakeSession(), noRenderer));
    const page = await browser.newPage();
    await page.goto(first.url);
    await first.close();
    await page.locator('#slide-1').getByRole('button', { name: 'Skip slide' }).click();
    expect(await message(page, /did not answer/)).toMatch(/^The review server did not answer \(.*\): is it still running\?$/);
    const second = await startReviewServer(reviewRoutes(fakeSession(), noRenderer), { port: first.port });
    try {
      await page.locator('#slide-1').getByRole('button', { name: 'Skip slide' }).click();
      expect(await message(page, /403/)).toBe(
        'Refused (403): this page belongs to a review that has stopped; open the URL the review command printed.',
      );
    } finally {
      await second.close();
    }
  });
});
