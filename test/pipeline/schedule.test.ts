import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../../fixtures/index.js';
import { createCacheLookup, createCachedProviders } from '../../src/cache/cached-providers.js';
import { openCacheStore } from '../../src/cache/cache-store.js';
import { configSchema, type Config } from '../../src/config/schema.js';
import { ConfigError } from '../../src/errors.js';
import { acquireLock } from '../../src/internal/lock-file.js';
import { createLimiters } from '../../src/internal/limiters.js';
import { runSchedule } from '../../src/pipeline/schedule.js';
import { LOCK_FILE, runSchedulePass } from '../../src/pipeline/schedule-pass.js';
import type { DeckReport } from '../../src/model/report.js';
import { createCountingProviders, type CountingProviders } from '../helpers/counting-providers.js';
import { editSlideText, listFiles, writeTree } from '../helpers/deck-tree.js';
import { tempDir } from '../helpers/paths.js';
import { packageFileProblems } from '../helpers/pptx-invariants.js';

describe('runSchedule', () => {
  it('never overlaps passes: a pass slower than the interval skips ticks instead of queueing them', async () => {
    const controller = new AbortController();
    const passes: { n: number; start: number; end: number }[] = [];
    let running = 0;
    let maxRunning = 0;
    setTimeout(() => controller.abort(), 3_600);
    const count = await runSchedule({
      expression: '*/1 * * * * *',
      signal: controller.signal,
      runPass: async (n) => {
        const pass = { n, start: Date.now(), end: Number.NaN };
        passes.push(pass);
        maxRunning = Math.max(maxRunning, ++running);
        try {
          // 1.2 s: longer than the 1 s interval. The stop signal cuts it short, as it does a real pass.
          await sleep(1_200, undefined, { signal: controller.signal });
        } finally {
          running--;
          pass.end = Date.now();
        }
      },
    });
    const stoppedAt = Date.now();
    expect(maxRunning).toBe(1);
    expect(count).toBeGreaterThanOrEqual(2);
    expect(passes.map((p) => p.n)).toEqual(passes.map((_, i) => i + 1));
    for (let i = 1; i < passes.length; i++) {
      expect(passes[i]!.start).toBeGreaterThanOrEqual(passes[i - 1]!.end);
      // The tick one second after a 1.2 s pass started is skipped, not queued: the next pass takes a later tick.
      expect(Math.floor(passes[i]!.start / 1000) - Math.floor(passes[i - 1]!.start / 1000)).toBeGreaterThanOrEqual(2);
    }
    // Ticks fall on whole seconds (timers may run late on a busy machine), and the stop ends a pass or a wait at once.
    for (const p of passes) expect(p.start % 1000).toBeLessThan(400);
    expect(stoppedAt - passes.at(-1)!.end).toBeLessThan(400);
  });

  it('a failing pass is reported and the schedule goes on', async () => {
    const controller = new AbortController();
    const errors: number[] = [];
    setTimeout(() => controller.abort(), 2_600);
    const count = await runSchedule({
      expression: '* * * * * *',
      signal: controller.signal,
      runPass: async (n) => {
        if (n === 1) throw new Error('boom');
      },
      onPassError: (_e, n) => errors.push(n),
    });
    expect(errors).toEqual([1]);
    expect(count).toBeGreaterThanOrEqual(2);
  });

  it('refuses an expression that never fires instead of returning after 0 passes', async () => {
    let passes = 0;
    const run = runSchedule({ expression: '0 0 30 2 *', signal: new AbortController().signal, runPass: async () => void passes++ });
    await expect(run).rejects.toThrow(ConfigError);
    await expect(run).rejects.toThrow(/^schedule: not a valid cron expression \(it never fires/);
    expect(passes).toBe(0);
  });
});

describe('runSchedulePass', () => {
  async function setup() {
    const cwd = await tempDir();
    await writeTree(cwd, { 'decks/team/bullets.pptx': fixtures.bullets, 'decks/four.pptx': fixtures.fourThree });
    const config: Config = configSchema.parse({ inputs: ['decks'], outputDir: 'out', cacheDir: 'cache' });
    const limiters = createLimiters({ llm: 4, image: 4 });
    const pass = async (backend: CountingProviders) => {
      const options = { store: await openCacheStore(path.join(cwd, 'cache')), config };
      const providers = createCachedProviders(backend, options);
      const logged: DeckReport[] = [];
      const identity = { kind: 'fake', offline: false };
      const result = await runSchedulePass({
        config,
        cwd,
        backend: identity,
        providers,
        lookup: createCacheLookup(backend, options),
        limiters,
        onDeck: (d) => logged.push(d),
      });
      return { result, logged };
    };
    return { cwd, pass };
  }
  const statuses = (decks: DeckReport[], cwd: string) => Object.fromEntries(decks.map((d) => [path.relative(cwd, d.input), d.status]));

  it('illustrates, then skips unchanged decks, then pays exactly one prompt and one image for an edited slide', async () => {
    const { cwd, pass } = await setup();
    const one = createCountingProviders();
    const first = await pass(one);
    expect(first.result.ran).toBe(true);
    expect(statuses(first.logged, cwd)).toEqual({ 'decks/four.pptx': 'ok', 'decks/team/bullets.pptx': 'ok' });
    expect(one.calls).toEqual({ prompts: 5, images: 5 });

    const two = createCountingProviders();
    const second = await pass(two);
    expect(statuses(second.logged, cwd)).toEqual({ 'decks/four.pptx': 'unchanged', 'decks/team/bullets.pptx': 'unchanged' });
    expect(two.calls).toEqual({ prompts: 0, images: 0 });

    await editSlideText(path.join(cwd, 'decks/team/bullets.pptx'), 3, 'Close', 'Wrap up');
    const three = createCountingProviders();
    const third = await pass(three);
    expect(statuses(third.logged, cwd)).toEqual({ 'decks/four.pptx': 'unchanged', 'decks/team/bullets.pptx': 'ok' });
    expect(three.calls).toEqual({ prompts: 1, images: 1 });
    expect(await packageFileProblems(path.join(cwd, 'out/team/bullets.pptx'), path.join(cwd, 'decks/team/bullets.pptx'))).toEqual([]);
    expect(await listFiles(path.join(cwd, 'out'))).toEqual(['.slide-illustrate-state.json', 'four.pptx', 'team/bullets.pptx']);
  });

  it("a deck's directions file shapes its output: edited, the deck runs again; broken, that deck fails and the other runs", async () => {
    const { cwd, pass } = await setup();
    const sidecar = path.join(cwd, 'decks/team/bullets.illustrate.json');
    await writeFile(sidecar, '{ "slides": { "2": { "skip": true } } }');
    const one = createCountingProviders();
    const first = await pass(one);
    expect(statuses(first.logged, cwd)).toEqual({ 'decks/four.pptx': 'ok', 'decks/team/bullets.pptx': 'ok' });
    expect(one.calls).toEqual({ prompts: 4, images: 4 });
    expect(first.logged.find((d) => d.input.endsWith('bullets.pptx'))!.slides[1]!.status).toBe('skipped');

    await writeFile(sidecar, '{ "slides": { "2": { "skip": false } } }');
    const two = createCountingProviders();
    const second = await pass(two);
    expect(statuses(second.logged, cwd)).toEqual({ 'decks/four.pptx': 'unchanged', 'decks/team/bullets.pptx': 'ok' });
    expect(two.calls).toEqual({ prompts: 1, images: 1 });

    await writeFile(sidecar, '{ "slides": { "2": { "skip": "yes" } } }');
    await editSlideText(path.join(cwd, 'decks/four.pptx'), 1, 'a', 'A');
    const third = await pass(createCountingProviders());
    expect(statuses(third.logged, cwd)).toEqual({ 'decks/team/bullets.pptx': 'failed', 'decks/four.pptx': 'ok' });
    expect(third.logged.find((d) => d.status === 'failed')!.error).toMatch(/bullets\.illustrate\.json: .*slides\.2\.skip/);
  });

  it('does not run while another pass holds the lock, and runs once it is released', async () => {
    const { cwd, pass } = await setup();
    await mkdir(path.join(cwd, 'out'));
    const held = await acquireLock(path.join(cwd, 'out', LOCK_FILE));
    if (!held.acquired) throw new Error('the test could not take the lock');
    const backend = createCountingProviders();
    const blocked = await pass(backend);
    expect(blocked.result).toMatchObject({ ran: false, owner: { pid: process.pid } });
    expect(backend.calls).toEqual({ prompts: 0, images: 0 });
    await held.lock.release();
    const free = await pass(backend);
    expect(free.result.ran).toBe(true);
    // The pass released its own lock.
    expect(await listFiles(path.join(cwd, 'out'))).not.toContain(LOCK_FILE);
  });
});
