// The library API does what the CLI does, without the CLI.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../fixtures/index.js';
import { mkdir } from 'node:fs/promises';
import { ConfigError, illustrate, UsageError } from '../src/index.js';
import { runCli } from './helpers/run-cli.js';
import { tempDir } from './helpers/paths.js';
import { checkPackage } from './helpers/pptx-invariants.js';

describe('illustrate()', () => {
  it('illustrates decks into a folder with validated config and reports per deck', async () => {
    const cwd = await tempDir();
    const events: string[] = [];
    const batch = await illustrate([fixtures.bullets, fixtures.fourThree], {
      cwd,
      out: 'out',
      provider: 'offline',
      config: { skipSlides: [] },
      onEvent: (e) => events.push(e.type),
    });
    expect(batch.decks.map((d) => d.status)).toEqual(['ok', 'ok']);
    for (const deck of batch.decks) {
      expect(deck.output!.startsWith(path.join(cwd, 'out'))).toBe(true);
      expect((await checkPackage(await readFile(deck.output!), await readFile(deck.input))).problems).toEqual([]);
    }
    expect(events.filter((t) => t === 'deck-done')).toHaveLength(2);
  });

  it('maxImages caps the images generated in the whole run; a second run continues from the cache', async () => {
    const cwd = await tempDir();
    const run = () => illustrate([fixtures.bullets, fixtures.fourThree], { cwd, out: 'out', provider: 'offline', maxImages: 2 });
    const first = await run();
    const slides = first.decks.flatMap((d) => d.slides);
    expect(slides.filter((s) => s.status === 'illustrated')).toHaveLength(2);
    expect(slides.filter((s) => s.status === 'skipped').map((s) => s.reason)).toEqual([
      'over --max-images',
      'over --max-images',
      'over --max-images',
    ]);
    // A deck the cap cut short is not recorded as complete: the second run goes on where the first stopped
    // (a deck the first run finished is up to date), two more images, the rest from the cache.
    const second = await run();
    const doneBefore = first.decks.filter((d) => !d.slides.some((s) => s.status === 'skipped'));
    expect(second.decks.filter((d) => d.status === 'unchanged').map((d) => d.input)).toEqual(doneBefore.map((d) => d.input));
    const illustrated = (decks: typeof second.decks) => decks.flatMap((d) => d.slides).filter((s) => s.status === 'illustrated').length;
    expect(illustrated(second.decks) + illustrated(doneBefore)).toBe(4);
    for (const deck of second.decks)
      expect((await checkPackage(await readFile(deck.output!), await readFile(deck.input))).problems).toEqual([]);
  });

  it('rejects a bad config with every problem by key', async () => {
    const error = await illustrate([fixtures.bullets], { config: { rpm: -1, placement: 'top' } as never }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.split(':')[0])).toEqual(['rpm', 'placement']);
  });

  it('refuses a folder with no deck, as the CLI does, with the same one-line message', async () => {
    const cwd = await tempDir();
    await mkdir(path.join(cwd, 'empty'));
    const error = await illustrate(['empty'], { cwd, provider: 'offline' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toBe('no decks found in empty (looked for .pptx, .pptm, .ppsx, .potx)');
    const cli = await runCli(['empty'], { cwd });
    expect(cli).toEqual({ code: 2, stdout: '', stderr: `slide-illustrate: ${(error as UsageError).message}\n` });
  });
});
