import { readdir, rm, utimes } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../../fixtures/index.js';
import { ENTRY_NAME } from '../../src/cache/cache-store.js';
import { listFiles, writeTree } from '../helpers/deck-tree.js';
import { tempDir } from '../helpers/paths.js';
import { packageFileProblems } from '../helpers/pptx-invariants.js';
import { runCli, spawnBin, waitFor } from '../helpers/run-cli.js';

interface DeckJson {
  input: string;
  output: string | null;
  status: string;
  slides: { illustrated: number; skipped: number; failed: number };
  apiCalls: { prompts: number; images: number };
  cacheHits: { prompts: number; images: number };
  error: string | null;
}
interface RunJson {
  provider: string;
  offline: boolean;
  decks: DeckJson[];
  totals: { decks: Record<string, number>; slides: Record<string, number>; cacheHits: { prompts: number; images: number } };
}

const entries = async (dir: string) => (await readdir(dir).catch(() => [] as string[])).filter((n) => ENTRY_NAME.test(n)).length;

async function expectValid(output: string, input: string): Promise<void> {
  expect(await packageFileProblems(output, input), output).toEqual([]);
}

describe('slide-illustrate <folder>', () => {
  it('mirrors the folder, skips lock files, isolates a broken deck (exit 1); a re-run skips unchanged outputs and rebuilds a deleted one from the cache', async () => {
    const cwd = await tempDir();
    await writeTree(cwd, {
      'decks/sales/bullets.pptx': fixtures.bullets,
      'decks/ops/returns/four.pptx': fixtures.fourThree,
      'decks/ops/~$four.pptx': fixtures.fourThree,
      'decks/broken.pptx': Buffer.from('this is not a zip'),
    });
    const r = await runCli(['decks', '--out', 'ill'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ decks\/broken\.pptx: .*not a zip/);
    expect(r.stdout).toMatch(/✓ decks\/ops\/returns\/four\.pptx → ill\/ops\/returns\/four\.pptx: 2 illustrated, 0 skipped, 0 failed/);
    expect(r.stdout).toMatch(/✓ decks\/sales\/bullets\.pptx → ill\/sales\/bullets\.pptx: 3 illustrated/);
    expect(r.stdout).toMatch(/^3 decks: 2 ok, 1 refused — 5 slides illustrated, 0 skipped, 0 failed/m);
    expect(await listFiles(path.join(cwd, 'ill'))).toEqual(['ops/returns/four.pptx', 'sales/bullets.pptx']);
    await expectValid(path.join(cwd, 'ill/sales/bullets.pptx'), fixtures.bullets);
    await expectValid(path.join(cwd, 'ill/ops/returns/four.pptx'), fixtures.fourThree);

    // Nothing changed: both outputs are up to date and nothing is read or written (the broken deck is still refused).
    const same = JSON.parse((await runCli(['decks', '--out', 'ill', '--json'], { cwd })).stdout) as RunJson;
    expect(same.decks.map((d) => d.status)).toEqual(['refused', 'unchanged', 'unchanged']);
    expect(same.totals.cacheHits).toEqual({ prompts: 0, images: 0 });

    await rm(path.join(cwd, 'ill/sales/bullets.pptx'));
    const again = await runCli(['decks', '--out', 'ill', '--json'], { cwd });
    expect(again.code).toBe(1);
    const json = JSON.parse(again.stdout) as RunJson;
    expect(json).toMatchObject({ provider: 'offline', offline: true });
    expect(json.decks.map((d) => [path.relative(cwd, d.input), d.output && path.relative(cwd, d.output), d.status])).toEqual([
      ['decks/broken.pptx', null, 'refused'],
      ['decks/ops/returns/four.pptx', 'ill/ops/returns/four.pptx', 'unchanged'],
      ['decks/sales/bullets.pptx', 'ill/sales/bullets.pptx', 'ok'],
    ]);
    expect(json.decks[0]!.error).toMatch(/not a zip/);
    expect(json.decks[2]).toMatchObject({
      slides: { illustrated: 3, skipped: 0, failed: 0 },
      apiCalls: { prompts: 0, images: 0 },
      cacheHits: { prompts: 3, images: 3 },
      error: null,
    });
    expect(json.totals).toMatchObject({
      decks: { ok: 1, refused: 1, unchanged: 1 },
      slides: { illustrated: 3 },
      cacheHits: { prompts: 3, images: 3 },
    });
    await expectValid(path.join(cwd, 'ill/sales/bullets.pptx'), fixtures.bullets);

    const forced = JSON.parse((await runCli(['decks', '--out', 'ill', '--json', '--force'], { cwd })).stdout) as RunJson;
    expect(forced.totals.cacheHits).toEqual({ prompts: 0, images: 0 });
  });

  it('exit 0 when every deck is fine; the cache lives in --cache-dir', async () => {
    const cwd = await tempDir();
    await writeTree(cwd, { 'a/four.pptx': fixtures.fourThree, 'b/four.pptx': fixtures.fourThree });
    const r = await runCli(['a', 'b', '--cache-dir', 'c', '--json'], { cwd });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as RunJson;
    expect(json.decks.map((d) => path.relative(cwd, d.output!))).toEqual(['output/a/four.pptx', 'output/b/four.pptx']);
    // The same deck twice: its second copy is served by the cache (or by the call in flight).
    expect(json.totals.cacheHits.images).toBe(2);
    expect(await entries(path.join(cwd, 'c/images'))).toBe(2);
    await expectValid(path.join(cwd, 'output/b/four.pptx'), fixtures.fourThree);
  });

  it.each([
    [['empty'], /no decks found in empty/],
    [['decks', '--out', 'all.pptx'], /--out all\.pptx: with several decks or a folder/],
  ])('%j exits 2 with one line', async (argv, message) => {
    const cwd = await tempDir();
    await writeTree(cwd, { 'empty/readme.txt': Buffer.from('no decks'), 'decks/four.pptx': fixtures.fourThree });
    const r = await runCli(argv, { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a single refused deck still exits 2, also with --json', async () => {
    const cwd = await tempDir();
    await writeTree(cwd, { 'bad.pptx': Buffer.from('nope') });
    const r = await runCli(['bad.pptx', '--json'], { cwd });
    expect(r.code).toBe(2);
    expect((JSON.parse(r.stdout) as RunJson).decks[0]!.status).toBe('refused');
  });
});

describe('slide-illustrate cache', () => {
  it('shows entries and bytes, and prunes entries unused for longer than asked', async () => {
    const cwd = await tempDir();
    await writeTree(cwd, { 'four.pptx': fixtures.fourThree });
    expect((await runCli(['four.pptx'], { cwd })).code).toBe(0);
    const stats = JSON.parse((await runCli(['cache', '--json'], { cwd })).stdout) as {
      entries: Record<string, number>;
      bytes: Record<string, number>;
      oldest: string;
    };
    expect(stats.entries).toEqual({ prompts: 2, images: 2, pictures: 2 });
    expect(stats.bytes['images']).toBeGreaterThan(1000);
    const images = path.join(cwd, '.slide-illustrate-cache/images');
    const old = new Date(Date.now() - 45 * 86_400_000);
    await utimes(path.join(images, (await readdir(images))[0]!), old, old);
    const human = await runCli(['cache', '--prune-older-than', '30d'], { cwd });
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^pruned 1 entry \(\d+(\.\d)? kB\)/m);
    expect(human.stdout).toMatch(/\.slide-illustrate-cache: 5 entries, .* \(2 prompts, 1 images, 2 fitted pictures\)/);
  });
});

describe('killed with SIGKILL in the middle', () => {
  it('the next run pays only for the slides that had not finished, and leaves no temp or partial file', async () => {
    const cwd = await tempDir();
    await writeTree(cwd, {
      'decks/bullets.pptx': fixtures.bullets,
      'decks/sub/four.pptx': fixtures.fourThree,
      'decks/multi.pptx': fixtures.multilingual,
    });
    const total = 8;
    const images = path.join(cwd, '.slide-illustrate-cache/images');
    const prompts = path.join(cwd, '.slide-illustrate-cache/prompts');
    const run = spawnBin(['decks', '--concurrency', '1'], { cwd, env: { SLIDE_ILLUSTRATE_OFFLINE_DELAY_MS: '250' } });
    await waitFor(async () => (await entries(images)) >= 3, 20_000, 'three cached images');
    run.child.kill('SIGKILL');
    expect(await run.exited).toBe('SIGKILL');
    const finishedImages = await entries(images);
    const finishedPrompts = await entries(prompts);
    expect(finishedImages).toBeGreaterThanOrEqual(3);
    expect(finishedImages).toBeLessThan(total);

    const resumed = await runCli(['decks', '--json'], { cwd });
    expect(resumed.code).toBe(0);
    const json = JSON.parse(resumed.stdout) as RunJson;
    // A deck finished before the kill is up to date; the others are completed.
    const slidesOf: Record<string, number> = { 'bullets.pptx': 3, 'four.pptx': 2, 'multi.pptx': 3 };
    const done = json.decks.filter((d) => d.status === 'unchanged').map((d) => slidesOf[path.basename(d.input)]!);
    expect(json.decks.every((d) => d.status === 'ok' || d.status === 'unchanged')).toBe(true);
    const reused = done.reduce((a, b) => a + b, 0);
    expect((json.totals.slides['illustrated'] ?? 0) + reused).toBe(total);
    // Exactly what had finished is reused; only the rest is generated.
    expect(json.totals.cacheHits).toEqual({ prompts: finishedPrompts - reused, images: finishedImages - reused });
    expect(await entries(images)).toBe(total);
    const files = await listFiles(cwd);
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(files.filter((f) => f.startsWith('output/'))).toEqual(['output/bullets.pptx', 'output/multi.pptx', 'output/sub/four.pptx']);
    await expectValid(path.join(cwd, 'output/bullets.pptx'), fixtures.bullets);
    await expectValid(path.join(cwd, 'output/multi.pptx'), fixtures.multilingual);
    await expectValid(path.join(cwd, 'output/sub/four.pptx'), fixtures.fourThree);
  });
});
