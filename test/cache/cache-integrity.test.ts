// Issue 12, defect 3: a damaged cache entry is a miss, removed and regenerated, with one warning;
// it never fails the slide on every later run. Through real runs of the CLI (offline provider).
import { copyFile, lstat, mkdir, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../../fixtures/index.js';
import { CACHE_KINDS, ENTRY_HEADER_BYTES, ENTRY_NAME, openCacheStore, type CacheKind } from '../../src/cache/cache-store.js';
import { tempDir } from '../helpers/paths.js';
import { runCli } from '../helpers/run-cli.js';

const WARNING = /cache: (\d+) corrupt entr(?:y|ies) removed and regenerated/g;

type Damage = (file: string) => Promise<void>;
const damages: Record<string, Damage> = {
  truncated: async (file) => truncate(file, Math.floor((await lstat(file)).size / 2)),
  emptied: async (file) => writeFile(file, ''),
  // Same length, a few bytes flipped in the middle of the payload: only a hash notices.
  garbled: async (file) => {
    const bytes = await readFile(file);
    const at = ENTRY_HEADER_BYTES + Math.floor((bytes.length - ENTRY_HEADER_BYTES) / 2);
    for (let i = at; i < Math.min(at + 4, bytes.length); i++) bytes[i] = bytes[i]! ^ 0xff;
    await writeFile(file, bytes);
  },
  'replaced by a folder': async (file) => {
    await rm(file);
    await mkdir(file);
    await writeFile(path.join(file, 'something'), 'x');
  },
};

async function entriesOf(cache: string, kind: CacheKind): Promise<string[]> {
  return (await readdir(path.join(cache, kind)).catch(() => [] as string[])).filter((n) => ENTRY_NAME.test(n)).sort();
}

// The output is removed first: an output as the last run left it is not rebuilt, and these runs are about the cache.
async function illustratedDeck(cwd: string) {
  await rm(path.join(cwd, 'out.pptx'), { force: true });
  return runCli(['deck.pptx', '--out', 'out.pptx', '--json'], { cwd });
}

describe('a corrupt cache entry', () => {
  for (const [name, damage] of Object.entries(damages)) {
    it(`${name}: every kind is a miss, removed and regenerated; the slide is illustrated and the run warns once`, async () => {
      const cwd = await tempDir();
      await copyFile(fixtures.bullets, path.join(cwd, 'deck.pptx'));
      const cache = path.join(cwd, '.slide-illustrate-cache');
      const first = await illustratedDeck(cwd);
      expect(first.code, first.stderr).toBe(0);
      const before = Object.fromEntries(await Promise.all(CACHE_KINDS.map(async (k) => [k, await entriesOf(cache, k)] as const)));
      for (const kind of CACHE_KINDS) expect(before[kind]!.length, kind).toBe(3);
      // Every entry of every kind: prompts are always read, and a damaged picture sends the slide to its image.
      for (const kind of CACHE_KINDS) for (const name of before[kind]!) await damage(path.join(cache, kind, name));

      const second = await illustratedDeck(cwd);
      expect(second.code, second.stderr).toBe(0);
      const deck = (JSON.parse(second.stdout) as { decks: { slides: { illustrated: number; failed: number } }[] }).decks[0]!;
      expect(deck.slides).toMatchObject({ illustrated: 3, failed: 0 });
      const warnings = [...second.stderr.matchAll(WARNING)];
      expect(warnings, second.stderr).toHaveLength(1);
      expect(warnings[0]![1]).toBe('9');
      expect(second.stderr).toMatch(/^slide-illustrate: warning: cache: 9 corrupt entries removed and regenerated$/m);
      expect(second.stderr).not.toMatch(/Input Buffer is empty|libpng|at .*\.ts:\d+/);

      // Repaired: the same entries, regular files, each verifying on read.
      const store = await openCacheStore(cache);
      for (const kind of CACHE_KINDS) {
        expect(await entriesOf(cache, kind), kind).toEqual(before[kind]);
        for (const name of before[kind]!) {
          expect((await lstat(path.join(cache, kind, name))).isFile()).toBe(true);
          expect(await store.read(kind, name), `${kind}/${name}`).toBeDefined();
        }
      }
      // And a third run is all hits, with nothing to warn about.
      const third = await illustratedDeck(cwd);
      expect(third.code).toBe(0);
      expect(third.stderr).not.toMatch(WARNING);
      expect(JSON.parse(third.stdout).decks[0].cacheHits).toEqual({ prompts: 3, images: 3 });
    });
  }
});
