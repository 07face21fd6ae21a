// The review session through the library API against the loopback fake API: what each decision
// costs is counted at the API, each is in the directions file at once, the budget holds, and the
// written deck has the pictures decided.
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../../fixtures/index.js';
import { openReview, type ReviewSession } from '../../src/index.js';
import { configSchema } from '../../src/config/schema.js';
import { UsageError } from '../../src/errors.js';
import { colouredPngBase64, deckPictures, pictureIndexOf } from '../helpers/deck-pictures.js';
import { tempDir } from '../helpers/paths.js';
import { fakeApi, infomaniakEnv } from '../helpers/provider-setup.js';

const PRICING = { currency: 'CHF', perImage: 0.02, perMillionPromptTokens: 0.5, perMillionCompletionTokens: 1.5 };

async function setup(maxImages: number) {
  const api = await fakeApi({ imageBase64: colouredPngBase64 });
  const cwd = await tempDir();
  const deck = path.join(cwd, 'talk.pptx');
  await copyFile(fixtures.demo, deck);
  const session = await openReview(deck, {
    config: configSchema.parse({ pricing: PRICING }),
    cwd,
    out: 'out.pptx',
    provider: 'infomaniak',
    env: infomaniakEnv(api),
    http: { sleep: async () => undefined },
    variants: 2,
    maxImages,
  });
  let seen = { chat: 0, images: 0 };
  /** Chat and image calls since the last look. */
  const calls = () => {
    const now = { chat: api.stats.requests['chat'] ?? 0, images: api.stats.requests['images'] ?? 0 };
    const since = { chat: now.chat - seen.chat, images: now.images - seen.images };
    seen = now;
    return since;
  };
  const sidecar = async () => JSON.parse(await readFile(path.join(cwd, 'talk.illustrate.json'), 'utf8')) as unknown;
  return { api, cwd, deck, session, calls, sidecar };
}

async function slide(session: ReviewSession, n: number) {
  return (await session.state()).slides.find((s) => s.plan.number === n)!;
}

describe('openReview', () => {
  it('generate, pick a variant (free), re-roll (one image call), refuse past --max-images, skip, write', async () => {
    const { session, calls, sidecar, cwd } = await setup(4);
    const start = await session.state();
    expect(start.slides.filter((s) => s.plan.status === 'planned').map((s) => s.plan.number)).toEqual([2, 3, 4, 5]);
    // Writing now would pay for two variants of four pictures, and their prompts.
    expect(start.writeCost.images).toBe(8);
    expect(start.writeCost.promptTokens).toBeGreaterThan(0);
    expect(start.budget).toEqual({ max: 4, used: 0 });
    expect(calls()).toEqual({ chat: 0, images: 0 });

    expect(await session.act(2, { kind: 'generate' })).toEqual({ message: 'slide 2: 2 new pictures made' });
    expect(calls()).toEqual({ chat: 1, images: 1 });
    const generated = await slide(session, 2);
    expect(generated.variants).toEqual({ count: 2, chosen: 1, cached: [true, true] });
    expect(generated.costs.reroll).toEqual({ images: 2, promptTokens: 0, completionTokens: 0 });

    await session.act(2, { kind: 'variant', variant: 2 });
    expect(calls()).toEqual({ chat: 0, images: 0 });
    expect((await slide(session, 2)).variants.chosen).toBe(2);
    expect(await sidecar()).toEqual({ slides: { 'id:257': { variant: 2 } } });
    const thumb = await session.picture(2, 2);
    expect((await sharp(thumb!).metadata()).format).toBe('jpeg');

    const oldKey = (await slide(session, 2)).plan.keys?.image;
    expect(await session.act(2, { kind: 'reroll' })).toEqual({ message: 're-rolled; slide 2: 2 new pictures made' });
    expect(calls()).toEqual({ chat: 0, images: 1 });
    expect((await slide(session, 2)).plan.keys?.image).not.toBe(oldKey);
    expect(await sidecar()).toEqual({ slides: { 'id:257': { variant: 2, reroll: 1 } } });
    expect((await session.state()).budget).toEqual({ max: 4, used: 4 });
    expect((await session.state()).spent.images).toBe(4);

    // The cap is spent: the next picture is refused before any call, and so is a write that would pay.
    await expect(session.act(3, { kind: 'generate' })).rejects.toThrow(UsageError);
    await expect(session.act(3, { kind: 'generate' })).rejects.toThrow('slide 3: 2 images would go over --max-images (0 of 4 left)');
    await expect(session.write()).rejects.toThrow('writing the deck: 6 images would go over --max-images (0 of 4 left)');
    expect(calls()).toEqual({ chat: 0, images: 0 });

    await session.act(3, { kind: 'placement', placement: 'none' });
    expect((await slide(session, 3)).plan.status).toBe('skipped');
    await session.act(4, { kind: 'skip', skip: true });
    await session.act(5, { kind: 'skip', skip: true });
    expect((await session.state()).writeCost).toEqual({ images: 0, promptTokens: 0, completionTokens: 0 });
    const written = await session.write();
    expect(written.message).toBe(`written: ${path.join(cwd, 'out.pptx')} (1 picture)`);
    expect(calls()).toEqual({ chat: 0, images: 0 });
    // Slide 2 has variant 2 of its re-roll: the fake's pictures 2 and 3 came from that call.
    const pictures = await deckPictures(path.join(cwd, 'out.pptx'));
    expect(pictures.map((p) => p.slide)).toEqual([2]);
    expect(pictureIndexOf(pictures[0]!.rgb, 4)).toBe(3);
    expect(await sidecar()).toEqual({
      slides: { 'id:257': { variant: 2, reroll: 1 }, 'id:258': { placement: 'none' }, 'id:259': { skip: true }, 'id:260': { skip: true } },
    });
    // Back again: placement "none" goes with the skip.
    await session.act(3, { kind: 'skip', skip: false });
    expect((await slide(session, 3)).plan.status).toBe('planned');
    await session.close();
  }, 60_000);

  it('an edited prompt is saved even when its picture is refused, and reaches the image request verbatim', async () => {
    const { session, calls, sidecar, api } = await setup(2);
    const prompt = 'A forklift at dawn in an empty aisle';
    expect(await session.act(4, { kind: 'prompt', prompt })).toEqual({ message: 'prompt saved; slide 4: 2 new pictures made' });
    expect(calls()).toEqual({ chat: 0, images: 1 });
    expect(api.stats.imageBodies.at(-1)).toMatchObject({ prompt, n: 2 });
    await expect(session.act(5, { kind: 'prompt', prompt: 'A phone on a desk' })).rejects.toThrow(/over --max-images/);
    expect(calls()).toEqual({ chat: 0, images: 0 });
    expect(await sidecar()).toEqual({ slides: { 'id:259': { prompt }, 'id:260': { prompt: 'A phone on a desk' } } });
    const refused = await slide(session, 5);
    expect(refused.plan.prompt).toBe('A phone on a desk');
    expect(refused.variants.cached).toEqual([false, false]);
    await session.close();
  }, 60_000);

  it('shows what planning noticed: a directions entry that names no slide of the deck', async () => {
    const cwd = await tempDir();
    const deck = path.join(cwd, 'talk.pptx');
    await copyFile(fixtures.demo, deck);
    await writeFile(path.join(cwd, 'talk.illustrate.json'), '{ "slides": { "id:999": { "skip": true } } }');
    const session = await openReview(deck, { config: configSchema.parse({}), cwd, provider: 'offline', env: {} });
    const { warnings } = await session.state();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('id:999');
    await session.close();
  });
});
