// Issue 12, defect 10: two runs on one cache paid twice for the same keys. A key being generated
// by one process is claimed (<cacheDir>/claims/<hash>) and waited for by the others.
import { copyFile, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../../fixtures/index.js';
import { openCacheStore } from '../../src/cache/cache-store.js';
import { pngBase64 } from '../helpers/fake-api-data.js';
import { deadPid } from '../helpers/dead-pid.js';
import { tempDir } from '../helpers/paths.js';
import { fakeApi, infomaniakEnv } from '../helpers/provider-setup.js';
import { runCli, spawnBin, waitFor } from '../helpers/run-cli.js';

interface RunJson {
  decks: {
    status: string;
    slides: { illustrated: number; failed: number };
    apiCalls: { prompts: number; images: number };
    cacheHits: { prompts: number; images: number };
  }[];
}
const deckOf = (stdout: string) => (JSON.parse(stdout) as RunJson).decks[0]!;
const claimsIn = async (cache: string) =>
  readdir(path.join(cache, 'claims')).then(
    (names) => names.filter((n) => /^[0-9a-f]{64}$/.test(n)),
    () => [] as string[],
  );

describe('claims on cache keys across processes', () => {
  // demo: 6 slides, 4 illustrated (its cover and closing title slides are left as designed).
  it('two CLI runs on one deck and one cache pay once per key (4 pictures: 4 image calls, not 8)', async () => {
    const api = await fakeApi({ routeLatency: { images: { latencyMs: 400 }, chat: { latencyMs: 50 } } });
    const cwd = await tempDir();
    await copyFile(fixtures.demo, path.join(cwd, 'deck.pptx'));
    const env = infomaniakEnv(api);
    const a = spawnBin(['deck.pptx', '--out', 'a.pptx', '--json', '--yes'], { cwd, env });
    const b = spawnBin(['deck.pptx', '--out', 'b.pptx', '--json', '--yes'], { cwd, env });
    const [codeA, codeB] = await Promise.all([a.exited, b.exited]);
    expect(codeA, a.stderr()).toBe(0);
    expect(codeB, b.stderr()).toBe(0);
    const [da, db] = [deckOf(a.stdout()), deckOf(b.stdout())];
    expect(da.slides.illustrated).toBe(4);
    expect(db.slides.illustrated).toBe(4);
    expect(api.stats.requests.images).toBe(4);
    expect(api.stats.requests.chat).toBe(4);
    // What each run reports paying adds up to what the API saw; the rest were the other run's.
    expect(da.apiCalls.images + db.apiCalls.images).toBe(4);
    expect(da.apiCalls.prompts + db.apiCalls.prompts).toBe(4);
    expect(await claimsIn(path.join(cwd, '.slide-illustrate-cache'))).toEqual([]);
  });

  it('a run whose claims are held waits instead of paying; when their owner is killed mid-generation it takes them over', async () => {
    let hang = true;
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    // The first run's images hang until the test ends; the second run's answer at once.
    const api = await fakeApi({ imageBase64: async (size) => (hang ? await released : undefined, pngBase64(size)) });
    const cwd = await tempDir();
    await copyFile(fixtures.bullets, path.join(cwd, 'deck.pptx'));
    const cache = path.join(cwd, '.slide-illustrate-cache');
    const env = infomaniakEnv(api);
    const first = spawnBin(['deck.pptx', '--out', 'a.pptx', '--json', '--yes'], { cwd, env });
    try {
      await waitFor(() => (api.stats.requests.images ?? 0) >= 3, 30_000, 'the first run to ask for its 3 images');
      expect(await claimsIn(cache)).toHaveLength(3);
      const requestsBefore = api.stats.arrivals.length;
      const second = spawnBin(['deck.pptx', '--out', 'b.pptx', '--json', '--yes'], { cwd, env });
      // The second run checks the account, has its prompts from the cache and waits on the images'
      // claims: it pays nothing while they are held (a bounded look, not a speed test).
      await waitFor(() => api.stats.arrivals.length > requestsBefore, 30_000, 'the second run to reach the API');
      await new Promise((r) => setTimeout(r, 1500));
      expect(api.stats.requests.chat).toBe(3);
      expect(api.stats.requests.images).toBe(3);
      hang = false;
      first.child.kill('SIGKILL');
      expect(await first.exited).toBe('SIGKILL');
      // Bounded: the dead owner's claims are taken over at once, not after the stale bound.
      const code = await Promise.race([second.exited, new Promise((r) => setTimeout(() => r('still waiting'), 60_000))]);
      expect(code, second.stderr()).toBe(0);
      expect(deckOf(second.stdout())).toMatchObject({ status: 'ok', slides: { illustrated: 3, failed: 0 }, apiCalls: { images: 3 } });
      expect(api.stats.requests.images).toBe(6);
      expect(await claimsIn(cache)).toEqual([]);
    } finally {
      first.child.kill('SIGKILL');
      release();
    }
  });

  it('a stale claim left by a dead pid is taken over (offline run), and every claim is released', async () => {
    const cwd = await tempDir();
    await copyFile(fixtures.bullets, path.join(cwd, 'deck.pptx'));
    const cache = path.join(cwd, '.slide-illustrate-cache');
    expect((await runCli(['deck.pptx', '--out', 'a.pptx'], { cwd })).code).toBe(0);
    // The same keys, but their entries gone and a crashed run's claims on them.
    const images = (await readdir(path.join(cache, 'images'))).sort();
    const hashes = [...(await readdir(path.join(cache, 'prompts'))), ...images];
    expect(hashes).toHaveLength(6);
    await mkdir(path.join(cache, 'claims'), { recursive: true });
    const dead = JSON.stringify({ pid: deadPid(), host: os.hostname(), startedAt: new Date().toISOString(), token: 'crashed' });
    for (const hash of hashes) await writeFile(path.join(cache, 'claims', hash), dead);
    await rm(path.join(cache, 'prompts'), { recursive: true });
    await rm(path.join(cache, 'images'), { recursive: true });
    await rm(path.join(cache, 'pictures'), { recursive: true });
    const r = await runCli(['deck.pptx', '--out', 'b.pptx', '--json'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(deckOf(r.stdout).slides.illustrated).toBe(3);
    expect(await claimsIn(cache)).toEqual([]);
    expect((await readdir(path.join(cache, 'images'))).sort()).toEqual(images);
  });

  it('waiting for a live claim is abortable by the run signal, and bounded', async () => {
    const dir = await tempDir();
    const hash = 'a'.repeat(64);
    const live = JSON.stringify({ pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString(), token: 'other-run' });
    await mkdir(path.join(dir, 'claims'));
    await writeFile(path.join(dir, 'claims', hash), live);
    const aborting = await openCacheStore(dir, { claimPollMs: 20 });
    const stop = new AbortController();
    setTimeout(() => stop.abort(new Error('stopped by SIGINT')), 100);
    await expect(aborting.claim('images', hash, stop.signal)).rejects.toThrow('stopped by SIGINT');
    const bounded = await openCacheStore(dir, { claimPollMs: 20, claimWaitMs: 200 });
    const claim = await bounded.claim('images', hash);
    expect(claim.waited).toBe(true);
    await claim.release();
  });
});
