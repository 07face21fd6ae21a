// Directions, variants and re-rolls through the library API against the loopback fake API, counting
// the calls it receives: what each costs is measured, not assumed.
import { createHash } from 'node:crypto';
import { copyFile, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../../fixtures/index.js';
import { ConfigError, illustrate, readSidecar, sidecarPath, type IllustrateOptions } from '../../src/index.js';
import type { FakeApi } from '../helpers/fake-infomaniak.js';
import { tempDir } from '../helpers/paths.js';
import { fakeApi, infomaniakEnv } from '../helpers/provider-setup.js';
import sharp from 'sharp';

/** Every picture the fake serves is its own: a flat colour drawn from its index. */
async function distinctPicture(size: string, n: number): Promise<string> {
  const [w, h] = size.split('x').map((v) => Math.round(Number(v) / 32)) as [number, number];
  const png = await sharp({ create: { width: w, height: h, channels: 3, background: { r: (n * 47) % 256, g: (n * 91) % 256, b: 120 } } })
    .png()
    .toBuffer();
  return png.toString('base64');
}

interface Setup {
  api: FakeApi;
  dir: string;
  deck: string;
  out: string;
  run(options?: IllustrateOptions): ReturnType<typeof illustrate>;
  /** Chat and image calls since the last call of `calls`. */
  calls(): { chat: number; images: number };
}

async function setup(sidecar?: unknown, deck: string = fixtures.bullets): Promise<Setup> {
  const api = await fakeApi({ imageBase64: distinctPicture });
  const dir = await tempDir();
  const input = path.join(dir, 'talk.pptx');
  await copyFile(deck, input);
  if (sidecar !== undefined) await writeFile(sidecarPath(input), JSON.stringify(sidecar));
  const out = path.join(dir, 'out.pptx');
  let seen = { chat: 0, images: 0 };
  return {
    api,
    dir,
    deck: input,
    out,
    run: (options = {}) =>
      illustrate([input], { cwd: dir, out, provider: 'infomaniak', env: infomaniakEnv(api), config: { skipSlides: [] }, ...options }),
    calls() {
      const now = { chat: api.stats.requests.chat ?? 0, images: api.stats.requests.images ?? 0 };
      const since = { chat: now.chat - seen.chat, images: now.images - seen.images };
      seen = now;
      return since;
    },
  };
}

/** sha256 of each slide's pictures in a written deck, by slide part number. */
async function picturesBySlide(deck: string): Promise<Record<number, string[]>> {
  const zip = await JSZip.loadAsync(await readFile(deck));
  const out: Record<number, string[]> = {};
  for (const name of Object.keys(zip.files)) {
    const m = /^ppt\/slides\/_rels\/slide(\d+)\.xml\.rels$/.exec(name);
    if (!m) continue;
    const rels = await zip.file(name)!.async('string');
    const targets = [...rels.matchAll(/Type="[^"]*\/image"[^>]*Target="\.\.\/media\/([^"]+)"/g)].map((t) => t[1]!);
    const hashes = await Promise.all(
      targets.map(async (t) =>
        createHash('sha256')
          .update(await zip.file(`ppt/media/${t}`)!.async('nodebuffer'))
          .digest('hex'),
      ),
    );
    out[Number(m[1])] = hashes;
  }
  return out;
}

async function editPart(deck: string, part: string, edit: (xml: string) => string): Promise<void> {
  const zip = await JSZip.loadAsync(await readFile(deck));
  zip.file(part, edit(await zip.file(part)!.async('string')));
  await writeFile(deck, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
}

const userMessages = (api: FakeApi) =>
  api.stats.chatBodies.map((b) => (b['messages'] as { role: string; content: string }[]).find((m) => m.role === 'user')?.content ?? '');

describe('directions file (talk.illustrate.json)', () => {
  it('skip: the slide is left without a picture and costs nothing', async () => {
    const s = await setup({ slides: { '2': { skip: true } } });
    const batch = await s.run();
    const slides = batch.decks[0]!.slides;
    expect(slides.map((x) => x.status)).toEqual(['illustrated', 'skipped', 'illustrated']);
    expect(slides[1]!.reason).toMatch(/direction/);
    expect(s.calls()).toEqual({ chat: 2, images: 2 });
    const pictures = await picturesBySlide(s.out);
    expect(pictures[2]).toEqual([]);
    expect(pictures[1]).toHaveLength(1);
  });

  it('prompt: no chat call for that slide, and the image request carries it verbatim', async () => {
    // 400 characters, the API's limit: sent whole, not a character cut.
    const prompt = `${`A lighthouse on a cliff in a storm at dusk${', waves breaking on black rocks'.repeat(20)}`.slice(0, 399)}.`;
    expect(prompt.length).toBe(400);
    const s = await setup({ slides: { '1': { prompt } } });
    await s.run();
    expect(s.calls()).toEqual({ chat: 2, images: 3 });
    expect(s.api.stats.imageBodies.map((b) => b['prompt'])).toContain(prompt);
    expect(userMessages(s.api).some((m) => m.includes('lighthouse'))).toBe(false);
  });

  it('subject: reaches the LLM in the user message of that slide only', async () => {
    const s = await setup({ slides: { '3': { subject: 'a red kite over green hills' } } });
    await s.run();
    const withSubject = userMessages(s.api).filter((m) => m.includes('a red kite over green hills'));
    expect(withSubject).toHaveLength(1);
    expect(withSubject[0]).toContain('Sujet');
  });

  it('an `illustrate:` notes line is a direction, never sent to the LLM as notes', async () => {
    const s = await setup();
    await editPart(s.deck, 'ppt/notesSlides/notesSlide2.xml', (xml) =>
      xml.replace(
        '<a:t></a:t>',
        '<a:t>Mention the pilot customer.</a:t></a:r></a:p><a:p><a:r><a:rPr lang="en-US"/><a:t>illustrate: a lighthouse in a storm</a:t>',
      ),
    );
    await editPart(s.deck, 'ppt/notesSlides/notesSlide3.xml', (xml) => xml.replace('<a:t></a:t>', '<a:t>illustrate: skip</a:t>'));
    const batch = await s.run();
    expect(batch.decks[0]!.slides.map((x) => x.status)).toEqual(['illustrated', 'illustrated', 'skipped']);
    // Nor shown as notes in the report: the slide texts of the run carry the notes without them.
    expect(batch.decks[0]!.slides[1]!.text!.notes).toBe('Mention the pilot customer.');
    expect(JSON.stringify(batch.decks[0]!.slides)).not.toContain('illustrate:');
    const messages = userMessages(s.api);
    expect(messages).toHaveLength(2);
    expect(messages.some((m) => m.includes('illustrate:'))).toBe(false);
    const slide2 = messages.find((m) => m.includes('lighthouse'))!;
    expect(slide2).toContain('Sujet de l’image (choisi par l’auteur, à respecter) : a lighthouse in a storm');
    expect(slide2).toContain('Mention the pilot customer.');
  });

  it('a bad directions file stops the run before any call, naming the file and the key', async () => {
    const s = await setup({ slides: { '3': { placement: 'left' } } });
    const error = await s.run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).exitCode).toBe(2);
    expect((error as Error).message).toContain(sidecarPath(s.deck));
    expect((error as Error).message).toContain('slides.3.placement');
    expect(s.calls()).toEqual({ chat: 0, images: 0 });
  });

  it('slide ids survive reordering: an `id:` entry follows its slide to its new place', async () => {
    // Slide 1 of bullets.pptx is p:sldId 256; reversed, it is slide 3.
    const s = await setup({ slides: { 'id:256': { skip: true } } });
    await editPart(s.deck, 'ppt/presentation.xml', (xml) =>
      xml.replace(/<p:sldIdLst>(.*?)<\/p:sldIdLst>/s, (_all, ids: string) => {
        const list = ids.match(/<p:sldId [^>]*\/>/g)!;
        return `<p:sldIdLst>${list.reverse().join('')}</p:sldIdLst>`;
      }),
    );
    const batch = await s.run();
    const slides = batch.decks[0]!.slides;
    expect(slides.map((x) => x.status)).toEqual(['illustrated', 'illustrated', 'skipped']);
    expect(slides[2]!.title).toBe('Open the call with a clear purpose');
  });
});

describe('one style per deck', () => {
  const styleOf = (prompt: unknown) => /Style: (.*)$/.exec(String(prompt))?.[1];

  it("by default the theme's style, the same on every slide's image prompt; style and imageStyle options replace it", async () => {
    const s = await setup();
    await s.run();
    const themed = s.api.stats.imageBodies.map((b) => styleOf(b['prompt']));
    expect(themed).toHaveLength(3);
    expect(new Set(themed).size).toBe(1);
    expect(themed[0]).toMatch(/illustration.*palette of/);
    expect(s.api.stats.imageBodies.every((b) => b['style'] === undefined)).toBe(true);

    const t = await setup();
    await t.run({ style: 'linocut print, two colours', imageStyle: 'line_art' });
    expect(t.api.stats.imageBodies.map((b) => [styleOf(b['prompt']), b['style']])).toEqual(
      Array(3).fill(['linocut print, two colours.', 'line_art']),
    );
  });
});

describe('variants', () => {
  it('n reaches the image request; switching the chosen variant costs no call and changes the picture', async () => {
    const s = await setup();
    const first = await s.run({ variants: 3 });
    expect(first.decks[0]!.status).toBe('ok');
    expect(s.calls()).toEqual({ chat: 3, images: 3 });
    expect(s.api.stats.imageBodies.map((b) => b['n'])).toEqual([3, 3, 3]);
    const before = await picturesBySlide(s.out);

    await writeFile(sidecarPath(s.deck), JSON.stringify({ slides: { 'id:256': { variant: 2 } } }));
    const second = await s.run({ variants: 3 });
    expect(second.decks[0]!.slides.every((x) => x.cached?.image && x.cached.prompt)).toBe(true);
    expect(s.calls()).toEqual({ chat: 0, images: 0 });
    const after = await picturesBySlide(s.out);
    expect(after[1]).not.toEqual(before[1]);
    expect(after[2]).toEqual(before[2]);
    expect(after[3]).toEqual(before[3]);

    // Back to variant 1: the first picture again, still free.
    await writeFile(sidecarPath(s.deck), JSON.stringify({ slides: { 'id:256': { variant: 1 } } }));
    await s.run({ variants: 3 });
    expect(s.calls()).toEqual({ chat: 0, images: 0 });
    expect((await picturesBySlide(s.out))[1]).toEqual(before[1]);
  });
});

describe('re-rolls and --slides', () => {
  it('reroll [3]: exactly one image call, a new picture for slide 3, kept by the next plain run', async () => {
    const s = await setup();
    await s.run();
    expect(s.calls()).toEqual({ chat: 3, images: 3 });
    const before = await picturesBySlide(s.out);

    await s.run({ reroll: [3] });
    expect(s.calls()).toEqual({ chat: 0, images: 1 });
    const rerolled = await picturesBySlide(s.out);
    expect(rerolled[3]).not.toEqual(before[3]);
    expect(rerolled[1]).toEqual(before[1]);
    expect(rerolled[2]).toEqual(before[2]);
    // The new generation is saved beside the deck, under the slide's id.
    expect(await readSidecar(s.deck)).toEqual({ slides: { 'id:258': { reroll: 1 } } });

    // The next plain run finds the deck as the re-roll left it (recorded with the directions file the
    // re-roll saved): nothing read, nothing paid, nothing changed.
    expect((await s.run()).decks[0]!.status).toBe('unchanged');
    expect(s.calls()).toEqual({ chat: 0, images: 0 });
    // Even with its output gone, the re-rolled picture is the one asked for, and the cache holds it.
    await rm(s.out);
    expect((await s.run()).decks[0]!.status).toBe('ok');
    expect(s.calls()).toEqual({ chat: 0, images: 0 });
    expect(await picturesBySlide(s.out)).toEqual(rerolled);
  });

  it('reprompt [2]: one chat call and one image call, for slide 2 only', async () => {
    const s = await setup();
    await s.run();
    s.calls();
    await s.run({ reprompt: [2] });
    expect(s.calls()).toEqual({ chat: 1, images: 1 });
    expect((await readSidecar(s.deck))!.slides).toEqual({ 'id:257': { reroll: 1, reprompt: 1 } });
  });

  it('a slide named by --reroll, --slides or the directions file that gets no picture is a warning, not silently nothing', async () => {
    const s = await setup({ slides: { '2': { skip: true }, '4': { skip: true }, 'id:999': { variant: 2 } } });
    const batch = await s.run({ reroll: [2, 9], slides: '1-2' });
    expect(batch.decks[0]!.warnings).toEqual([
      '--reroll 2: slide 2 is skipped (skipped by its direction (skip))',
      '--reroll 9: the deck has 3 slides',
      '--slides 2: slide 2 is skipped (skipped by its direction (skip))',
      'slides.4 in the directions file names no slide of the deck (3 slides); it is ignored',
      'slides.id:999 in the directions file names no slide of the deck (3 slides); it is ignored',
    ]);
    expect(s.calls()).toEqual({ chat: 1, images: 1 });
  });

  it('slides "2": only slide 2 is touched (calls and pictures)', async () => {
    const s = await setup();
    const batch = await s.run({ slides: '2' });
    expect(batch.decks[0]!.slides.map((x) => [x.status, x.reason])).toEqual([
      ['skipped', 'not in --slides'],
      ['illustrated', undefined],
      ['skipped', 'not in --slides'],
    ]);
    expect(s.calls()).toEqual({ chat: 1, images: 1 });
    const pictures = await picturesBySlide(s.out);
    expect([pictures[1], pictures[2]!.length, pictures[3]]).toEqual([[], 1, []]);
  });
});
