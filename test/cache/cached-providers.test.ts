import { readdir, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashKey, promptKey } from '../../src/cache/cache-keys.js';
import { createCachedProviders } from '../../src/cache/cached-providers.js';
import { openCacheStore } from '../../src/cache/cache-store.js';
import { defaultConfig } from '../../src/config/schema.js';
import { createOfflineProviders } from '../../src/providers/offline.js';
import type { ImageRequest, PromptRequest } from '../../src/providers/types.js';
import { createCountingProviders } from '../helpers/counting-providers.js';
import { tempDir } from '../helpers/paths.js';

const config = defaultConfig();
const req = (title: string): PromptRequest => ({
  slide: { title, body: 'Body text about warehouses', notes: '' },
  deckTitle: 'Deck',
  style: 'flat',
  maxChars: 400,
  slideNumber: 1,
});
const image = (prompt: string) => ({ prompt, aspect: 1.5, palette: ['#336699'] });

async function setup(force = false) {
  const dir = await tempDir();
  const backend = createCountingProviders();
  const providers = createCachedProviders(backend, { store: await openCacheStore(dir), config, force });
  return { dir, backend, providers };
}

describe('cached providers', () => {
  it('variants: one call makes all n, each cached under its own key; choosing another later is free', async () => {
    const dir = await tempDir();
    const offline = createOfflineProviders();
    let calls = 0;
    // Each call's pictures are its own bytes ("call 2, variant 3"), so an overwritten entry would show.
    const generateImage = async (r: ImageRequest) => {
      const n = ++calls;
      const variants = Array.from({ length: Math.max(r.variants ?? 1, r.variant ?? 1) }, (_, i) =>
        Buffer.from(`call ${n}, variant ${i + 1}`),
      );
      return { data: variants[(r.variant ?? 1) - 1]!, variants };
    };
    const providers = createCachedProviders(
      { ...offline, image: { ...offline.image, generateImage } },
      { store: await openCacheStore(dir), config },
    );
    const first = await providers.image.generateImage({ ...image('a kite'), variants: 3 });
    expect([calls, String(first.data), (await readdir(path.join(dir, 'images'))).length]).toEqual([1, 'call 1, variant 1', 3]);
    const second = await providers.image.generateImage({ ...image('a kite'), variants: 3, variant: 2 });
    const third = await providers.image.generateImage({ ...image('a kite'), variant: 3 });
    expect([second.cached, String(second.data), third.cached, String(third.data), calls]).toEqual([
      true,
      'call 1, variant 2',
      true,
      'call 1, variant 3',
      1,
    ]);
    // The picture a plain request gets is variant 1.
    expect(String((await providers.image.generateImage(image('a kite'))).data)).toBe('call 1, variant 1');
    // Variant 4, not made yet: one call for four, which leaves the three cached ones as they were.
    const fourth = await providers.image.generateImage({ ...image('a kite'), variant: 4 });
    expect([fourth.cached, String(fourth.data), calls]).toEqual([undefined, 'call 2, variant 4', 2]);
    const again = await providers.image.generateImage({ ...image('a kite'), variant: 2 });
    expect([again.cached, String(again.data), (await readdir(path.join(dir, 'images'))).length]).toEqual([true, 'call 1, variant 2', 4]);
  });

  it('a miss calls the backend and stores the result; a hit returns it with cached: true and no call', async () => {
    const { dir, backend, providers } = await setup();
    const first = await providers.prompt.writePrompt(req('Safety'));
    const img = await providers.image.generateImage(image(first.prompt));
    expect(first.cached).toBeUndefined();
    expect(img.cached).toBeUndefined();
    expect(backend.calls).toEqual({ prompts: 1, images: 1 });
    expect(await readdir(path.join(dir, 'prompts'))).toHaveLength(1);
    expect(await readdir(path.join(dir, 'images'))).toHaveLength(1);

    const again = await providers.prompt.writePrompt(req('Safety'));
    const imgAgain = await providers.image.generateImage(image(first.prompt));
    expect(again).toEqual({ prompt: first.prompt, cached: true });
    expect(imgAgain.cached).toBe(true);
    expect(imgAgain.data.equals(img.data)).toBe(true);
    expect(imgAgain.size).toBe('1792x1024');
    expect(backend.calls).toEqual({ prompts: 1, images: 1 });

    await providers.prompt.writePrompt(req('Gloves'));
    expect(backend.calls.prompts).toBe(2);
  });

  it('a fresh decorator over the same folder hits (the cache outlives the process)', async () => {
    const { dir, providers } = await setup();
    await providers.prompt.writePrompt(req('Safety'));
    const backend = createCountingProviders();
    const later = createCachedProviders(backend, { store: await openCacheStore(dir), config });
    expect((await later.prompt.writePrompt(req('Safety'))).cached).toBe(true);
    expect(backend.calls.prompts).toBe(0);
  });

  it('--force skips reads but still writes', async () => {
    const { dir, providers } = await setup();
    await providers.prompt.writePrompt(req('Safety'));
    const entry = path.join(dir, 'prompts', (await readdir(path.join(dir, 'prompts')))[0]!);
    const old = new Date(Date.now() - 3_600_000);
    await utimes(entry, old, old);
    const backend = createCountingProviders();
    const forced = createCachedProviders(backend, { store: await openCacheStore(dir), config, force: true });
    const r = await forced.prompt.writePrompt(req('Safety'));
    expect(r.cached).toBeUndefined();
    expect(backend.calls.prompts).toBe(1);
    expect((await stat(entry)).mtimeMs).toBeGreaterThan(old.getTime() + 1000);
  });

  it('a hit marks the entry as just used (for pruning by last use)', async () => {
    const { dir, providers } = await setup();
    await providers.prompt.writePrompt(req('Safety'));
    const entry = path.join(dir, 'prompts', (await readdir(path.join(dir, 'prompts')))[0]!);
    const old = new Date('2020-01-01T00:00:00Z');
    await utimes(entry, old, old);
    await providers.prompt.writePrompt(req('Safety'));
    expect((await stat(entry)).mtimeMs).toBeGreaterThan(Date.now() - 60_000);
  });

  it('identical requests in flight share one call; the second counts as cached', async () => {
    const { backend, providers } = await setup();
    const [a, b] = await Promise.all([providers.image.generateImage(image('same')), providers.image.generateImage(image('same'))]);
    expect(backend.calls.images).toBe(1);
    expect([a.cached, b.cached].filter(Boolean)).toHaveLength(1);
  });

  it('a damaged entry is a miss and is repaired', async () => {
    const { dir, backend, providers } = await setup();
    const key = hashKey(promptKey(req('Safety'), backend.prompt.promptFingerprint, config.llm));
    await providers.prompt.writePrompt(req('Other')); // creates the prompts folder
    await writeFile(path.join(dir, 'prompts', key), '{"not json');
    const r = await providers.prompt.writePrompt(req('Safety'));
    expect(r.cached).toBeUndefined();
    expect((await providers.prompt.writePrompt(req('Safety'))).cached).toBe(true);
  });

  it('a cache that cannot be written reports it and still returns the result', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'prompts'), 'a file where a folder should be');
    const errors: string[] = [];
    const providers = createCachedProviders(createCountingProviders(), {
      store: await openCacheStore(dir),
      config,
      onWriteError: (m) => errors.push(m),
    });
    const r = await providers.prompt.writePrompt(req('Safety'));
    expect(r.prompt.length).toBeGreaterThan(10);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^cache: cannot store an entry in prompts/);
  });
});
