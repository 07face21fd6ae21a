import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../../fixtures/index.js';
import type { CacheLookup } from '../../src/cache/cached-providers.js';
import { defaultConfig } from '../../src/config/schema.js';
import { parseRunPlan, RUN_PLAN_VERSION } from '../../src/model/run-plan.js';
import { planRun, readAhead, takePresentation } from '../../src/pipeline/plan-run.js';
import { readPresentationFile } from '../../src/pptx/read-presentation.js';
import type { ImageRequest, PromptRequest } from '../../src/providers/types.js';
import { writeTree } from '../helpers/deck-tree.js';
import { tempDir } from '../helpers/paths.js';

const config = defaultConfig();
const backend = { kind: 'fake', offline: false };

/** A cache holding the prompt of slide 1 and the image of slide 2's prompt (slide 2's prompt too). */
function fakeCache(): CacheLookup {
  const prompts = new Map([
    [1, 'a cached prompt for slide one'],
    [2, 'a cached prompt for slide two'],
  ]);
  return {
    promptKey: (req: PromptRequest) => `prompt-${req.slideNumber}`,
    imageKey: (req: ImageRequest) => `image-${req.prompt}`,
    prompt: async (req) => prompts.get(req.slideNumber),
    isImageCached: async (req) => req.prompt === prompts.get(2),
  };
}

describe('planRun', () => {
  it('plans every slide with its box, prompt request, cache keys, what is paid and what it would cost', async () => {
    const out = await tempDir();
    const { plan, presentations } = await planRun([{ input: fixtures.bullets, output: path.join(out, 'b.pptx') }], config, fakeCache(), {
      backend,
    });
    expect(plan.version).toBe(RUN_PLAN_VERSION);
    expect(plan.backend).toEqual(backend);
    const deck = plan.decks[0]!;
    expect(deck).toMatchObject({ status: 'planned', slideSize: { cx: 12_192_000, cy: 6_858_000 } });
    const [one, two] = ['image-a cached prompt for slide one', 'image-a cached prompt for slide two'];
    expect(deck.slides.map((s) => [s.number, s.status, s.paid, s.cost?.images, s.keys])).toEqual([
      [1, 'planned', { prompt: true, image: false, variants: [false] }, 1, { prompt: 'prompt-1', image: one, variants: [one] }],
      [2, 'planned', { prompt: true, image: true, variants: [true] }, 0, { prompt: 'prompt-2', image: two, variants: [two] }],
      [3, 'planned', { prompt: false, image: false }, 1, { prompt: 'prompt-3' }],
    ]);
    const pres = presentations.get(fixtures.bullets)!;
    for (const s of deck.slides) {
      expect(s.slideId).toMatch(/^\d+$/);
      expect(s.part).toBe(pres.slides[s.number - 1]!.part);
      expect(s.promptRequest).toMatchObject({ slideNumber: s.number, deckTitle: pres.title, slide: pres.slides[s.number - 1]!.text });
      expect(s.box!.cx).toBeGreaterThan(0);
    }
    // Only the uncached prompt has tokens to pay for: input from its text, output up to maxTokens.
    expect(deck.slides[2]!.cost!.promptTokens).toBeGreaterThan(10);
    expect(deck.slides[2]!.cost!.completionTokens).toBe(config.llm.maxTokens);
    expect(plan.totals).toMatchObject({ decks: 1, planned: 3, prompts: { cached: 2, toWrite: 1 }, images: { cached: 1, toGenerate: 2 } });
  });

  it('is plain JSON: the plan survives a round trip unchanged, and another version is refused', async () => {
    const { plan } = await planRun([{ input: fixtures.demo, output: path.join(await tempDir(), 'd.pptx') }], config, fakeCache(), {
      backend,
    });
    expect(parseRunPlan(JSON.stringify(plan))).toEqual(plan);
    expect(() => parseRunPlan(JSON.stringify({ ...plan, version: 1 }))).toThrow(/version 2/);
  });

  it('puts decks it cannot take in the plan as refused or failed, without holding them', async () => {
    const root = await tempDir();
    await writeTree(root, { 'broken.pptx': Buffer.from('PK\x03\x04 truncated'), 'same.pptx': fixtures.bullets });
    const same = path.join(root, 'same.pptx');
    const { plan, presentations } = await planRun(
      [
        { input: path.join(root, 'broken.pptx'), output: path.join(root, 'out.pptx') },
        { input: same, output: same },
      ],
      config,
      fakeCache(),
      { backend },
    );
    expect(plan.decks.map((d) => [d.status, d.slides.length])).toEqual([
      ['refused', 0],
      ['refused', 0],
    ]);
    expect(plan.decks[0]!.error).toMatch(/broken\.pptx/);
    expect(plan.decks[1]!.error).toMatch(/would overwrite the input/);
    expect(plan.totals.unreadable).toBe(2);
    expect(presentations.size).toBe(0);
  });

  it('reads each deck once, whether read ahead or on demand, and hands each parsed deck over once', async () => {
    const counted = new Map<string, number>();
    const read = (input: string) => {
      counted.set(input, (counted.get(input) ?? 0) + 1);
      return readPresentationFile(input);
    };
    const out = await tempDir();
    const jobs = [fixtures.bullets, fixtures.fourThree, fixtures.demo].map((input) => ({
      input,
      output: path.join(out, path.basename(input)),
    }));
    const planned = await planRun(jobs, config, fakeCache(), { backend, read: readAhead([fixtures.bullets], read) });
    expect([...counted.values()]).toEqual([1, 1, 1]);
    expect(takePresentation(planned, fixtures.demo)?.file).toBe(fixtures.demo);
    expect(takePresentation(planned, fixtures.demo)).toBeUndefined();
  });
});

describe('planRun directions', () => {
  /** The fake cache, with image keys that show the whole request. */
  const requestKeyed: CacheLookup = { ...fakeCache(), imageKey: (req: ImageRequest) => JSON.stringify(req) };
  const plan = (directions: Parameters<typeof planRun>[3]['directions'], cache: CacheLookup = fakeCache()) =>
    tempDir().then((out) =>
      planRun([{ input: fixtures.bullets, output: path.join(out, 'b.pptx') }], config, cache, { backend, directions }),
    );

  it('one style per deck: the theme-derived style, identical on every slide; --style over the file over the config; a slide may have its own', async () => {
    const themed = (await plan(undefined)).plan.decks[0]!;
    const styles = new Set(themed.slides.map((s) => s.promptRequest!.style));
    expect([...styles]).toEqual([themed.style]);
    expect(themed.style).toMatch(/illustration/);
    const byDeck = new Map([[fixtures.bullets, { style: 'ink wash', slides: { '2': { style: 'pencil sketch' } } }]]);
    const filed = (await plan({ byDeck })).plan.decks[0]!;
    expect([filed.style, ...filed.slides.map((s) => s.promptRequest!.style)]).toEqual([
      'ink wash',
      'ink wash',
      'pencil sketch',
      'ink wash',
    ]);
    expect((await plan({ byDeck, style: 'linocut' })).plan.decks[0]!.style).toBe('linocut');
  });

  it('a direction prompt is known at plan time: no prompt to pay, its image keyed by it; variants each have a key', async () => {
    const long = `a red kite ${'over green hills '.repeat(40)}`;
    const byDeck = new Map([
      [fixtures.bullets, { slides: { '1': { prompt: long }, 'id:258': { prompt: '  a red   kite ', variant: 2 } } }],
    ]);
    const deck = (await plan({ byDeck, variants: 3 }, requestKeyed)).plan.decks[0]!;
    const s = deck.slides[2]!;
    expect(s).toMatchObject({ promptSource: 'direction', prompt: 'a red kite', variants: 3, variant: 2, paid: { prompt: true } });
    expect(s.cost).toEqual({ images: 3, promptTokens: 0, completionTokens: 0 });
    expect(s.keys!.variants).toHaveLength(3);
    expect(s.keys!.image).toBe(s.keys!.variants![1]);
    expect(new Set(s.keys!.variants).size).toBe(3);
    // Longer than the API takes: cut at a word boundary, as the request will be.
    expect(deck.slides[0]!.prompt!.length).toBeLessThanOrEqual(400);
    expect(long.startsWith(deck.slides[0]!.prompt!.replace(/…$/, ''))).toBe(true);
    expect(deck.directionsFile).toMatch(/bullets\.illustrate\.json$/);
  });

  it('the API style: the run flag over the directions file over the config; a request names it only when it is not the configured one', async () => {
    const byDeck = new Map([[fixtures.bullets, { imageStyle: 'line_art' as const, slides: {} }]]);
    const withConfig = (apiStyle: 'line_art' | 'cinematic') => ({ ...config, image: { ...config.image, apiStyle } });
    const planWith = async (c: typeof config, directions: Parameters<typeof planRun>[3]['directions']) =>
      (await planRun([{ input: fixtures.bullets, output: path.join(await tempDir(), 'b.pptx') }], c, fakeCache(), { backend, directions }))
        .plan.decks[0]!;
    const same = await planWith(withConfig('line_art'), { byDeck });
    expect([same.imageStyle, same.slides[0]!.imageStyle]).toEqual(['line_art', undefined]);
    const other = await planWith(withConfig('cinematic'), { byDeck });
    expect([other.imageStyle, other.slides[0]!.imageStyle]).toEqual(['line_art', 'line_art']);
    const flag = await planWith(withConfig('cinematic'), { byDeck, imageStyle: 'photographic' });
    expect([flag.imageStyle, flag.slides[0]!.imageStyle]).toEqual(['photographic', 'photographic']);
  });

  it('--reroll moves a slide one generation up (a new image key), recorded for the directions file', async () => {
    const byDeck = new Map([[fixtures.bullets, { slides: { '1': { reroll: 2 } } }]]);
    const deck = (await plan({ byDeck, reroll: [1, 2] }, requestKeyed)).plan.decks[0]!;
    expect(deck.slides.map((s) => [s.reroll, s.rerolled, s.direction])).toEqual([
      [3, true, { reroll: 3 }],
      [1, true, { reroll: 1 }],
      [undefined, undefined, undefined],
    ]);
    expect(JSON.parse(deck.slides[0]!.keys!.image!)).toMatchObject({ reroll: 3 });
  });
});
