import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../../fixtures/index.js';
import { createCacheLookup, createCachedProviders, uncachedLookup, type CacheLookup } from '../../src/cache/cached-providers.js';
import { openCacheStore } from '../../src/cache/cache-store.js';
import { defaultConfig } from '../../src/config/schema.js';
import { planDeckJobs } from '../../src/pipeline/deck-jobs.js';
import { createLimiters } from '../../src/internal/limiters.js';
import { planRun, readAhead, startPlanning } from '../../src/pipeline/plan-run.js';
import { readPresentationFile } from '../../src/pptx/read-presentation.js';
import { applyPlan } from '../../src/pipeline/run-batch.js';
import type { BatchReport } from '../../src/model/report.js';
import type { Providers } from '../../src/providers/types.js';
import { createCountingProviders } from '../helpers/counting-providers.js';
import { editSlideText, listFiles, writeTree } from '../helpers/deck-tree.js';
import { tempDir } from '../helpers/paths.js';
import { deadPid } from '../helpers/dead-pid.js';
import { packageFileProblems } from '../helpers/pptx-invariants.js';

const config = defaultConfig();

const backend = { kind: 'fake', offline: false };

// Plans the folder's decks, then applies the plan (with the cache's lookup when `providers` came from cached()).
async function illustrateFolder(
  root: string,
  providers: Providers & { lookup?: CacheLookup },
  options: { image?: number; signal?: AbortSignal } = {},
): Promise<BatchReport> {
  const { jobs } = await planDeckJobs({ inputs: ['decks'], cwd: root, outputDir: 'out', cacheDir: 'cache' });
  const limiters = createLimiters({ llm: 4, image: options.image ?? 4 });
  const planned = await planRun(jobs, config, providers.lookup ?? uncachedLookup(providers, config), { backend });
  return applyPlan(planned, { backend, providers, limiters, signal: options.signal });
}

async function cached(root: string, inner: Providers): Promise<Providers & { lookup: CacheLookup }> {
  const options = { store: await openCacheStore(path.join(root, 'cache')), config };
  return { ...createCachedProviders(inner, options), lookup: createCacheLookup(inner, options) };
}

async function expectValid(output: string, input: string): Promise<void> {
  expect(await packageFileProblems(output, input), output).toEqual([]);
}

describe('applyPlan', () => {
  it('plans with decks read ahead (a broken one fails as it would), and holds no parsed deck after its run', async () => {
    const root = await tempDir();
    await writeTree(root, {
      'decks/a/bullets.pptx': fixtures.bullets,
      'decks/broken.pptx': Buffer.from('PK\x03\x04 truncated'),
      'decks/z/four.pptx': fixtures.fourThree,
    });
    const { jobs } = await planDeckJobs({ inputs: ['decks'], cwd: root, outputDir: 'out', cacheDir: 'cache' });
    // Read ahead, then the files change: only reads already under way can give these decks.
    const read = readAhead(jobs.slice(0, 2).map((j) => j.input));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await writeTree(root, { 'decks/a/bullets.pptx': Buffer.from('not a deck any more'), 'decks/broken.pptx': fixtures.bullets });
    const providers = createCountingProviders();
    const planned = await planRun(jobs, config, uncachedLookup(providers, config), { backend, read });
    expect(planned.presentations.size).toBe(2);
    const batch = await applyPlan(planned, { backend, providers, limiters: createLimiters({ llm: 4, image: 4 }) });
    expect(batch.decks.map((d) => [path.relative(root, d.input), d.status])).toEqual([
      ['decks/a/bullets.pptx', 'ok'],
      ['decks/broken.pptx', 'refused'],
      ['decks/z/four.pptx', 'ok'],
    ]);
    expect(planned.presentations.size).toBe(0);
  });

  it('applies a plan being made deck by deck: the first deck is written before the last is read, and each is read once', async () => {
    const root = await tempDir();
    const files = Object.fromEntries([1, 2, 3, 4, 5, 6, 7, 8].map((n) => [`decks/${n}.pptx`, fixtures.bullets]));
    await writeTree(root, files);
    const { jobs } = await planDeckJobs({ inputs: ['decks'], cwd: root, outputDir: 'out', cacheDir: 'cache' });
    const reads: string[] = [];
    const read = (input: string) => {
      reads.push(input);
      return readPresentationFile(input);
    };
    const providers = createCountingProviders();
    const planning = startPlanning(jobs, config, uncachedLookup(providers, config), { backend, read });
    expect(reads).toEqual([]);
    let readAtFirstDone = -1;
    const batch = await applyPlan(
      planning,
      {
        backend,
        providers,
        limiters: createLimiters({ llm: 4, image: 4 }),
        onEvent: (e) => {
          if (e.type === 'deck-done' && readAtFirstDone < 0) readAtFirstDone = reads.length;
        },
      },
      { deckConcurrency: 1 },
    );
    expect(batch.totals.decks.ok).toBe(8);
    // One deck applied at a time, with the next three read ahead: never all eight held at once.
    expect(readAtFirstDone).toBeLessThanOrEqual(4);
    expect([...reads].sort()).toEqual(jobs.map((j) => j.input).sort());
    expect(planning.presentations.size).toBe(0);
  });

  it('isolates a broken deck: the good ones are written and valid, the broken one is reported', async () => {
    const root = await tempDir();
    await writeTree(root, {
      'decks/a/bullets.pptx': fixtures.bullets,
      'decks/broken.pptx': Buffer.from('PK\x03\x04 truncated'),
      'decks/z/four.pptx': fixtures.fourThree,
    });
    const batch = await illustrateFolder(root, createCountingProviders());
    expect(batch.decks.map((d) => [path.relative(root, d.input), d.status])).toEqual([
      ['decks/a/bullets.pptx', 'ok'],
      ['decks/broken.pptx', 'refused'],
      ['decks/z/four.pptx', 'ok'],
    ]);
    expect(batch.decks[1]!.error).toMatch(/broken\.pptx/);
    expect(batch.totals.decks).toMatchObject({ ok: 2, refused: 1 });
    expect(batch.totals.slides.illustrated).toBe(5);
    await expectValid(path.join(root, 'out/a/bullets.pptx'), fixtures.bullets);
    await expectValid(path.join(root, 'out/z/four.pptx'), fixtures.fourThree);
    expect(await listFiles(path.join(root, 'out'))).toEqual(['a/bullets.pptx', 'z/four.pptx']);
  });

  it('shares one image limiter across decks, and keeps it full with slides of several decks', async () => {
    const root = await tempDir();
    await writeTree(root, { 'decks/1.pptx': fixtures.fourThree, 'decks/2.pptx': fixtures.fourThree, 'decks/3.pptx': fixtures.fourThree });
    const backend = createCountingProviders({ imageDelayMs: 150 });
    const batch = await illustrateFolder(root, backend, { image: 4 });
    expect(batch.totals.decks.ok).toBe(3);
    // Two slides per deck: only slides of more than one deck can fill four slots, and never more than four.
    expect(backend.maxImagesInFlight).toBe(4);
  });

  it('counts paid calls only for misses: a re-run over unchanged decks makes none', async () => {
    const root = await tempDir();
    await writeTree(root, { 'decks/bullets.pptx': fixtures.bullets, 'decks/four.pptx': fixtures.fourThree });
    const first = createCountingProviders();
    const one = await illustrateFolder(root, await cached(root, first));
    expect(first.calls).toEqual({ prompts: 5, images: 5 });
    expect(one.totals.usage).toMatchObject({ llmCalls: 5, images: 5, promptTokens: 50, completionTokens: 25 });
    expect(one.totals.cacheHits).toEqual({ prompts: 0, images: 0 });

    const second = createCountingProviders();
    const two = await illustrateFolder(root, await cached(root, second));
    expect(second.calls).toEqual({ prompts: 0, images: 0 });
    expect(two.totals.usage).toMatchObject({ llmCalls: 0, images: 0, promptTokens: 0 });
    expect(two.totals.cacheHits).toEqual({ prompts: 5, images: 5 });
    expect(two.decks.flatMap((d) => d.slides).every((s) => s.cached?.prompt && s.cached.image)).toBe(true);
    await expectValid(path.join(root, 'out/bullets.pptx'), fixtures.bullets);
  });

  it("editing one slide's text costs exactly one prompt and one image", async () => {
    const root = await tempDir();
    await writeTree(root, { 'decks/bullets.pptx': fixtures.bullets, 'decks/four.pptx': fixtures.fourThree });
    await illustrateFolder(root, await cached(root, createCountingProviders()));
    await editSlideText(
      path.join(root, 'decks/bullets.pptx'),
      2,
      'Ask questions that uncover real needs',
      'Ask questions that reveal hidden budgets',
    );
    const backend = createCountingProviders();
    const batch = await illustrateFolder(root, await cached(root, backend));
    expect(backend.calls).toEqual({ prompts: 1, images: 1 });
    expect(batch.totals.usage).toMatchObject({ llmCalls: 1, images: 1 });
    const edited = batch.decks.find((d) => d.input.endsWith('bullets.pptx'))!;
    expect(edited.slides.map((s) => [s.number, s.cached])).toEqual([
      [1, { prompt: true, image: true }],
      [2, { prompt: false, image: false }],
      [3, { prompt: true, image: true }],
    ]);
    expect(edited.slides[1]!.prompt).toMatch(/reveal hidden budgets/);
    await expectValid(path.join(root, 'out/bullets.pptx'), path.join(root, 'decks/bullets.pptx'));
  });

  it('a slide whose image fails is retried on the next run, and only that slide is paid again', async () => {
    const root = await tempDir();
    await writeTree(root, { 'decks/bullets.pptx': fixtures.bullets });
    const failing = createCountingProviders({ failImagesFor: 'Ask questions' });
    const one = await illustrateFolder(root, await cached(root, failing));
    expect(one.decks[0]!.status).toBe('partial');
    const backend = createCountingProviders();
    const two = await illustrateFolder(root, await cached(root, backend));
    expect(two.decks[0]!.status).toBe('ok');
    expect(backend.calls).toEqual({ prompts: 0, images: 1 });
  });

  it('an abort stops the batch, settles the decks already started, and leaves no partial output', async () => {
    const root = await tempDir();
    await writeTree(root, {
      'decks/1.pptx': fixtures.bullets,
      'decks/2.pptx': fixtures.bullets,
      'decks/3.pptx': fixtures.bullets,
      'decks/4.pptx': fixtures.bullets,
    });
    const controller = new AbortController();
    const backend = createCountingProviders({ imageDelayMs: 200 });
    setTimeout(() => controller.abort(), 300);
    await expect(illustrateFolder(root, backend, { image: 2, signal: controller.signal })).rejects.toThrow();
    // Work queued after the abort never starts; nothing half-written remains.
    expect(backend.calls.images).toBeLessThan(12);
    const left = await listFiles(path.join(root, 'out'));
    expect(left.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    for (const f of left) await expectValid(path.join(root, 'out', f), fixtures.bullets);
  });

  it("clears a dead writer's temp file from the output folder, unless told not to (queue workers on several hosts)", async () => {
    const root = await tempDir();
    await writeTree(root, { 'decks/1.pptx': fixtures.bullets });
    const temp = `.other.pptx.${deadPid()}.0badc0de.tmp`;
    const run = async (clearStaleTemps: boolean | undefined) => {
      await writeTree(root, { [`out/${temp}`]: Buffer.from('half a deck') });
      const { jobs } = await planDeckJobs({ inputs: ['decks'], cwd: root, outputDir: 'out', cacheDir: 'cache' });
      const providers = createCountingProviders();
      const planned = await planRun(jobs, config, uncachedLookup(providers, config), { backend });
      const limiters = createLimiters({ llm: 4, image: 4 });
      await applyPlan(planned, { backend, providers, limiters }, { clearStaleTemps });
      return listFiles(path.join(root, 'out'));
    };
    expect(await run(false)).toContain(temp);
    expect(await run(undefined)).not.toContain(temp);
  });
});
