import { readdir, stat, utimes } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCachedProviders, createPictureStore } from '../../src/cache/cached-providers.js';
import { openCacheStore } from '../../src/cache/cache-store.js';
import { defaultConfig } from '../../src/config/schema.js';
import { fitImage } from '../../src/images/fit-image.js';
import { createCountingProviders } from '../helpers/counting-providers.js';
import { tempDir } from '../helpers/paths.js';

const EMU = 914_400;
const request = { prompt: 'A quiet harbour at dawn', aspect: 1.5, palette: ['#336699'] };
const box = { boxCx: 3 * EMU, boxCy: 2 * EMU };

async function setup(dir: string, force = false) {
  const backend = createCountingProviders();
  const options = { store: await openCacheStore(dir), config: defaultConfig(), force };
  return { backend, providers: { ...createCachedProviders(backend, options), pictures: createPictureStore(backend, options) } };
}

describe('cached pictures', () => {
  it('fits inside the given CPU runner and stores the picture after leaving it', async () => {
    const dir = await tempDir();
    const { providers } = await setup(dir);
    const image = await providers.image.generateImage(request);
    const events: string[] = [];
    const cpu = async <T>(work: () => Promise<T>): Promise<T> => {
      events.push('cpu start');
      const result = await work();
      // The entry is not written yet while the CPU place is held.
      events.push(`cpu end, ${(await readdir(path.join(dir, 'pictures')).catch(() => [])).length} pictures stored`);
      return result;
    };
    await providers.pictures.fit(image, box, cpu);
    expect(events).toEqual(['cpu start', 'cpu end, 0 pictures stored']);
    expect(await readdir(path.join(dir, 'pictures'))).toHaveLength(1);
  });

  it('a fitted picture is stored and found again by its image request, with no image made or read', async () => {
    const dir = await tempDir();
    const { providers } = await setup(dir);
    const pictures = providers.pictures;
    expect(await pictures.lookup(request, box)).toBeUndefined();
    const image = await providers.image.generateImage(request);
    const fitted = await pictures.fit(image, box);
    const direct = await fitImage(image.data, box);
    expect(fitted.data.equals(direct.data)).toBe(true);
    // 3 × 2 inches: the picture has the box's aspect.
    expect(fitted.format).toBe('jpeg');
    expect(Math.abs(fitted.width / fitted.height - 1.5)).toBeLessThan(0.01);
    expect(await readdir(path.join(dir, 'pictures'))).toHaveLength(1);

    const later = await setup(dir);
    const found = await later.providers.pictures.lookup(request, box);
    expect(found).toEqual({ data: fitted.data, format: fitted.format, width: fitted.width, height: fitted.height });
    expect(later.backend.calls.images).toBe(0);
  });

  it('a picture hit marks its image as used too, so pruning by age keeps them together', async () => {
    const dir = await tempDir();
    const { providers } = await setup(dir);
    const fitted = await providers.pictures.fit(await providers.image.generateImage(request), box);
    const entry = path.join(dir, 'images', (await readdir(path.join(dir, 'images')))[0]!);
    const old = new Date('2020-01-01T00:00:00Z');
    await utimes(entry, old, old);
    const hit = await providers.pictures.lookup(request, box);
    expect(hit?.data.equals(fitted.data)).toBe(true);
    expect((await stat(entry)).mtime.getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it('another box, crop or image is another picture', async () => {
    const dir = await tempDir();
    const { providers } = await setup(dir);
    await providers.pictures.fit(await providers.image.generateImage(request), box);
    expect(await providers.pictures.lookup(request, { ...box, boxCx: 4 * EMU })).toBeUndefined();
    expect(await providers.pictures.lookup(request, { ...box, crop: 'srcRect' })).toBeUndefined();
    expect(await providers.pictures.lookup({ ...request, prompt: 'A busy harbour at noon' }, box)).toBeUndefined();
  });

  it('keeps the a:srcRect crop of placeholder pictures', async () => {
    const dir = await tempDir();
    const { providers } = await setup(dir);
    const fitted = await providers.pictures.fit(await providers.image.generateImage(request), { ...box, boxCx: 2 * EMU, crop: 'srcRect' });
    // A 3:2 image in a square box: a sixth of its width cropped on each side (1/1000 %), nothing above or below.
    expect(fitted.srcRect).toMatchObject({ t: 0, b: 0 });
    expect(fitted.srcRect!.l).toBe(fitted.srcRect!.r);
    expect(Math.abs(fitted.srcRect!.l - 16_667)).toBeLessThan(500);
    expect((await providers.pictures.lookup(request, { ...box, boxCx: 2 * EMU, crop: 'srcRect' }))?.srcRect).toEqual(fitted.srcRect);
  });

  it('--force finds nothing but still stores, so the next run hits', async () => {
    const dir = await tempDir();
    const forced = await setup(dir, true);
    const fitted = await forced.providers.pictures.fit(await forced.providers.image.generateImage(request), box);
    expect(await forced.providers.pictures.lookup(request, box)).toBeUndefined();
    const next = await setup(dir);
    const hit = await next.providers.pictures.lookup(request, box);
    expect(hit).toEqual({ data: fitted.data, format: 'jpeg', width: fitted.width, height: fitted.height });
    expect(next.backend.calls).toEqual({ prompts: 0, images: 0 });
  });

  it('an image the cache did not name is keyed by its bytes', async () => {
    const dir = await tempDir();
    const { providers } = await setup(dir);
    const image = await createCountingProviders().image.generateImage(request);
    expect(image.key).toBeUndefined();
    const first = await providers.pictures.fit(image, box);
    const again = await providers.pictures.fit({ data: Buffer.from(image.data) }, box);
    expect(again.data.equals(first.data)).toBe(true);
    expect(await readdir(path.join(dir, 'pictures'))).toHaveLength(1);
  });
});
