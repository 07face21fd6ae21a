// --max-images, the cost estimate before a paid run and its confirmation, against the loopback fake API.
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../../fixtures/index.js';
import { pricedModels } from '../helpers/fake-api-data.js';
import { writeTree } from '../helpers/deck-tree.js';
import { fakeApi, infomaniakEnv } from '../helpers/provider-setup.js';
import { tempDir } from '../helpers/paths.js';
import { packageFileProblems } from '../helpers/pptx-invariants.js';
import { runCli } from '../helpers/run-cli.js';
import type { FakeApi } from '../helpers/fake-infomaniak.js';

interface RunJson {
  decks: { status: string; slides: Record<string, number>; apiCalls: { images: number } }[];
  totals: {
    slides: Record<string, number>;
    apiCalls: { prompts: number; images: number };
    tokens: { prompt: number; completion: number };
    cost: { currency: string; total: number | null; images: number | null; tokens: number | null };
  };
}

/** The CLI against `api` in `cwd`, with instant retries; `terminal` answers the question with `answer`. */
function cli(api: FakeApi, cwd: string, argv: string[], terminal?: { answer?: string }) {
  const stdin = terminal?.answer === undefined ? undefined : Readable.from([terminal.answer]);
  return runCli(argv, {
    cwd,
    env: infomaniakEnv(api),
    http: { sleep: async () => undefined },
    ...(terminal ? { terminal: { columns: 120, ...(stdin ? { stdin } : {}) } } : {}),
  });
}

const PRICES = { perImage: 0.02, perMillionInput: 0.5, perMillionOutput: 1.5 };

async function deckFolder(files: Record<string, string>): Promise<string> {
  const cwd = await tempDir();
  await writeTree(cwd, files);
  return cwd;
}

describe('--max-images', () => {
  it('holds across a batch at concurrency 8; slides past it are skipped, and a re-run continues for free where it stopped', async () => {
    const api = await fakeApi({ latencyMs: 5, jitterMs: 10 });
    const cwd = await deckFolder({ 'decks/demo.pptx': fixtures.demo, 'decks/bullets.pptx': fixtures.bullets });
    const first = await cli(api, cwd, ['decks', '--max-images', '4', '--concurrency', '8', '--json']);
    expect(first.code).toBe(0);
    const run = JSON.parse(first.stdout) as RunJson;
    expect(api.stats.requests.images).toBe(4);
    expect(run.totals.apiCalls.images).toBe(4);
    expect(run.totals.slides).toEqual({ illustrated: 4, skipped: 5, failed: 0 });
    for (const deck of ['demo', 'bullets'])
      expect(await packageFileProblems(path.join(cwd, `output/${deck}.pptx`), fixtures[deck as 'demo' | 'bullets'])).toEqual([]);

    const human = await cli(api, cwd, ['decks/demo.pptx', '--max-images', '1']);
    // The pictures already paid for come from the cache and take no slot: one new image.
    expect(api.stats.requests.images).toBe(5);
    expect(human.stdout).toMatch(/skipped: over --max-images — slides? [\d, ]+/);
    expect(await packageFileProblems(path.join(cwd, 'output/demo.pptx'), fixtures.demo)).toEqual([]);
  });

  it('an image call that reached the API and failed keeps its slot', async () => {
    const api = await fakeApi();
    const cwd = await deckFolder({ 'bullets.pptx': fixtures.bullets });
    await writeFile(path.join(cwd, 'pipeline.config.json'), JSON.stringify({ maxRetries: 0, concurrency: { image: 1 } }));
    api.failNext(500, 'images');
    const run = await cli(api, cwd, ['bullets.pptx', '--max-images', '2', '--json']);
    const json = JSON.parse(run.stdout) as RunJson;
    expect(api.stats.requests.images).toBe(2);
    expect(json.totals.slides).toEqual({ illustrated: 1, skipped: 1, failed: 1 });
    expect(run.code).toBe(1);
    expect(await packageFileProblems(path.join(cwd, 'output/bullets.pptx'), fixtures.bullets)).toEqual([]);
  });
});

describe('cost estimate before a paid run', () => {
  it('off a terminal: prints the estimate with the API prices and proceeds without asking; the summary shows the cost', async () => {
    const api = await fakeApi({ models: pricedModels(PRICES) });
    const cwd = await deckFolder({ 'bullets.pptx': fixtures.bullets });
    const run = await cli(api, cwd, ['bullets.pptx']);
    expect(run.code).toBe(0);
    const [estimate] = run.stdout.split('\n');
    // 3 images at CHF 0.02, plus 3 prompts of a few hundred tokens: a little over CHF 0.06.
    expect(estimate).toMatch(
      /^Estimate: 3 pictures planned; to pay for: 3 images, 3 prompts \(about \d+ input \+ at most 600 output tokens\); cost CHF 0\.06\d$/,
    );
    expect(run.stdout).not.toContain('Proceed?');
    expect(run.stdout).toMatch(/API: 3 prompt calls \(\d+ \+ \d+ tokens\), 3 images, est\. cost CHF 0\.06\d/);
    expect(await packageFileProblems(path.join(cwd, 'output/bullets.pptx'), fixtures.bullets)).toEqual([]);

    // The same deck again: its output is as this run left it, so there is nothing to plan or pay.
    const same = await cli(api, cwd, ['bullets.pptx']);
    expect(same.stdout.split('\n')[0]).toBe(
      'Estimate: 0 pictures planned; 1 deck unchanged since the last run; to pay for: 0 images, no prompt; cost CHF 0.000',
    );
    // Its output gone: rebuilt, and everything is cached, so the estimate is zero.
    await rm(path.join(cwd, 'output/bullets.pptx'));
    const again = await cli(api, cwd, ['bullets.pptx']);
    expect(again.stdout.split('\n')[0]).toBe('Estimate: 3 pictures planned; to pay for: 0 images (3 cached), no prompt; cost CHF 0.000');
    expect(api.stats.requests.images).toBe(3);
  });

  it('--json carries the cost; config prices win over the published ones', async () => {
    const api = await fakeApi({ models: pricedModels(PRICES) });
    const cwd = await deckFolder({ 'bullets.pptx': fixtures.bullets });
    await writeFile(path.join(cwd, 'pipeline.config.json'), JSON.stringify({ pricing: { perImage: 0.1 } }));
    const run = await cli(api, cwd, ['bullets.pptx', '--json']);
    expect(run.code).toBe(0);
    const { totals } = JSON.parse(run.stdout) as RunJson;
    expect(totals.cost.currency).toBe('CHF');
    expect(totals.cost.images).toBeCloseTo(0.3, 10);
    const tokens = (totals.tokens.prompt * PRICES.perMillionInput + totals.tokens.completion * PRICES.perMillionOutput) / 1_000_000;
    expect(totals.cost.tokens).toBeCloseTo(tokens, 12);
    expect(totals.cost.total).toBeCloseTo(0.3 + tokens, 12);
    await expect(packageFileProblems(path.join(cwd, 'output/bullets.pptx'), fixtures.bullets)).resolves.toEqual([]);
  });

  it('without prices anywhere the cost is unknown, never zero', async () => {
    const api = await fakeApi();
    const cwd = await deckFolder({ 'four.pptx': fixtures.fourThree });
    const run = await cli(api, cwd, ['four.pptx', '--json']);
    expect((JSON.parse(run.stdout) as RunJson).totals.cost).toEqual({ currency: 'CHF', total: null, images: null, tokens: null });
    expect(await packageFileProblems(path.join(cwd, 'output/four.pptx'), fixtures.fourThree)).toEqual([]);
  });

  it('on a terminal: asks, and "n" (or no answer) pays for nothing and writes nothing', async () => {
    const api = await fakeApi({ models: pricedModels(PRICES) });
    const cwd = await deckFolder({ 'bullets.pptx': fixtures.bullets });
    for (const answer of ['n\n', '']) {
      const run = await cli(api, cwd, ['bullets.pptx'], { answer });
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/^Estimate: .*cost CHF 0\.06\d\nProceed\? \[y\/N\] $/);
      expect(run.stderr).toBe('slide-illustrate: not confirmed: nothing was paid for (--yes skips the question)\n');
    }
    expect(api.stats.requests.chat).toBeUndefined();
    expect(api.stats.requests.images).toBeUndefined();
    expect(existsSync(path.join(cwd, 'output'))).toBe(false);
  });

  it('on a terminal: "y" runs; --yes never asks; offline never asks', async () => {
    const api = await fakeApi({ models: pricedModels(PRICES) });
    const cwd = await deckFolder({ 'bullets.pptx': fixtures.bullets, 'four.pptx': fixtures.fourThree });
    const yes = await cli(api, cwd, ['bullets.pptx'], { answer: 'y\n' });
    expect(yes.code).toBe(0);
    expect(api.stats.requests.images).toBe(3);
    expect(await packageFileProblems(path.join(cwd, 'output/bullets.pptx'), fixtures.bullets)).toEqual([]);

    // No stdin at all: asking would cancel the run.
    const flag = await cli(api, cwd, ['four.pptx', '--yes'], {});
    expect(flag.code).toBe(0);
    expect(flag.stdout).not.toContain('Proceed?');
    expect(api.stats.requests.images).toBe(5);
    expect(await packageFileProblems(path.join(cwd, 'output/four.pptx'), fixtures.fourThree)).toEqual([]);

    const offline = await cli(api, cwd, ['four.pptx', '--provider', 'offline', '--out', 'offline/'], {});
    expect(offline.code).toBe(0);
    expect(offline.stdout).not.toMatch(/Estimate|Proceed/);
    expect(await packageFileProblems(path.join(cwd, 'offline/four.pptx'), fixtures.fourThree)).toEqual([]);
  });

  it('counts --max-images in the estimate', async () => {
    const api = await fakeApi({ models: pricedModels(PRICES) });
    const cwd = await deckFolder({ 'demo.pptx': fixtures.demo });
    const run = await cli(api, cwd, ['demo.pptx', '--max-images', '2', '--quiet'], { answer: 'n\n' });
    expect(run.code).toBe(1);
    // demo: 4 content slides planned (its cover and closing title slides are left as designed).
    expect(run.stdout).toMatch(/^Estimate: 4 pictures planned; to pay for: 2 images \(2 over --max-images\), 4 prompts/);
  });
});
