// --dry-run: prompts written and printed with where each picture would go; no image call, no deck.
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../../fixtures/index.js';
import { TITLE_NO_ROOM } from '../../src/model/skip-reasons.js';
import { createCountingProviders } from '../helpers/counting-providers.js';
import { draftDeckFile } from '../helpers/illustrate.js';
import { writeTree } from '../helpers/deck-tree.js';
import { pricedModels } from '../helpers/fake-api-data.js';
import { fakeApi, infomaniakEnv } from '../helpers/provider-setup.js';
import { tempDir } from '../helpers/paths.js';
import { wideBodyDeck } from '../helpers/wide-body-deck.js';
import { packageFileProblems } from '../helpers/pptx-invariants.js';
import { runCli } from '../helpers/run-cli.js';

interface DryRunJson {
  dryRun: true;
  decks: {
    input: string;
    output: string;
    status: string;
    slides: {
      number: number;
      status: string;
      reason: string | null;
      prompt: string | null;
      placement: string | null;
      box: { cx: number } | null;
      imageCached: boolean;
    }[];
  }[];
  totals: {
    slides: Record<string, number>;
    apiCalls: { prompts: number; images: number };
    run: { images: { toGenerate: number; cached: number; overCap: number }; cost: { total: number | null } };
  };
}

describe('--dry-run', () => {
  it('offline: prints every prompt and where its picture would go, writes no deck, costs nothing', async () => {
    const cwd = await tempDir();
    await writeTree(cwd, { 'deck.pptx': fixtures.emptyAndHidden });
    const run = await runCli(['deck.pptx', '--dry-run'], { cwd });
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toBe('deck.pptx → output/deck.pptx (not written: dry run)');
    expect(lines).toContain('  slide 2: skipped: no text');
    expect(lines).toContain('  slide 3 "Internal only: pricing draft": skipped: hidden slide');
    const placed = lines.filter((l) =>
      /^ {2}slide \d+ "[^"]+": free area, \d+\.\d × \d+\.\d cm at \d+\.\d, \d+\.\d cm from the top left$/.test(l),
    );
    expect(placed).toHaveLength(2);
    // Each placed slide is followed by its prompt.
    for (const line of placed)
      expect(lines[lines.indexOf(line) + 1]).toMatch(/^ {4}Illustration for a slide titled ".+"\. .*No text or letters in the picture\./);
    expect(lines.at(-1)).toBe('Dry run: 2 pictures planned, 2 skipped, 0 failed in 1 deck; the real run is offline and costs nothing');
    expect(existsSync(path.join(cwd, 'output'))).toBe(false);
  });

  it('on the API: prompts written, zero image calls, and the real run then reuses those prompts', async () => {
    const api = await fakeApi({ models: pricedModels({ perImage: 0.02, perMillionInput: 0.5, perMillionOutput: 1.5 }) });
    const cwd = await tempDir();
    await writeTree(cwd, { 'decks/demo.pptx': fixtures.demo, 'decks/bullets.pptx': fixtures.bullets });
    const cli = (argv: string[]) => runCli(argv, { cwd, env: infomaniakEnv(api), http: { sleep: async () => undefined } });

    const dry = await cli(['decks', '--dry-run', '--json', '--max-images', '5']);
    expect(dry.code).toBe(0);
    expect(api.stats.requests.images).toBeUndefined();
    // demo: 4 content slides planned, its cover and closing title slides left as designed; bullets: 3.
    expect(api.stats.requests.chat).toBe(7);
    const json = JSON.parse(dry.stdout) as DryRunJson;
    expect(json.dryRun).toBe(true);
    expect(json.totals.slides).toEqual({ planned: 7, skipped: 2, failed: 0 });
    expect(json.totals.apiCalls).toEqual({ prompts: 7, images: 0 });
    expect(json.totals.run.images).toEqual({ toGenerate: 5, cached: 0, overCap: 2 });
    expect(json.totals.run.cost.total).toBeCloseTo(0.1, 10);
    const demo = json.decks.find((d) => d.input.endsWith('demo.pptx'))!;
    expect(demo.output).toBe(path.join(cwd, 'output/demo.pptx'));
    for (const s of demo.slides.filter((x) => x.number !== 1 && x.number !== 6)) {
      expect(s).toMatchObject({
        status: 'planned',
        reason: null,
        placement: 'free',
        imageCached: false,
        prompt: expect.stringMatching(/^A calm editorial illustration/),
      });
    }
    for (const n of [1, 6]) expect(demo.slides.find((x) => x.number === n)).toMatchObject({ status: 'skipped', reason: TITLE_NO_ROOM });
    expect(existsSync(path.join(cwd, 'output'))).toBe(false);

    const real = await cli(['decks', '--yes']);
    expect(real.code).toBe(0);
    // The estimate knew every prompt: only images were left to pay for.
    expect(real.stdout.split('\n')[0]).toBe('Estimate: 7 pictures planned; to pay for: 7 images, no prompt; cost CHF 0.140');
    expect(api.stats.requests.chat).toBe(7);
    expect(api.stats.requests.images).toBe(7);
    expect(await packageFileProblems(path.join(cwd, 'output/demo.pptx'), fixtures.demo)).toEqual([]);
    expect(await packageFileProblems(path.join(cwd, 'output/bullets.pptx'), fixtures.bullets)).toEqual([]);

    // The outputs are as that run left them: a dry run says both decks are up to date.
    const same = await cli(['decks', '--dry-run']);
    expect(same.stdout.trim().split('\n')).toEqual([
      '· decks/bullets.pptx: unchanged since the last run (dry run)',
      '· decks/demo.pptx: unchanged since the last run (dry run)',
      '· decks/bullets.pptx: unchanged since the last run, output/bullets.pptx is up to date (--force redoes it)',
      '· decks/demo.pptx: unchanged since the last run, output/demo.pptx is up to date (--force redoes it)',
      'Dry run: 0 pictures planned, 0 skipped, 0 failed in 2 decks (2 unchanged); the real run would pay for 0 images (0 cached), est. cost CHF 0.000',
    ]);

    // Outputs gone, the images are cached: a dry run says the real run would pay for nothing.
    await rm(path.join(cwd, 'output'), { recursive: true });
    const after = await cli(['decks', '--dry-run']);
    expect(after.stdout.trim().split('\n').at(-1)).toBe(
      'Dry run: 7 pictures planned, 2 skipped (2 for lack of room), 0 failed in 2 decks; the real run would pay for 0 images (7 cached), est. cost CHF 0.000',
    );
    expect(api.stats.requests.images).toBe(7);
  });

  it('with --variants: the chosen variant shown, the images counted per picture; a --reroll of no slide warned', async () => {
    const api = await fakeApi({ models: pricedModels({ perImage: 0.02, perMillionInput: 0.5, perMillionOutput: 1.5 }) });
    const cwd = await tempDir();
    await writeTree(cwd, { 'talk.pptx': fixtures.bullets });
    const dry = await runCli(['talk.pptx', '--dry-run', '--variants', '3', '--reroll', '7'], {
      cwd,
      env: infomaniakEnv(api),
      http: { sleep: async () => undefined },
    });
    expect(dry.code).toBe(0);
    const lines = dry.stdout.trim().split('\n');
    expect(lines.filter((l) => / {2}slide \d/.test(l)).every((l) => l.includes('(variant 1 of 3)'))).toBe(true);
    expect(lines).toContain('  warning: --reroll 7: the deck has 3 slides');
    expect(lines.at(-1)).toMatch(/the real run would pay for 9 images \(0 cached\), est\. cost CHF 0\.180$/);
    expect(api.stats.requests.images).toBeUndefined();
  });

  it("counts the slides skipped for lack of room, as the real run's summary does", async () => {
    const cwd = await tempDir();
    await writeTree(cwd, { 'wide.pptx': await wideBodyDeck(9) });
    const run = await runCli(['wide.pptx', '--dry-run'], { cwd });
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toContain('  slide 1 "Open the call with a clear purpose": skipped: no free area large enough for a picture');
    expect(lines.at(-1)).toBe(
      'Dry run: 2 pictures planned, 1 skipped (1 for lack of room), 0 failed in 1 deck; the real run is offline and costs nothing',
    );
    const json = JSON.parse((await runCli(['wide.pptx', '--dry-run', '--json'], { cwd })).stdout) as DryRunJson & {
      totals: { skippedForRoom: number };
      decks: { skippedForRoom: number }[];
    };
    expect(json.totals.skippedForRoom).toBe(1);
    expect(json.decks[0]!.skippedForRoom).toBe(1);

    // With placement "make-room" the slide is planned, and the plan says what it changes on the body.
    await writeTree(cwd, { 'mr.json': Buffer.from(JSON.stringify({ placement: 'make-room' })) });
    const made = await runCli(['wide.pptx', '--dry-run', '--config', 'mr.json'], { cwd });
    expect(made.code).toBe(0);
    expect(made.stdout).toMatch(
      /\n {2}slide 1 "Open the call with a clear purpose": beside the narrowed text, \d+\.\d × \d+\.\d cm at \d+\.\d, \d+\.\d cm from the top left; the body text narrowed to 17\.9 cm wide at \d+ % font size(, line spacing −\d+ %)?\n/,
    );
    expect(made.stdout.trim().split('\n').at(-1)).toBe(
      'Dry run: 3 pictures planned, 0 skipped, 0 failed in 1 deck; the real run is offline and costs nothing',
    );
  });

  it('refuses --report: a dry run writes no deck to report on (exit 2, one line, nothing written)', async () => {
    const cwd = await tempDir();
    await writeTree(cwd, { 'deck.pptx': fixtures.bullets });
    const run = await runCli(['deck.pptx', '--dry-run', '--report', 'run.html'], { cwd });
    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr: 'slide-illustrate: --report with --dry-run: a dry run writes no deck to report on; run without --dry-run\n',
    });
    expect(existsSync(path.join(cwd, 'run.html'))).toBe(false);
    expect(existsSync(path.join(cwd, 'output'))).toBe(false);
  });

  it('as a library call: the image provider is never called and nothing is written', async () => {
    const providers = createCountingProviders();
    const output = path.join(await tempDir(), 'never.pptx');
    const report = await draftDeckFile(fixtures.bullets, output, { providers });
    expect(providers.calls).toEqual({ prompts: 3, images: 0 });
    expect(report).toMatchObject({ status: 'ok', output: undefined });
    expect(report.slides.map((s) => [s.status, !!s.prompt, !!s.box])).toEqual([
      ['illustrated', true, true],
      ['illustrated', true, true],
      ['illustrated', true, true],
    ]);
    expect(existsSync(output)).toBe(false);
  });
});
