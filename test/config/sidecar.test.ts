// The directions file beside a deck: read with comments, refused by key, written atomically in a stable order.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSidecar, sidecarPath, updateSlideDirection, writeSidecar } from '../../src/config/sidecar.js';
import { ConfigError } from '../../src/errors.js';
import { mkfifo } from '../helpers/fifo.js';
import { tempDir } from '../helpers/paths.js';

async function deckWith(text?: string): Promise<string> {
  const dir = await tempDir();
  const deck = path.join(dir, 'talk.pptx');
  if (text !== undefined) await writeFile(path.join(dir, 'talk.illustrate.json'), text);
  return deck;
}

describe('sidecar', () => {
  it('is named after the deck: talk.pptx → talk.illustrate.json beside it', () => {
    expect(sidecarPath('/a/b/talk.pptx')).toBe(path.join('/a/b', 'talk.illustrate.json'));
    expect(sidecarPath('deck.v2.pptx')).toBe('deck.v2.illustrate.json');
  });

  it('a deck without one has no directions', async () => {
    expect(await readSidecar(await deckWith())).toBeUndefined();
  });

  it('reads comments and trailing commas, by number and by id', async () => {
    const deck = await deckWith(`{
  // the whole deck
  "style": "ink wash",
  "slides": {
    "3": { "skip": true, },
    /* moved slides keep this one */
    "id:260": { "subject": "a lighthouse", "placement": "background", "variant": 2 },
  },
}`);
    expect(await readSidecar(deck)).toEqual({
      style: 'ink wash',
      slides: { '3': { skip: true }, 'id:260': { subject: 'a lighthouse', placement: 'background', variant: 2 } },
    });
  });

  it.each([
    ['{"slides": {"3": {"placement": "left"}}}', 'slides.3.placement'],
    ['{"slides": {"id:260": {"variant": 6}}}', 'slides.id:260.variant'],
    ['{"slides": {"3": {"skp": true}}}', 'slides.3.skp: unknown key'],
    ['{"slides": {"three": {}}}', 'slides.three'],
    ['{"imageStyle": "watercolour"}', 'imageStyle'],
    ['{"slides": {"2": {"prompt": "  "}}}', 'slides.2.prompt'],
  ])('%s is a ConfigError (exit 2) naming the file and %s', async (text, key) => {
    const deck = await deckWith(text);
    const error = await readSidecar(deck).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).exitCode).toBe(2);
    expect((error as Error).message).toContain(sidecarPath(deck));
    expect((error as Error).message).toContain(key);
  });

  it('a FIFO in its place is refused at once (exit 2), never read or replaced', async () => {
    const deck = await deckWith();
    mkfifo(sidecarPath(deck));
    const error = await readSidecar(deck).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(new RegExp(`^${sidecarPath(deck)}: cannot read the directions file: .*FIFO`));
    await expect(writeSidecar(deck, { slides: {} })).rejects.toThrow(/only a regular file is ever replaced/);
  });

  it('invalid JSON names the file', async () => {
    const deck = await deckWith('{ "slides": ');
    await expect(readSidecar(deck)).rejects.toThrow(`${sidecarPath(deck)}: not valid JSON`);
  });

  it('writes a stable order: deck fields, numbers then ids by value, fields in one order; no temp file left', async () => {
    const deck = await deckWith();
    await writeSidecar(deck, {
      slides: { 'id:1000': { variant: 2, skip: false }, '10': { subject: 's' }, 'id:260': { prompt: 'p', skip: true }, '2': {} },
      style: 'x',
    });
    const text = await readFile(sidecarPath(deck), 'utf8');
    expect(text).toBe(
      `${JSON.stringify({ style: 'x', slides: { '10': { subject: 's' }, 'id:260': { skip: true, prompt: 'p' }, 'id:1000': { skip: false, variant: 2 } } }, null, 2)}\n`,
    );
    expect(await readdir(path.dirname(deck))).toEqual(['talk.illustrate.json']);
  });

  it("given the deck's slides, number keys are written as id: keys (an id entry already there wins)", async () => {
    const deck = await deckWith();
    const slides = [
      { number: 1, slideId: '256' },
      { number: 2, slideId: '257' },
      { number: 3, slideId: '' },
    ];
    await writeSidecar(
      deck,
      { slides: { '1': { skip: true }, '2': { variant: 2, subject: 'n' }, 'id:257': { subject: 'id' }, '3': { skip: true } } },
      { slides },
    );
    expect(await readSidecar(deck)).toEqual({
      slides: { '3': { skip: true }, 'id:256': { skip: true }, 'id:257': { subject: 'id', variant: 2 } },
    });
  });

  it('updateSlideDirection patches one slide, removes null/undefined fields, folds its number key into its id', async () => {
    const deck = await deckWith('{ "style": "s", "slides": { "3": { "subject": "old", "skip": true }, "4": { "variant": 2 } } }');
    await updateSlideDirection(deck, 'id:260', { prompt: 'a red kite', skip: null, variant: undefined }, { number: 3 });
    expect(await readSidecar(deck)).toEqual({
      style: 's',
      slides: { '4': { variant: 2 }, 'id:260': { subject: 'old', prompt: 'a red kite' } },
    });
    await updateSlideDirection(deck, 'id:260', { reroll: 1 });
    expect((await readSidecar(deck))!.slides['id:260']).toEqual({ subject: 'old', prompt: 'a red kite', reroll: 1 });
  });

  it('updateSlideDirection refuses a bad value before writing anything', async () => {
    const deck = await deckWith('{ "slides": {} }');
    await expect(updateSlideDirection(deck, '3', { variant: 9 })).rejects.toThrow(/slides\.3\.variant/);
    expect(await readFile(sidecarPath(deck), 'utf8')).toBe('{ "slides": {} }');
  });
});
